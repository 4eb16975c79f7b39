# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import identity_exact, job, related_action

from ..sync.job_run import (  # noqa: F401 (tests read them here)
    MAX_ATTEMPTS,
    RETRY_PATTERN,
    RUNNING_JOB_LOCK,
    JobRun,
)
from ..sync.registry import PULL_ENTITIES, UNITS, export_entity
from .sme_accounting_backend import FREQUENCIES

# Each system's jobs run on a channel of its own (odoo.conf: Tally's has capacity 1).
CHANNEL = "root.sme_accounting.%s"
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
    def _pushes(self, entity):
        self.ensure_one()
        return (
            self.state == "active"
            and self.direction in ("push", "both")
            and self["sync_%s" % entity]
            and self._can_push(entity)
        )

    @api.multi
    def _enqueue_pulls(self, entities=None):
        jobs = []
        for backend in self:
            for entity in entities or PULL_ENTITIES:
                if (
                    entity in PULL_ENTITIES
                    and backend["sync_%s" % entity]
                    and backend._can_pull(entity)
                    and backend.direction in ("pull", "both")
                ):
                    jobs.append(
                        backend.with_delay(
                            channel=CHANNEL % backend.system,
                            identity_key=identity_exact,
                            max_retries=MAX_ATTEMPTS,
                            description=_("%s: pull %s") % (backend.name, entity),
                        ).sme_job_pull(entity)
                    )
        return [j for j in jobs if j]

    @api.multi
    def _enqueue_export(self, record):
        self.ensure_one()
        return self.with_delay(
            channel=CHANNEL % self.system,
            identity_key=identity_exact,
            max_retries=MAX_ATTEMPTS,
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
        backends = self.sudo().search(
            [("company_id", "=", company.id), ("state", "=", "active")]
        )
        return [
            backend._enqueue_export(record)
            for backend in backends
            if backend._pushes(entity)
        ]

    @api.model
    def _cron_sme_enqueue_scheduled_syncs(self):
        due = self.search(
            [
                ("state", "=", "paused"),
                ("resume_at", "!=", False),
                ("resume_at", "<=", fields.Datetime.now()),
            ]
        )
        for backend in due:  # paused by a daily API quota: a new day has begun
            backend.write({"state": "active", "resume_at": False, "last_error": False})
            backend.message_post(
                body=_("Resumed: the accounting system's daily quota is renewed.")
            )
        now = fields.Datetime.from_string(fields.Datetime.now())
        for backend in self.search(
            [("state", "=", "active"), ("frequency", "!=", "manual")]
        ):
            minutes = FREQUENCIES[backend.frequency]
            last = backend.last_sync_date and fields.Datetime.from_string(
                backend.last_sync_date
            )
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
            raise UserError(
                _("The connection '%s' is %s: activate it first.")
                % (backend.name, backend.state)
            )
        if entity and not (entity in PULL_ENTITIES and backend._can_pull(entity)):
            raise UserError(
                _("'%s' cannot be pulled from %s. Pullable: %s.")
                % (
                    entity,
                    backend.name,
                    ", ".join(e for e in PULL_ENTITIES if backend._can_pull(e)),
                )
            )
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
        if (
            not queued
            or queued.model_name != self._name
            or not self.browse(queued.record_ids).exists()
        ):
            raise UserError(_("No sync job %s.") % job_uuid)
        self.browse(queued.record_ids).check_access_rule("read")
        logs = (
            self.env["sme.accounting.sync.log"]
            .sudo()
            .search([("job_uuid", "=", job_uuid)])
        )
        return {
            "state": queued.state,
            "result": queued.result or False,
            "error": (queued.exc_info or "").strip().splitlines()[-1]
            if queued.exc_info
            else False,
            "logs": [
                {
                    "entity": log.entity,
                    "direction": log.direction,
                    "state": log.state,
                    "created": log.created,
                    "updated": log.updated,
                    "skipped": log.skipped,
                    "failed": log.failed,
                    "done": log.progress_done,
                    "expected": log.progress_expected,
                    "progress": log.progress or "",
                    "failures": [
                        {"external_id": line.external_id, "reason": line.reason}
                        for line in log.line_ids
                    ],
                }
                for log in logs
            ],
        }

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    @job(default_channel="root.sme_accounting", retry_pattern=RETRY_PATTERN)
    @api.multi
    def sme_job_pull(self, entity):
        self.ensure_one()
        return JobRun(self, entity, "pull")(UNITS[entity](self).pull)

    @job(default_channel="root.sme_accounting", retry_pattern=RETRY_PATTERN)
    @related_action(
        action="related_action_sme_record"
    )  # "Related" opens the record sent (queue_job.py)
    @api.multi
    def sme_job_export(self, model, res_id):
        self.ensure_one()
        record = self.env[model].browse(res_id).exists()
        if not record:
            return _("Nothing to send: %s %s was deleted.") % (model, res_id)
        entity = export_entity(record)
        if not entity:
            return (
                _("Nothing to send: %s goes with its own document.")
                % record.display_name
            )
        return JobRun(self, entity, "push")(
            lambda run: run.count(UNITS[entity](self).push(record, run))
        )

    @api.model
    def _cron_sme_requeue_interrupted_jobs(self, grace_seconds=30):
        """Sync jobs left 'started' or 'enqueued' by a server that died
        (kill -9, power cut) go back to pending: queue_job's runner cannot
        tell them from running ones and would keep their channel full. A job
        is running while its transaction holds its advisory lock; one whose
        lock is free, started more than ``grace_seconds`` ago, is not."""
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now())
            - timedelta(seconds=grace_seconds)
        )
        stuck = (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("model_name", "=", self._name),
                    ("state", "in", ("started", "enqueued")),
                    "|",
                    ("date_started", "<", limit),
                    "&",
                    ("date_started", "=", False),
                    ("date_enqueued", "<", limit),
                ]
            )
        )
        requeued = given_up = self.env["queue.job"]
        for queued in stuck:
            self.env.cr.execute(
                "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))",
                (RUNNING_JOB_LOCK, queued.uuid),
            )
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
        reason = (
            _(
                "Interrupted %d times while it ran (a server stop, or a pull longer "
                "than the server's time limit, limit_time_real): not queued again. "
                "Raise the limit for a large first import, then requeue it."
            )
            % MAX_INTERRUPTIONS
        )
        given_up.write(
            {
                "state": "failed",
                "exc_info": reason,
                "sme_interruptions": MAX_INTERRUPTIONS,
            }
        )
        self.env["sme.accounting.sync.log"].sudo().search(
            [("job_uuid", "in", given_up.mapped("uuid")), ("state", "=", "running")]
        ).write({"state": "failed", "message": reason})
        for backend in self.browse(
            set(sum(((requeued | given_up).mapped("record_ids")), []))
        ).exists():

            def mine(jobs, backend=backend):
                return jobs.filtered(lambda q: backend.id in q.record_ids)

            if mine(requeued):
                backend.message_post(
                    body=_(
                        "%d sync job(s) interrupted by a server stop were queued again."
                    )
                    % len(mine(requeued))
                )
            if mine(given_up):
                backend.sudo().write({"last_error": reason})
                backend.message_post(body=reason)
        return len(requeued)
