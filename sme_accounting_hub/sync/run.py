# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A sync run: one entity, one direction, one log, its counts and progress."""
import json
import time

COUNTERS = ("created", "updated", "skipped", "failed")


class SyncRun(object):
    """The log of one run and what is not written to it yet.

    Counts are kept here and written when a chunk of a pull is done or the
    run ends: an UPDATE of the log row per record made a 100,000-ledger
    import slow down as it went (each UPDATE of a row leaves a version that
    the later ones walk past). A run interrupted after some chunks were
    committed is resumed by the same job: ``resume`` holds where its stream
    started (``since``), how many records of it are done, and the change
    markers of the records that failed (the cursor never passes them)."""

    def __init__(self, log, commit=None):
        self.log = log
        self.commit = commit or (
            lambda: None
        )  # ends a chunk: the job's commit, or nothing inline
        self.pending = dict.fromkeys(COUNTERS, 0)
        self.progress = {}
        self.resume = json.loads(log.resume_state or "{}")

    # -- counting ------------------------------------------------------
    def count(self, outcome):
        """``outcome``: created, updated, skipped or failed (None: not a record of this run)."""
        if outcome:
            self.pending[outcome] += 1

    def fail(self, external_id, reason, payload=None):
        self.count("failed")
        self.log._add_line(external_id, reason, payload)

    def note(self, external_id, text):
        """A line worth reading that is not a failure (a warning)."""
        self.log._add_line(external_id, text, level="warning")

    def total(self, counter):
        return self.log[counter] + self.pending[counter]

    # -- progress and resuming -----------------------------------------
    def read_point(self, backend, entity):
        """Where this run's stream starts: the entity's cursor, or for a
        resumed run where its first attempt started."""
        if "since" not in self.resume:
            self.resume["since"] = backend.env["sme.accounting.cursor"]._read_point(
                backend, entity
            )
        return self.resume["since"]

    @property
    def done(self):
        """Records of the stream already handled by earlier chunks."""
        return self.resume.get("done", 0)

    def flush(self, done=None, expected=None, failed_marks=None, write=True):
        """Write the counts (and where the stream is) to the log; with
        ``write=False`` only remember them for :meth:`finish`."""
        if done is not None:
            self.resume["done"] = done
            self.progress["progress_done"] = done
        if expected is not None:
            self.progress["progress_expected"] = expected
        if failed_marks:
            self.resume["failed"] = sorted(
                set(self.resume.get("failed", [])) | set(failed_marks), key=str
            )
        if write:
            self.log.sudo().write(self._values())
            self.pending = dict.fromkeys(COUNTERS, 0)

    def _values(self):
        values = {counter: self.total(counter) for counter in COUNTERS}
        values.update(self.progress, resume_state=json.dumps(self.resume, default=str))
        return values

    def finish(self, message=None):
        """The counts and the outcome in one write of the log."""
        values = self._values()
        values.update(
            state="partial" if values["failed"] else "done",
            message=message,
            duration=time.time() - (self.log.started or time.time()),
        )
        self.log.sudo().write(values)
        self.pending = dict.fromkeys(COUNTERS, 0)
