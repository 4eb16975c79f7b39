# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One attempt of a sync job: its run, its transaction, its faults.

queue_job runs ``sme_job_pull`` / ``sme_job_export`` of a connection; they
hand the work of a sync unit to a :class:`JobRun`, which holds the job's
lock, starts (or resumes) the run and its log, commits the chunks of a pull
run by a job, and turns a connector's fault into what queue_job should do."""
import threading
from contextlib import contextmanager
from datetime import timedelta

from odoo import _, api, fields, registry
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError

from sme_connectors.base import (
    AuthError,
    ConnectorError,
    QuotaExhausted,
    TransientError,
)
from sme_connectors.redact import redact

from .run import SyncRun

# Retries with growing delays: attempts 1-3 wait 30 s, 4-5 two minutes, then
# ten minutes each. MAX_ATTEMPTS outlives an outage of an hour and more
# (3 x 30 s + 2 x 2 min + 8 x 10 min = 85 min) before a job gives up; queue_job's
# default of 5 gave up after 3.5 minutes.
RETRY_PATTERN = {1: 30, 4: 120, 6: 600}
MAX_ATTEMPTS = 14
# Advisory-lock namespace ("SME") of running sync jobs: a job holds the lock
# of its uuid for as long as it runs, so a job left 'started' whose lock is
# free was interrupted (its server died) and can be requeued.
RUNNING_JOB_LOCK = 0x534D45
# Records imported between two commits of a pull run by a job (the system
# parameter sme_accounting_hub.chunk_size overrides it): a crash or a server
# restart costs at most this many, and the log shows progress at each one.
CHUNK_SIZE = 500


def chunk_size(env):
    size = env["ir.config_parameter"].sudo().get_param("sme_accounting_hub.chunk_size")
    return int(size) if size and size.isdigit() and int(size) > 0 else CHUNK_SIZE


def job_attempt(env):
    """``(this attempt, attempts allowed)`` of the running queue job;
    ``(1, None)`` outside a job."""
    uuid = env.context.get("job_uuid")
    queued = uuid and env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1)
    if not queued:
        return 1, None
    # queue_job counts the attempt in memory; the stored count is the earlier ones.
    return queued.retry + 1, queued.max_retries or MAX_ATTEMPTS


