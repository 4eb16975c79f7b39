# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmeAccountingSyncLogLine(models.Model):
    """A record that failed in a sync run: which, why, and what was sent or
    received (secrets masked)."""

    _name = "sme.accounting.sync.log.line"
    _description = "Accounting sync failure"

    log_id = fields.Many2one(
        "sme.accounting.sync.log", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="log_id.company_id", store=True, readonly=True)
    level = fields.Selection(
        [("error", "Failed"), ("warning", "Warning")],
        default="error",
        required=True,
        readonly=True,
    )
    external_id = fields.Char(readonly=True)
    reason = fields.Text(readonly=True)
    payload = fields.Text(readonly=True)
