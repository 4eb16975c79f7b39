# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The loop every pull shares."""
from odoo import _
from odoo.exceptions import UserError, ValidationError

from sme_connectors.base import resume_point

from .job_run import chunk_size

# Imported records need no chatter line or follower each: the sync log says it.
IMPORT_CONTEXT = {
    "sme_hub_importing": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "tracking_disable": True,
}
# A record's refusal: a failure line naming it, never the end of the run.
RECORD_ERRORS = (UserError, ValidationError)

# Records read before the ORM cache of a long pull is emptied.
CACHE_TRIM_EVERY = 200
# Records a unit's ``prepare`` sees at once: enough for one INSERT to pay off, few
# enough for memory.
WINDOW = 200


def import_batch(
    backend,
    run,
    entity,
    records,
    import_one,
    describe,
    since=None,
    cursor=True,
    prepare=None,
):
    """Import ``records`` (from the connector) one by one, each in a
    savepoint: a refusal (UserError, ValidationError) is a failure line
    naming the record (``describe(record)``), never the end of the run.
    ``import_one(record)`` returns created / updated / skipped, or None for
    a record this pull does not take (not counted).

    ``prepare(window)``, when given, first sees the records in windows of
    at most WINDOW (never across a chunk's end) and does for them at once
    what need not be done one by one (the customers no one has yet are
    created together); ``import_one`` then finds them done.

    Every chunk of records, the counts and the position in the stream are
    written to the log and, in a job, committed; a rerun of an interrupted
    job resumes after the last chunk committed. At the end the entity's
    cursor moves past what was read (``cursor``), never past a failure."""
    chunk = chunk_size(backend.env)
    resumed_at = run.done
    seen, failed, window = [], list(run.resume.get("failed", [])), []
    position = 0

    def import_window():
        if prepare and window:
            prepare([record for _position, record in window])
        for at, record in window:
            if not at % CACHE_TRIM_EVERY:
                # The whole ORM cache: keeps a long import's memory flat.
                backend.invalidate_cache()
            try:
                with backend.env.cr.savepoint():
                    run.count(import_one(record))
            except RECORD_ERRORS as error:
                failed.append(resume_point(record))
                run.fail(
                    record.external_id,
                    "%s: %s"
                    % (
                        describe(record) or record.external_id or _("(no name)"),
                        error.name,
                    ),
                    record._asdict(),
                )
            if not at % chunk:
                run.flush(
                    done=at,
                    expected=getattr(records, "expected", None),
                    failed_marks=[mark for mark in failed if mark is not None],
                )
                run.commit()
        del window[:]

    for position, record in enumerate(records, 1):
        seen.append(resume_point(record))
        if position <= resumed_at:
            continue  # committed by an earlier attempt of this job
        window.append((position, record))
        if not position % chunk or len(window) >= WINDOW:
            import_window()
    import_window()
    run.flush(
        done=max(position, resumed_at), expected=max(position, resumed_at), write=False
    )
    if cursor:
        backend.env["sme.accounting.cursor"]._advance(
            backend, entity, since, seen, [mark for mark in failed if mark is not None]
        )
