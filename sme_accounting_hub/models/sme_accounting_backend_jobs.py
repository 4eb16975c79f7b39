import threading
from contextlib import contextmanager
from datetime import timedelta

from odoo import _, api, fields, models, registry
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.job import identity_exact, job

from ..connectors.base import AuthError, ConnectorError, QuotaExhausted, TransientError
from ..connectors.redact import redact
from ..sync.batch import CHUNK_SIZE
from ..sync.registry import PULL_ENTITIES, UNITS, export_entity
from ..sync.run import SyncRun
from .sme_accounting_backend import FREQUENCIES


# Retries with growing delays: attempts 1-3 wait 30 s, 4-5 two minutes, then
# ten minutes each. MAX_ATTEMPTS outlives an outage of an hour and more
# (3 x 30 s + 2 x 2 min + 8 x 10 min = 85 min) before a job gives up; queue_job's
# default of 5 gave up after 3.5 minutes.
RETRY_PATTERN = {1: 30, 4: 120, 6: 600}
MAX_ATTEMPTS = 14
# Advisory-lock namespace ("SME") of running sync jobs: a job holds the lock
# of its uuid for as long as its transaction runs, so a job left 'started'
# whose lock is free was interrupted (its server died) and can be requeued.
RUNNING_JOB_LOCK = 0x534D45
# A job interrupted this many times is failed with the reason, not queued again.
MAX_INTERRUPTIONS = 3