class JobRun(object):
    """One attempt of one entity's sync in one direction for a connection.

    Inline (tests, a first sync run by hand), one savepoint holds the whole
    attempt: when it fails nothing of it stays, not even a log left
    'running'. In a job, a pull commits as it goes (see
    :func:`.batch.import_batch`): a failure undoes the chunk under way only,
    and the retry of the job resumes after the last chunk."""

    def __init__(self, backend, entity, direction):
        self.backend, self.entity, self.direction = backend, entity, direction
        self.env = backend.env
        self.uuid = self.env.context.get("job_uuid")
        # Not in the test runner, whose transaction is rolled back at the end of a test.
        self.committing = bool(self.uuid) and not getattr(
            threading.current_thread(), "testing", False
        )

    def __call__(self, work):
        """Run ``work(run)``; the message of the run, or queue_job's
        RetryableJobError / FailedJobError with the reason in words."""
        backend = self.backend
        if backend.state not in ("active", "error"):
            return _("Skipped: the connection is %s.") % backend.state
        run = None
        self._lock("pg_try_advisory_lock")
        try:
            try:
                with self._attempt():
                    run = self._start()
                    message = work(run)
            except (ConnectorError, UserError) as error:
                backend.invalidate_cache()  # the cache may hold what was undone
                self._fail(
                    error, committed_log=run.log.id if self.committing and run else None
                )
            except Exception as error:
                if self.committing and run:  # its committed log must not stay 'running'
                    self._record_outside_transaction(
                        redact(
                            _("Stopped by an unexpected error: %s") % error,
                            backend.env["sme.accounting.credential"]
                            .sudo()
                            ._all_plaintexts(backend),
                        ),
                        log_id=run.log.id,
                    )
                raise
            run.finish(message)
        finally:
            self._lock("pg_advisory_unlock")
        if backend.state == "error" or backend.last_error:
            backend.sudo().write(
                {"state": "active", "last_error": False}
            )  # it works again
        log = run.log
        return message or _("%s %s: %d created, %d updated, %d skipped, %d failed") % (
            self.direction,
            self.entity,
            log.created,
            log.updated,
            log.skipped,
            log.failed,
        )

    def commit_chunk(self):
        if self.committing:
            self.env.cr.commit()

    # ------------------------------------------------------------------
    @contextmanager
    def _attempt(self):
        if not self.committing:
            with self.env.cr.savepoint():
                yield
            return
        try:
            yield
        except Exception:
            self.env.cr.rollback()  # back to the last chunk committed
            raise

    def _start(self):
        """A new run and its log; in a job, the run of this job interrupted
        after some chunks (a server stop, a retry after a fault) goes on."""
        Log = self.env["sme.accounting.sync.log"].sudo()
        # Left 'running' by a server that died, or 'failed' by an attempt after some
        # chunks were committed.
        log = (
            self.uuid
            and self.direction == "pull"
            and Log.search(
                [
                    ("backend_id", "=", self.backend.id),
                    ("entity", "=", self.entity),
                    ("direction", "=", self.direction),
                    ("job_uuid", "=", self.uuid),
                    "|",
                    ("state", "=", "running"),
                    "&",
                    ("state", "=", "failed"),
                    ("progress_done", ">", 0),
                ],
                limit=1,
            )
        )
        if log:
            log.write({"state": "running", "message": False})
        else:
            log = Log._start(self.backend, self.entity, self.direction)
        self.commit_chunk()  # the run shows from its start
        return SyncRun(log, commit=self.commit_chunk)

    def _lock(self, function):
        """Say 'this job is running' for as long as it runs (see the backend's
        ``_cron_sme_requeue_interrupted_jobs``): a session lock, as the job
        commits its chunks; a server that dies drops its connections and so
        the lock."""
        if self.uuid:
            self.env.cr.execute(
                "SELECT %s(%%s, hashtext(%%s))" % function,
                (RUNNING_JOB_LOCK, self.uuid),
            )

    def _fail(self, error, committed_log=None):
        """Record a failed attempt and hand queue_job what to do: retry later
        (network, limits; a spent quota also pauses the connection), or stop
        (credentials refused: the connection goes to error; other refusals).
        The last retry that still fails says so on the connection."""
        text = redact(
            getattr(error, "name", None) or str(error),
            self.env["sme.accounting.credential"].sudo()._all_plaintexts(self.backend),
        )
        if isinstance(error, TransientError):
            attempt, attempts = job_attempt(self.env)
            gave_up = bool(attempts) and attempt >= attempts
            if gave_up:
                text = _("Gave up after %d attempts: %s") % (attempt, text)
            self._record_outside_transaction(
                text,
                pause_for=error.retry_after
                if isinstance(error, QuotaExhausted)
                else None,
                gave_up=gave_up,
                log_id=committed_log,
            )
            raise RetryableJobError(text, seconds=error.retry_after)
        self._record_outside_transaction(
            text, stop=isinstance(error, AuthError), log_id=committed_log
        )
        raise FailedJobError(text)

    def _record_outside_transaction(
        self, error, stop=False, pause_for=None, gave_up=False, log_id=None
    ):
        """The job's transaction is rolled back when it fails: the failed
        run's log (and the backend's error state) go in through a cursor of
        their own so that the admin sees them. ``log_id``: the log a run in
        a job committed, which says it failed (the retry resumes it when it
        had committed chunks)."""
        entity, direction = self.entity, self.direction
        with registry(self.env.cr.dbname).cursor() as cr:
            env = api.Environment(cr, self.env.uid, dict(self.env.context))
            # A backend created in this very transaction (tests, a first
            # sync run inline) is not visible there: record it here instead.
            backend = self.backend.with_env(env).exists() or self.backend
            log = (
                log_id
                and backend.env["sme.accounting.sync.log"]
                .sudo()
                .browse(log_id)
                .exists()
            )
            if not log:
                log = backend.env["sme.accounting.sync.log"]._start(
                    backend, entity, direction
                )
            log._finish(error=error)
            values = {"last_error": error}
            if stop:
                values["state"] = "error"
            if pause_for:
                resume = fields.Datetime.from_string(fields.Datetime.now()) + timedelta(
                    seconds=pause_for
                )
                values.update(
                    state="paused", resume_at=fields.Datetime.to_string(resume)
                )
            backend.sudo().write(values)
            if pause_for:
                backend.message_post(
                    body=_("Paused until %s UTC: %s") % (values["resume_at"], error)
                )
            if stop:
                backend.message_post(
                    body=_(
                        "Sync stopped: the accounting system refused the "
                        "credentials (%s). Fix them and resume."
                    )
                    % error
                )
            if gave_up:
                backend.message_post(
                    body=_(
                        "A %s of %s failed for good: %s. Requeue the job from Sync jobs "
                        "once the accounting system answers again."
                    )
                    % (direction, entity, error)
                )
