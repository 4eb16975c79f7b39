# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingTrialBalance(models.Model):
    """A read-only snapshot of the accounting system's trial balance, set
    beside Odoo's own balances for the same date."""

    _name = "sme.accounting.trial.balance"
    _description = "Trial balance snapshot"
    _order = "date_to desc, id desc"
    _rec_name = "date_to"

    backend_id = fields.Many2one(
        "sme.accounting.backend", required=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(
        related="backend_id.company_id", store=True, readonly=True
    )
    date_from = fields.Date(readonly=True)
    date_to = fields.Date(readonly=True, required=True)
    line_ids = fields.One2many(
        "sme.accounting.trial.balance.line", "snapshot_id", readonly=True
    )
    difference_count = fields.Integer(compute="_compute_difference_count")

    @api.multi
    def _compute_difference_count(self):
        for snapshot in self:
            snapshot.difference_count = len(snapshot.line_ids.filtered("differs"))
