import json
import threading
from contextlib import contextmanager
from datetime import timedelta

from odoo import _, api, fields, models, registry
from odoo.exceptions import UserError
from odoo.tools import html_escape

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.job import identity_exact, job

from .. import mapping
from ..connectors.base import (
    AuthError, ConnectorError, QuotaExhausted, TransientError, WriteResult)
from ..connectors.redact import redact
from ..sync.batch import CHUNK_SIZE, import_batch
from ..sync.run import SyncRun
from .sme_accounting_binding import payload_hash
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
# Entities this hub can pull today, and which model each exported record syncs as.
PULL_ENTITIES = ("customers", "accounts", "invoices", "payments", "journals", "bank", "trial_balance")
EXPORT_ENTITY = {"res.partner": "customers", "account.invoice": "invoices",
                 "account.payment": "payments", "account.move": "journals"}


def move_entity(move):
    """How a posted entry travels: None for invoices' and registered
    payments' entries (they go as their own vouchers), 'bank' for the entry
    of a reconciled bank statement line, else 'journals'."""
    lines = move.line_ids
    if lines.filtered("invoice_id"):
        return None
    if lines.mapped("statement_line_id"):
        return "bank"
    if lines.filtered("payment_id"):
        return None
    return "journals"
# What identifies a customer to a person: an import that changes one says so in the customer's chatter.
TRACKED_CUSTOMER_FIELDS = ("name", "phone", "mobile", "email", "vat", "street", "street2", "city", "zip",
                           "state_id", "country_id")