class SmeAccountingBackend(models.Model):
    """Sync work: every run is a queue job on the system's channel
    (``root.sme_accounting.tally`` has capacity 1: Tally serves one request
    at a time). Scheduled actions only enqueue."""

    _inherit = "sme.accounting.backend"

    # ------------------------------------------------------------------
    # Enqueueing
    # ------------------------------------------------------------------
    @api.multi
    def _channel(self):
        self.ensure_one()
        return "root.sme_accounting.%s" % self.system

    @api.multi
    def _pushes(self, entity):
        self.ensure_one()
        return self.state == "active" and self.direction in ("push", "both") and self["sync_%s" % entity] \
            and self._can_push(entity)

    @api.multi
    def _enqueue_pulls(self, entities=None):
        jobs = []
        for backend in self:
            for entity in entities or PULL_ENTITIES:
                if entity in PULL_ENTITIES and backend["sync_%s" % entity] and backend._can_pull(entity) \
                        and backend.direction in ("pull", "both"):
                    jobs.append(backend.with_delay(
                        channel=backend._channel(), identity_key=identity_exact, max_retries=MAX_ATTEMPTS,
                        description=_("%s: pull %s") % (backend.name, entity)).sme_job_pull(entity))
        return [j for j in jobs if j]

    @api.multi
    def _enqueue_export(self, record):
        self.ensure_one()
        return self.with_delay(
            channel=self._channel(), identity_key=identity_exact, max_retries=MAX_ATTEMPTS,
            description=_("%s: send %s") % (self.name, record.display_name),
        ).sme_job_export(record._name, record.id)

    @api.model
    def _enqueue_exports_for(self, record, entity):
        """Queue the export of ``record`` to every active backend of its
        company that pushes ``entity``; records the hub itself is importing
        are not sent back where they came from."""
        if record.env.context.get("sme_hub_importing"):
            return []
        company = record.company_id or self.env.user.company_id
        backends = self.sudo().search([("company_id", "=", company.id), ("state", "=", "active")])
        return [backend._enqueue_export(record) for backend in backends if backend._pushes(entity)]

    @api.model
    def _cron_sme_enqueue_scheduled_syncs(self):
        due = self.search([("state", "=", "paused"), ("resume_at", "!=", False),
                           ("resume_at", "<=", fields.Datetime.now())])
        for backend in due:  # paused by a daily API quota: a new day has begun
            backend.write({"state": "active", "resume_at": False, "last_error": False})
            backend.message_post(body=_("Resumed: the accounting system's daily quota is renewed."))
        now = fields.Datetime.from_string(fields.Datetime.now())
        for backend in self.search([("state", "=", "active"), ("frequency", "!=", "manual")]):
            minutes = FREQUENCIES[backend.frequency]
            last = backend.last_sync_date and fields.Datetime.from_string(backend.last_sync_date)
            if not last or now - last >= timedelta(minutes=minutes):
                backend._enqueue_pulls()

    # ------------------------------------------------------------------
    # Public API for other systems (XML-RPC)
    # ------------------------------------------------------------------
    @api.model
    def sme_sync(self, backend_id, entity=None):
        """Queue a pull of ``entity`` (default: every entity the backend
        pulls). Returns ``[{'uuid', 'entity'}]`` for :meth:`sme_job_status`."""
        backend = self.browse(int(backend_id)).exists()
        if not backend:
            raise UserError(_("Accounting connection %s does not exist.") % backend_id)
        backend.check_access_rule("write")
        if backend.state != "active":
            raise UserError(_("The connection '%s' is %s: activate it first.") % (backend.name, backend.state))
        if entity and not (entity in PULL_ENTITIES and backend._can_pull(entity)):
            raise UserError(_("'%s' cannot be pulled from %s. Pullable: %s.") % (
                entity, backend.name, ", ".join(e for e in PULL_ENTITIES if backend._can_pull(e))))
        jobs = backend._enqueue_pulls([entity] if entity else None)
        return [{"uuid": j.uuid, "entity": j.args[0]} for j in jobs]

    @api.model
    def sme_job_status(self, job_uuid):
        """A sync job's state and its logs: ``{'state', 'result', 'error',
        'logs': [{'entity', 'direction', 'state', 'created', 'updated',
        'skipped', 'failed', 'done', 'expected', 'progress', 'failures':
        [{'external_id', 'reason'}]}]}``: ``done`` records of ``expected``
        (0: the system did not say), ``progress`` in words while it runs."""
        queued = self.env["queue.job"].sudo().search([("uuid", "=", job_uuid)], limit=1)
        if not queued or queued.model_name != self._name or not self.browse(queued.record_ids).exists():
            raise UserError(_("No sync job %s.") % job_uuid)
        self.browse(queued.record_ids).check_access_rule("read")
        logs = self.env["sme.accounting.sync.log"].sudo().search([("job_uuid", "=", job_uuid)])
        return {
            "state": queued.state,
            "result": queued.result or False,
            "error": (queued.exc_info or "").strip().splitlines()[-1] if queued.exc_info else False,
            "logs": [{
                "entity": log.entity, "direction": log.direction, "state": log.state,
                "created": log.created, "updated": log.updated, "skipped": log.skipped, "failed": log.failed,
                "done": log.progress_done, "expected": log.progress_expected, "progress": log.progress or "",
                "failures": [{"external_id": l.external_id, "reason": l.reason} for l in log.line_ids],
            } for log in logs],
        }

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    @job(default_channel="root.sme_accounting", retry_pattern=RETRY_PATTERN)
    @api.multi
    def sme_job_pull(self, entity):
        self.ensure_one()
        return self._run(entity, "pull", UNITS[entity](self).pull)

    @job(default_channel="root.sme_accounting", retry_pattern=RETRY_PATTERN)
    @api.multi
    def sme_job_export(self, model, res_id):
        self.ensure_one()
        record = self.env[model].browse(res_id).exists()
        if not record:
            return _("Nothing to send: %s %s was deleted.") % (model, res_id)
        entity = export_entity(record)
        if not entity:
            return _("Nothing to send: %s goes with its own document.") % record.display_name
        return self._run(entity, "push", lambda run: run.count(UNITS[entity](self).push(record, run)))

    @api.multi
    def _run(self, entity, direction, work):
        """Run ``work(run)`` with a sync run (its log and counts); map
        connector faults to queue_job.

        Inline (tests, a first sync run by hand), one savepoint holds the
        whole attempt: when it fails nothing of it stays, not even a log left
        'running'. In a job, a pull commits as it goes (see
        :func:`..sync.batch.import_batch`): a failure undoes the chunk under
        way only, and the retry of the job resumes after the last chunk."""
        if self.state not in ("active", "error"):
            return _("Skipped: the connection is %s.") % self.state
        committing = self._commits_chunks()
        run = None
        self._hold_running_job_lock()
        try:
            try:
                with self._attempt(committing):
                    run = self._start_run(entity, direction, committing)
                    message = work(run)
            except (ConnectorError, UserError) as error:
                self.invalidate_cache()  # the cache may hold what was undone
                self._fail_run(entity, direction, error,
                               committed_log=run.log.id if committing and run else None)
            except Exception as error:
                if committing and run:  # its committed log must not stay 'running'
                    self._record_outside_transaction(entity, direction, redact(
                        _("Stopped by an unexpected error: %s") % error, self._secrets_to_hide()),
                        log_id=run.log.id)
                raise
            run.finish(message)
        finally:
            self._release_running_job_lock()
        if self.state == "error" or self.last_error:
            self.sudo().write({"state": "active", "last_error": False})  # it works again
        log = run.log
        return message or _("%s %s: %d created, %d updated, %d skipped, %d failed") % (
            direction, entity, log.created, log.updated, log.skipped, log.failed)

    @contextmanager
    def _attempt(self, committing):
        if not committing:
            with self.env.cr.savepoint():
                yield
            return
        try:
            yield
        except Exception:
            self.env.cr.rollback()  # back to the last chunk committed
            raise

    @api.multi
    def _start_run(self, entity, direction, committing):
        """A new run and its log; in a job, the run of this job interrupted
        after some chunks (a server stop, a retry after a fault) goes on."""
        Log = self.env["sme.accounting.sync.log"].sudo()
        uuid = self.env.context.get("job_uuid")
        # Left 'running' by a server that died, or 'failed' by an attempt after some chunks were committed.
        log = uuid and direction == "pull" and Log.search([
            ("backend_id", "=", self.id), ("entity", "=", entity), ("direction", "=", direction),
            ("job_uuid", "=", uuid), "|", ("state", "=", "running"),
            "&", ("state", "=", "failed"), ("progress_done", ">", 0)], limit=1)
        if log:
            log.write({"state": "running", "message": False})
        else:
            log = Log._start(self, entity, direction)
        if committing:
            self._commit_chunk()  # the run shows from its start
        return SyncRun(log)

    @api.multi
    def _commits_chunks(self):
        """Whether this run commits its chunks: in a queue job, outside the
        test runner (whose transaction is rolled back at the end of a test)."""
        return bool(self.env.context.get("job_uuid")) and not getattr(threading.current_thread(), "testing", False)

    @api.multi
    def _commit_chunk(self):
        if self._commits_chunks():
            self.env.cr.commit()

    @api.model
    def _chunk_size(self):
        size = self.env["ir.config_parameter"].sudo().get_param("sme_accounting_hub.chunk_size")
        return int(size) if size and size.isdigit() and int(size) > 0 else CHUNK_SIZE

    @api.multi
    def _fail_run(self, entity, direction, error, committed_log=None):
        """Record a failed attempt and hand queue_job what to do: retry later
        (network, limits; a spent quota also pauses the connection), or stop
        (credentials refused: the connection goes to error; other refusals).
        The last retry that still fails says so on the connection."""
        text = redact(getattr(error, "name", None) or str(error), self._secrets_to_hide())
        if isinstance(error, TransientError):
            attempt, attempts = self._job_attempt()
            gave_up = bool(attempts) and attempt >= attempts
            if gave_up:
                text = _("Gave up after %d attempts: %s") % (attempt, text)
            self._record_outside_transaction(
                entity, direction, text, pause_for=error.retry_after if isinstance(error, QuotaExhausted) else None,
                gave_up=gave_up, log_id=committed_log)
            raise RetryableJobError(text, seconds=error.retry_after)
        self._record_outside_transaction(entity, direction, text, stop=isinstance(error, AuthError),
                                         log_id=committed_log)
        raise FailedJobError(text)

    @api.multi
    def _job_attempt(self):
        """``(this attempt, attempts allowed)`` of the running queue job;
        ``(1, None)`` outside a job."""
        uuid = self.env.context.get("job_uuid")
        queued = uuid and self.env["queue.job"].sudo().search([("uuid", "=", uuid)], limit=1)
        if not queued:
            return 1, None
        # queue_job counts the attempt in memory; the stored count is the earlier ones.
        return queued.retry + 1, queued.max_retries or MAX_ATTEMPTS

    @api.multi
    def _hold_running_job_lock(self):
        """Say 'this job is running' for as long as it runs (see
        :meth:`_cron_sme_requeue_interrupted_jobs`): a session lock, as the
        job commits its chunks; a server that dies drops its connections
        and so the lock."""
        uuid = self.env.context.get("job_uuid")
        if uuid:
            self.env.cr.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", (RUNNING_JOB_LOCK, uuid))

    @api.multi
    def _release_running_job_lock(self):
        uuid = self.env.context.get("job_uuid")
        if uuid:
            self.env.cr.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", (RUNNING_JOB_LOCK, uuid))

    @api.model
    def _cron_sme_requeue_interrupted_jobs(self, grace_seconds=30):
        """Sync jobs left 'started' or 'enqueued' by a server that died
        (kill -9, power cut) go back to pending: queue_job's runner cannot
        tell them from running ones and would keep their channel full. A job
        is running while its transaction holds its advisory lock; one whose
        lock is free, started more than ``grace_seconds`` ago, is not."""
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(seconds=grace_seconds))
        stuck = self.env["queue.job"].sudo().search([
            ("model_name", "=", self._name), ("state", "in", ("started", "enqueued")), "|",
            ("date_started", "<", limit), "&", ("date_started", "=", False), ("date_enqueued", "<", limit)])
        requeued = given_up = self.env["queue.job"]
        for queued in stuck:
            self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
                                (RUNNING_JOB_LOCK, queued.uuid))
            if self.env.cr.fetchone()[0]:
                if queued.sme_interruptions + 1 >= MAX_INTERRUPTIONS:
                    given_up |= queued
                else:
                    requeued |= queued
        for queued in requeued:
            queued.sme_interruptions += 1
        requeued.requeue()
        # A job killed again and again is killed by something that will not
        # go away by itself (the server's time limit on a very long pull).
        reason = _("Interrupted %d times while it ran (a server stop, or a pull longer than the server's "
                   "time limit, limit_time_real): not queued again. Raise the limit for a large first import, "
                   "then requeue it.") % MAX_INTERRUPTIONS
        given_up.write({"state": "failed", "exc_info": reason, "sme_interruptions": MAX_INTERRUPTIONS})
        self.env["sme.accounting.sync.log"].sudo().search([
            ("job_uuid", "in", given_up.mapped("uuid")), ("state", "=", "running")]).write(
            {"state": "failed", "message": reason})
        for backend in self.browse(set(sum(((requeued | given_up).mapped("record_ids")), []))).exists():
            mine = lambda jobs: jobs.filtered(lambda q: backend.id in q.record_ids)  # noqa: E731
            if mine(requeued):
                backend.message_post(body=_("%d sync job(s) interrupted by a server stop were queued again.")
                                     % len(mine(requeued)))
            if mine(given_up):
                backend.sudo().write({"last_error": reason})
                backend.message_post(body=reason)
        return len(requeued)

    @api.multi
    def _record_outside_transaction(self, entity, direction, error, stop=False, pause_for=None, gave_up=False,
                                    log_id=None):
        """The job's transaction is rolled back when it fails: the failed
        run's log (and the backend's error state) go in through a cursor of
        their own so that the admin sees them. ``log_id``: the log a run in
        a job committed, which says it failed (the retry resumes it when it
        had committed chunks)."""
        with registry(self.env.cr.dbname).cursor() as cr:
            env = api.Environment(cr, self.env.uid, dict(self.env.context))
            # A backend created in this very transaction (tests, a first
            # sync run inline) is not visible there: record it here instead.
            backend = self.with_env(env).exists() or self
            log = log_id and backend.env["sme.accounting.sync.log"].sudo().browse(log_id).exists()
            if not log:
                log = backend.env["sme.accounting.sync.log"]._start(backend, entity, direction)
            log._finish(error=error)
            values = {"last_error": error}
            if stop:
                values["state"] = "error"
            if pause_for:
                resume = fields.Datetime.from_string(fields.Datetime.now()) + timedelta(seconds=pause_for)
                values.update(state="paused", resume_at=fields.Datetime.to_string(resume))
            backend.sudo().write(values)
            if pause_for:
                backend.message_post(body=_("Paused until %s UTC: %s") % (values["resume_at"], error))
            if stop:
                backend.message_post(body=_("Sync stopped: the accounting system refused the "
                                            "credentials (%s). Fix them and resume.") % error)
            if gave_up:
                backend.message_post(body=_("A %s of %s failed for good: %s. Requeue the job from Sync jobs "
                                            "once the accounting system answers again.")
                                     % (direction, entity, error))

    # ------------------------------------------------------------------
    # Cursors of incremental pulls
    # ------------------------------------------------------------------
    @api.multi
    def _advance_cursor(self, entity, since, seen, failed):
        """Move the entity's change marker past what was read, but never
        past a record that failed: the next run reads it again (records
        already imported are skipped through their bindings). Markers are
        numbers (Tally ALTERID, Busy codes) or timestamps (Marg DateTime):
        with a failed timestamp the cursor stays where it was."""
        seen = [mark for mark in seen if mark is not None]
        top = max(seen) if seen else since
        if failed:
            numeric = all(isinstance(mark, int) for mark in failed)
            top = min(top, min(failed) - 1) if numeric and top is not None else since
        self._set_cursor(entity, version=top)
