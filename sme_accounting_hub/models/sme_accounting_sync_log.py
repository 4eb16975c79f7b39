import json
import time
from datetime import timedelta

from odoo import api, fields, models

from ..connectors.redact import redact

COUNTERS = ("created", "updated", "skipped", "failed")
# Counts of running logs, by (database, log id), written by _finish. Each
# UPDATE of a row leaves a version that every later UPDATE of it in the same
# transaction walks past: counting each record of a 100,000-ledger import with
# an UPDATE of its log made the import slow down as it went (quadratic).
_PENDING_COUNTS = {}


class SmeAccountingSyncLog(models.Model):
    """One run of one entity's sync in one direction, with its counts; the
    records that failed are child lines with the reason and the payload."""

    _name = "sme.accounting.sync.log"
    _description = "Accounting sync log"
    _order = "id desc"

    backend_id = fields.Many2one("sme.accounting.backend", "Connection", required=True, ondelete="cascade",
                                 index=True, readonly=True)
    company_id = fields.Many2one(related="backend_id.company_id", store=True, readonly=True)
    entity = fields.Char(required=True, readonly=True)
    direction = fields.Selection([("pull", "Pull"), ("push", "Push")], required=True, readonly=True)
    state = fields.Selection([("running", "Running"), ("done", "Done"), ("partial", "Done with failures"),
                              ("failed", "Failed")], default="running", required=True, readonly=True)
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    skipped = fields.Integer(readonly=True)
    failed = fields.Integer(readonly=True)
    duration = fields.Float("Duration (s)", readonly=True)
    message = fields.Text(readonly=True)
    job_uuid = fields.Char("Sync job", readonly=True, index=True)
    started = fields.Float(readonly=True, help="Start time (epoch seconds), for the duration.")
    line_ids = fields.One2many("sme.accounting.sync.log.line", "log_id", readonly=True)

    @api.multi
    def name_get(self):
        # "Tally at the shop: pull customers, 2026-11-30 10:02" rather than "sme.accounting.sync.log,64".
        directions = dict(self._fields["direction"].selection)
        return [(log.id, "%s: %s %s, %s" % (log.backend_id.name, directions.get(log.direction, log.direction).lower(),
                                            log.entity, log.create_date or "")) for log in self]

    @api.model
    def _start(self, backend, entity, direction):
        return self.sudo().create({"backend_id": backend.id, "entity": entity, "direction": direction,
                                   "job_uuid": self.env.context.get("job_uuid"), "started": time.time()})

    @api.multi
    def _count(self, outcome):
        """``outcome``: created, updated, skipped or failed; written by :meth:`_finish`."""
        self.ensure_one()
        pending = _PENDING_COUNTS.setdefault((self.env.cr.dbname, self.id), dict.fromkeys(COUNTERS, 0))
        pending[outcome] += 1

    @api.multi
    def _forget_counts(self):
        for log in self:
            _PENDING_COUNTS.pop((self.env.cr.dbname, log.id), None)

    @api.multi
    def _fail(self, external_id, reason, payload=None):
        secrets = self.env["sme.accounting.credential"]._all_plaintexts(self.backend_id)
        self._count("failed")
        self.env["sme.accounting.sync.log.line"].sudo().create({
            "log_id": self.id, "external_id": external_id, "reason": redact(str(reason), secrets),
            "payload": redact(json.dumps(payload, default=str, sort_keys=True), secrets) if payload else False,
        })

    @api.multi
    def _note(self, external_id, text):
        """A line worth reading that is not a failure (a warning)."""
        self.ensure_one()
        self.env["sme.accounting.sync.log.line"].sudo().create({
            "log_id": self.id, "external_id": external_id, "level": "warning", "reason": text})

    @api.multi
    def _finish(self, message=None, error=None):
        self.ensure_one()
        pending = _PENDING_COUNTS.pop((self.env.cr.dbname, self.id), dict.fromkeys(COUNTERS, 0))
        values = {name: self[name] + pending[name] for name in COUNTERS}
        values.update(state="failed" if error else ("partial" if values["failed"] else "done"),
                      message=error or message, duration=time.time() - (self.started or time.time()))
        self.sudo().write(values)

    @api.model
    def _cron_sme_cleanup(self, days=90):
        limit = fields.Datetime.to_string(fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=days))
        old = self.sudo().search([("create_date", "<", limit)])
        old.unlink()
        return len(old)