# Imported records need no chatter line or follower each: the sync log says it.
IMPORT_CONTEXT = {"sme_hub_importing": True, "mail_create_nolog": True,
                  "mail_create_nosubscribe": True, "tracking_disable": True}


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
        return self._run(entity, "pull", getattr(self, "_pull_%s" % entity))

    @job(default_channel="root.sme_accounting", retry_pattern=RETRY_PATTERN)
    @api.multi
    def sme_job_export(self, model, res_id):
        self.ensure_one()
        record = self.env[model].browse(res_id).exists()
        if not record:
            return _("Nothing to send: %s %s was deleted.") % (model, res_id)
        entity = move_entity(record) if model == "account.move" else EXPORT_ENTITY[model]
        return self._run(entity, "push", lambda run: self._export(record, run))

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

    # ------------------------------------------------------------------
    # Customers in
    # ------------------------------------------------------------------
    @api.multi
    def _pull_customers(self, run):
        since = run.read_point(self, "customers")
        import_batch(self, run, "customers", self._connector().iter_customers(self.customer_group, since),
                     lambda customer: self._import_customer(customer, run), lambda customer: customer.name,
                     since=since)

    @api.multi
    def _import_customer(self, customer, run):
        """Returns created / updated / skipped."""
        Binding = self.env["sme.accounting.binding"]
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        values = mapping.partner_values_from_customer(customer, self.company_id)
        version = str(customer.version or "")
        binding = Binding._find(self, "res.partner", customer.external_id)
        partner = binding.record() if binding else None
        if partner:
            if (version and binding.external_version == version) or \
                    (not version and binding.payload_hash == payload_hash(values)):
                return "skipped"  # unchanged there (by its change marker, else by content)
            if partner.write_date > binding.sync_date and self.conflict_policy != "accounting_wins" \
                    and self._changes(partner, values):
                return self._conflict(binding, partner, values, version)  # changed on both sides
            # A new change marker with nothing new for Odoo writes nothing and emits nothing.
            outcome = self._update_found_customer(partner, customer, values, version, run)
        elif values.get("phone"):
            found = Partner.sme_find_customer_by_phone(values["phone"], self.company_id.id)
            existing = Partner.browse(found["id"]) if found else None
            if existing:
                self._check_not_linked_elsewhere(existing, customer)
                partner, outcome = existing, self._update_found_customer(existing, customer, values, version, run,
                                                                         reactivate=True)
            else:
                result = Partner.sme_upsert_customer(values, self.company_id.id)
                partner = Partner.browse(result["id"])
                outcome = "created" if result["is_new"] else "updated"
        else:
            partner, outcome = self._import_customer_without_phone(customer, values, run)
        self._check_not_linked_elsewhere(partner, customer)
        Binding._bind(self, partner, customer.external_id, external_name=customer.name,
                      external_version=version, payload_hash=payload_hash(values))
        return outcome

    @api.multi
    def _update_found_customer(self, partner, customer, values, version, run, reactivate=False):
        """A record there whose customer Odoo has (linked, or met by phone
        for the first time, then ``reactivate``): take what differs, unless
        another connection that comes first says otherwise (or, of equal
        precedence under 'Ask', a conflict to review). Returns updated /
        skipped."""
        changes = self._changes(partner, values)
        changes, rival = self._weigh_other_connections(partner, changes, customer, run)
        if rival and self.conflict_policy == "manual":
            binding = self.env["sme.accounting.binding"]._bind(
                self, partner, customer.external_id, external_name=customer.name, external_version=version,
                payload_hash=payload_hash(values))
            self._conflict(binding, partner, values, version, rival=rival)
            return "skipped"
        if reactivate and not partner.active:
            changes["active"] = True
        if not changes:
            return "skipped"  # the same customer, already as Odoo has it
        self._track_import(partner, changes)
        partner.with_context(**IMPORT_CONTEXT).write(changes)
        return "updated"

    @api.multi
    def _customer_with_gstin(self, gstin):
        """The company's customer with this GSTIN (any spelling), or nothing:
        a customer's identity when a record there has no phone."""
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        return Partner.search([("company_id", "=", self.company_id.id), ("customer", "=", True),
                               ("parent_id", "=", False), ("vat", "=", Partner._sme_compact_gstin(gstin))], limit=1)

    @api.multi
    def _check_not_linked_elsewhere(self, partner, customer):
        """Two records there are not one customer here: refuse, naming the
        customer as Odoo has it (before this record could rename it)."""
        other = self.env["sme.accounting.binding"]._find(self, "res.partner", record=partner)
        if other and other.external_id != customer.external_id:
            raise UserError(_("it is the same customer (%s) as '%s', already linked to it "
                              "(same phone or GSTIN): merge the two in %s")
                            % (partner.name, other.external_name, dict(self._fields["system"].selection)[self.system]))

    @api.multi
    def _import_customer_without_phone(self, customer, values, run):
        """No phone: the GSTIN is the customer's identity; match by it, else
        create the customer without a phone (with the GSTIN)."""
        Partner = self.env["res.partner"].with_context(**IMPORT_CONTEXT)
        if customer.gstin:
            match = self._customer_with_gstin(customer.gstin)
            if match:
                self._check_not_linked_elsewhere(match, customer)
                match.write(self._writable(values, match))
                return match, "updated"
        partner = Partner.create(dict(self._writable(values, Partner), customer=True, company_id=self.company_id.id))
        run.note(customer.external_id, _("Ledger '%s' has no phone number: created customer %s without one. "
                                         "Add the phone in Odoo or in the ledger.") % (customer.name, partner.display_name))
        return partner, "created"

    @api.multi
    def _writable(self, values, partner):
        """Partner values from a record there, checked by the customer
        master as its upsert checks them (a refusal is a failure line, never
        a bad value stored). An update never clears what Odoo knows, and
        keeps Odoo's phone spelling when it is the same number."""
        values = dict(values)
        if values.get("phone") and partner.sme_phone_normalized:
            try:
                same = partner._sme_normalize_input_phone(values["phone"], partner._sme_company()) \
                    == partner.sme_phone_normalized
            except UserError:
                same = False
            if same:
                values.pop("phone")
        return partner._sme_upsert_vals(values, self.company_id)

    @api.multi
    def _changes(self, partner, values):
        """The values of a record there that differ from what Odoo has:
        same phone in another spelling, same GSTIN in lower case, same state
        are no change."""
        changes = {}
        for name, value in self._writable(values, partner).items():
            field = partner._fields.get(name)
            current = partner[name]
            if field is not None and field.type == "many2one":
                current = current.id
            elif name == "vat":
                value = partner._sme_compact_gstin(value)
            if (current or False) != (value or False):
                changes[name] = value
        return changes

    @api.multi
    def _weigh_other_connections(self, partner, changes, customer, run):
        """Another connection of the company knows this customer: a value
        this one would overwrite is kept when that connection comes first
        (precedence); with equal precedence the two disagree, and the
        other connection is returned as the rival (a conflict under 'Ask').
        Fields Odoo has empty are filled whatever the order.
        Returns ``(changes to write, rival connection or None)``."""
        overwriting = [name for name in changes if partner[name]]
        if not overwriting:
            return changes, None
        others = self.env["sme.accounting.binding"].sudo().search([
            ("model", "=", "res.partner"), ("res_id", "=", partner.id), ("backend_id", "!=", self.id),
            ("company_id", "=", self.company_id.id)]).mapped("backend_id")
        first = others.sorted(lambda backend: backend.sequence)[:1]
        if not first or first.sequence > self.sequence:
            return changes, None
        if first.sequence == self.sequence:
            return changes, first
        kept = {name: changes.pop(name) for name in overwriting}
        run.note(customer.external_id, _("%s: kept %s as %s has it (it comes first among the connections): "
                                          "%s says %s.") % (
            partner.display_name, ", ".join(partner._fields[name].string for name in sorted(kept)), first.name,
            self.name, ", ".join("%s: %s" % (partner._fields[name].string, kept[name]) for name in sorted(kept))))
        return changes, None

    @api.multi
    def _track_import(self, partner, changes):
        """Imports write without Odoo's tracking (a message per record of a
        large pull): a change of what identifies a customer to a person
        still goes in its chatter, saying where it came from."""
        rows = []
        for name in sorted(set(changes) & set(TRACKED_CUSTOMER_FIELDS)):
            field = partner._fields[name]
            before = partner[name].display_name if field.type == "many2one" else partner[name]
            after = self.env[field.comodel_name].browse(changes[name]).display_name \
                if field.type == "many2one" and changes[name] else changes[name]
            rows.append("<li>%s: %s → %s</li>" % (html_escape(field.string), html_escape(before or "—"),
                                                  html_escape(after or "—")))
        if rows:
            partner.with_context(**IMPORT_CONTEXT).message_post(body=_("<p>Updated from %s:</p><ul>%s</ul>") % (
                html_escape(self.name), "".join(rows)))

    @api.multi
    def _conflict(self, binding, partner, values, version, rival=None):
        """Both sides changed the customer since the last sync, or another
        connection of equal precedence (``rival``) says otherwise."""
        if self.conflict_policy == "platform_wins":
            binding.write({"external_version": version, "sync_date": fields.Datetime.now()})
            if self._pushes("customers"):
                self._enqueue_export(partner)
            return "skipped"
        Conflict = self.env["sme.accounting.conflict"].sudo()
        if not Conflict.search([("binding_id", "=", binding.id), ("state", "=", "open")]):
            # Only the fields the two sides disagree on, Odoo's as it has them.
            remote_values = self._changes(partner, values) or self._writable(values, partner)
            odoo_values = {key: partner[key].id if partner._fields[key].type == "many2one" else partner[key]
                           for key in remote_values}
            Conflict.create({"backend_id": self.id, "binding_id": binding.id, "remote_version": version,
                             "rival_backend_id": rival.id if rival else False,
                             "odoo_values": json.dumps(odoo_values, default=str),
                             "remote_values": json.dumps(remote_values, default=str)})
        return "skipped"

    # ------------------------------------------------------------------
    # Records out
    # ------------------------------------------------------------------
    @api.multi
    def _export(self, record, run):
        handler = {"res.partner": self._export_partner, "account.invoice": self._export_invoice,
                   "account.payment": self._export_payment, "account.move": self._export_move}[record._name]
        outcome = handler(record, run)
        if outcome:
            run.count(outcome)

    @api.multi
    def _export_partner(self, partner, run, raise_on_failure=False):
        """Send the customer; a refusal is a failure line in the log (or,
        with ``raise_on_failure``, a UserError carrying the reason, for a
        document that cannot go without its customer)."""
        Binding = self.env["sme.accounting.binding"]
        client = self._connector()
        binding = Binding._find(self, "res.partner", record=partner)
        customer = mapping.customer_from_partner(partner)
        customer = customer._replace(name=self._remote_name(partner, customer.name))
        values_hash = payload_hash(customer._asdict())
        if binding and binding.payload_hash == values_hash:
            return "skipped"
        if binding:
            sent = customer._replace(name=binding.external_name or partner.name, external_id=binding.external_id,
                                     version=binding.external_version or None)
            result = client.push_customer(sent, self.customer_group, alter=True)
            if result.action == "stale":
                result = self._stale_customer(client, binding, partner, sent)
                if result is None:
                    return "skipped"
        else:
            # After an attempt whose outcome is unknown (a timeout), the
            # customer may be there already: look before sending it again.
            twin = self._remote_twin(client, partner, customer) if self._job_attempt()[0] > 1 else None
            result = WriteResult(key=customer.name, action="linked", external_id=twin.external_id,
                                 version=twin.version) if twin else client.push_customer(customer, self.customer_group)
            if result.action == "failed" and "Duplicate name" in (result.error or ""):
                existing = self._remote_twin(client, partner, customer)  # same name there: link to it
                if existing:
                    result = result._replace(action="linked", external_id=existing.external_id, error=None)
                else:
                    result = result._replace(error=_(
                        "the name '%s' is already used there by another customer's record: rename one of "
                        "the two") % customer.name)
        other = result.external_id and Binding._find(self, "res.partner", result.external_id)
        if other and other.res_id != partner.id:
            # A record there already stands for another Odoo customer: never take it over.
            result = result._replace(action="failed", error=_(
                "the name '%s' is already used there by the record of customer %s: give one of the two "
                "another name") % (customer.name, other.record().display_name or other.external_name))
        if result.action == "failed":
            if raise_on_failure:
                raise UserError(_("customer %s could not be sent first: %s") % (partner.display_name, result.error))
            run.fail(partner.display_name, result.error, customer._asdict())
            return None
        Binding._bind(self, partner, result.external_id, external_name=customer.name, payload_hash=values_hash,
                      **({"external_version": result.version} if result.version else {}))
        return "created" if result.action in ("created", "linked") else "updated"

    @api.multi
    def _remote_name(self, partner, name):
        """The name a customer has there. Systems key customers by name
        (Tally ledgers, Zoho and QuickBooks display names): a customer whose
        name became the company's placeholder ("clientCustomer") goes as the
        placeholder and the last digits of its phone, so that two of them
        are two records there."""
        placeholder = partner._sme_company().sme_customer_placeholder_name
        if placeholder and name == placeholder and partner.sme_phone_normalized:
            return "%s %s" % (placeholder, partner.sme_phone_normalized[-4:])
        return name

    @api.multi
    def _remote_twin(self, client, partner, customer):
        """The record there with this customer's name that may be linked to
        it: not linked to another Odoo record, and with the same phone when
        it has one."""
        found = client.find_customer(customer.name)
        if not found or self.env["sme.accounting.binding"]._find(self, "res.partner", found.external_id):
            return None
        theirs = [p for p in (found.mobile, found.phone) if p]
        if theirs and partner.sme_phone_normalized:
            try:
                numbers = {partner._sme_normalize_input_phone(p, partner._sme_company()) for p in theirs}
            except UserError:
                numbers = set()
            if partner.sme_phone_normalized not in numbers:
                return None
        return found

    @api.multi
    def _stale_customer(self, client, binding, partner, sent):
        """The customer changed there since the version Odoo last saw
        (QuickBooks' stale SyncToken): apply the conflict policy. Returns the
        write's result, or None when Odoo's change is not sent."""
        remote = client.find_customer(binding.external_id)
        if not remote:
            raise UserError(_("it was deleted in the accounting system"))
        if self.conflict_policy == "platform_wins":
            return client.push_customer(sent._replace(version=remote.version), self.customer_group, alter=True)
        values = mapping.partner_values_from_customer(remote, self.company_id)
        if self.conflict_policy == "accounting_wins":
            partner.with_context(**IMPORT_CONTEXT).write(self._writable(values, partner))
            self.env["sme.accounting.binding"]._bind(self, partner, remote.external_id, external_name=remote.name,
                                                     external_version=str(remote.version or ""),
                                                     payload_hash=payload_hash(values))
        else:
            self._conflict(binding, partner, values, str(remote.version or ""))
        return None

    @api.multi
    def _party(self, partner, run):
        """The binding of the customer's ledger/contact there, sending the
        customer first if needed."""
        partner = partner.commercial_partner_id
        binding = self.env["sme.accounting.binding"]._find(self, "res.partner", record=partner)
        if not binding:
            self._export_partner(partner, run, raise_on_failure=True)
            binding = self.env["sme.accounting.binding"]._find(self, "res.partner", record=partner)
        return binding

    @api.multi
    def _party_name(self, partner, run):
        return self._party(partner, run).external_name

    @api.multi
    def _export_voucher(self, record, voucher, run):
        Binding = self.env["sme.accounting.binding"]
        client = self._connector()
        binding = Binding._find(self, record._name, record=record)
        if not binding:
            # After an unknown outcome (a timeout) the voucher may be there already.
            found = client.find_voucher(voucher.remote_id, voucher.date, number=voucher.number, kind=voucher.kind)
            if found:
                Binding._bind(self, record, found.external_id or voucher.remote_id,
                              external_name=voucher.number, external_version=str(found.version or ""))
                return "skipped"
        if binding:
            voucher = voucher._replace(external_id=binding.external_id)
        result = client.push_voucher(voucher, alter=bool(binding))
        if result.action == "failed":
            run.fail(voucher.number or voucher.remote_id, result.error, voucher._asdict())
            return None
        Binding._bind(self, record, result.external_id or voucher.remote_id, external_name=voucher.number)
        return "created" if result.action == "created" else "updated"

    @api.multi
    def _export_invoice(self, invoice, run):
        party = self._party(invoice.partner_id, run)
        voucher = mapping.voucher_from_invoice(invoice, self, party.external_name)
        return self._export_voucher(invoice, voucher._replace(party_id=party.external_id), run)

    @api.multi
    def _export_payment(self, payment, run):
        party = self._party(payment.partner_id, run)
        voucher = mapping.voucher_from_payment(payment, self, party.external_name)
        return self._export_voucher(payment, voucher._replace(party_id=party.external_id), run)

    @api.multi
    def _export_move(self, move, run):
        if move_entity(move) == "bank":
            def ledger_for_line(line):
                if line.partner_id and line.account_id.internal_type == "receivable":
                    return self._party_name(line.partner_id, run)
                return line.account_id.name
            return self._export_voucher(move, mapping.voucher_from_bank_move(move, self, ledger_for_line), run)
        return self._export_voucher(move, mapping.voucher_from_move(move), run)
