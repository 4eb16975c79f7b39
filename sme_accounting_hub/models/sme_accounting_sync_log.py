# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json
import time
from datetime import timedelta

from odoo import _, api, fields, models

from sme_connectors.redact import redact


class SmeAccountingSyncLog(models.Model):
    """One run of one entity's sync in one direction, with its counts; the
    records that failed are child lines with the reason and the payload."""

    _name = "sme.accounting.sync.log"
    _description = "Accounting sync log"
    _order = "id desc"

    backend_id = fields.Many2one(
        "sme.accounting.backend",
        "Connection",
        required=True,
        ondelete="cascade",
        index=True,
        readonly=True,
    )
    company_id = fields.Many2one(
        related="backend_id.company_id", store=True, readonly=True
    )
    entity = fields.Char(required=True, readonly=True)
    direction = fields.Selection(
        [("pull", "Pull"), ("push", "Push")], required=True, readonly=True
    )
    state = fields.Selection(
        [
            ("running", "Running"),
            ("done", "Done"),
            ("partial", "Done with failures"),
            ("failed", "Failed"),
        ],
        default="running",
        required=True,
        readonly=True,
    )
    created = fields.Integer(readonly=True)
    updated = fields.Integer(readonly=True)
    skipped = fields.Integer(readonly=True)
    failed = fields.Integer(readonly=True)
    duration = fields.Float("Duration (s)", readonly=True)
    message = fields.Text(readonly=True)
    job_uuid = fields.Char("Sync job", readonly=True, index=True)
    started = fields.Float(
        readonly=True, help="Start time (epoch seconds), for the duration."
    )
    line_ids = fields.One2many("sme.accounting.sync.log.line", "log_id", readonly=True)
    progress_done = fields.Integer("Records read", readonly=True)
    progress_expected = fields.Integer(
        "Records expected",
        readonly=True,
        help="As the accounting system announced them; 0 when it does not say.",
    )
    progress = fields.Char(
        compute="_compute_progress",
        help="Of a running pull: records done of expected, rate and time left.",
    )
    resume_state = fields.Text(
        readonly=True,
        copy=False,
        help="Where a pull interrupted by a server stop resumes (technical).",
    )

    @api.multi
    def name_get(self):
        # "Tally at the shop: pull customers, 2026-11-30 10:02" rather than
        # "sme.accounting.sync.log,64".
        directions = dict(self._fields["direction"].selection)
        return [
            (
                log.id,
                "%s: %s %s, %s"
                % (
                    log.backend_id.name,
                    directions.get(log.direction, log.direction).lower(),
                    log.entity,
                    log.create_date or "",
                ),
            )
            for log in self
        ]

    @api.model
    def _start(self, backend, entity, direction):
        return self.sudo().create(
            {
                "backend_id": backend.id,
                "entity": entity,
                "direction": direction,
                "job_uuid": self.env.context.get("job_uuid"),
                "started": time.time(),
            }
        )

    @api.multi
    def _add_line(self, external_id, reason, payload=None, level=None):
        """A failure line (or, with ``level='warning'``, a note) with the
        reason and the payload, secrets taken out of both."""
        self.ensure_one()
        secrets = self.env["sme.accounting.credential"]._all_plaintexts(self.backend_id)
        values = {
            "log_id": self.id,
            "external_id": external_id,
            "reason": redact(str(reason), secrets),
            "payload": redact(json.dumps(payload, default=str, sort_keys=True), secrets)
            if payload
            else False,
        }
        if level:
            values["level"] = level
        self.env["sme.accounting.sync.log.line"].sudo().create(values)

    @api.multi
    def _compute_progress(self):
        for log in self:
            done, expected = log.progress_done, log.progress_expected
            if log.state != "running":
                log.progress = _("%d records") % done if done else False
                continue
            elapsed = time.time() - (log.started or time.time())
            rate = done / elapsed if elapsed > 0 else 0.0
            text = (
                _("%d of %d (%d%%)") % (done, expected, 100 * done // expected)
                if expected
                else _("%d read") % done
            )
            if rate:
                text += _(", %.1f records/s") % rate
                if expected > done:
                    text += _(", about %s left") % _duration((expected - done) / rate)
            log.progress = text

    @api.multi
    def _finish(self, message=None, error=None):
        self.ensure_one()
        self.sudo().write(
            {
                "state": "failed" if error else ("partial" if self.failed else "done"),
                "message": error or message,
                "duration": time.time() - (self.started or time.time()),
            }
        )

    @api.model
    def _open_failures(self, backend):
        """Logs of ``backend`` whose failures still stand: the latest pull of
        each entity (a later pull that took the record clears it), and sends
        that failed in the last 7 days (a person fixes the cause and sends
        again)."""
        latest_pulls = {}
        for log in self.search(
            [
                ("backend_id", "=", backend.id),
                ("direction", "=", "pull"),
                ("state", "!=", "running"),
            ],
            order="id desc",
            limit=500,
        ):
            latest_pulls.setdefault(log.entity, log)
        week_ago = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=7)
        )
        pushes = self.search(
            [
                ("backend_id", "=", backend.id),
                ("direction", "=", "push"),
                ("state", "in", ("partial", "failed")),
                ("create_date", ">=", week_ago),
            ]
        )
        return (
            self.union(*latest_pulls.values()).filtered(
                lambda log: log.state in ("partial", "failed")
            )
            | pushes
        )

    @api.model
    def _cron_sme_cleanup(self, days=90):
        limit = fields.Datetime.to_string(
            fields.Datetime.from_string(fields.Datetime.now()) - timedelta(days=days)
        )
        old = self.sudo().search([("create_date", "<", limit)])
        old.unlink()
        return len(old)


def _duration(seconds):
    if seconds < 90:
        return _("%d s") % max(seconds, 1)
    if seconds < 90 * 60:
        return _("%d min") % round(seconds / 60.0)
    return _("%.1f h") % (seconds / 3600.0)
