# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import float_is_zero


class SmeAccountingTrialBalanceLine(models.Model):
    _name = "sme.accounting.trial.balance.line"
    _description = "Trial balance comparison line"
    _order = "differs desc, name"

    snapshot_id = fields.Many2one(
        "sme.accounting.trial.balance", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(
        related="snapshot_id.company_id", store=True, readonly=True
    )
    name = fields.Char("Account there", readonly=True)
    account_id = fields.Many2one(
        "account.account", string="Odoo account", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Odoo customer", readonly=True)
    matched = fields.Boolean(
        readonly=True, help="Linked to an Odoo account or customer."
    )
    remote_debit = fields.Float("Debit there", readonly=True)
    remote_credit = fields.Float("Credit there", readonly=True)
    odoo_debit = fields.Float("Debit in Odoo", readonly=True)
    odoo_credit = fields.Float("Credit in Odoo", readonly=True)
    difference = fields.Float(
        compute="_compute_difference",
        store=True,
        help="(Debit − credit there) − (debit − credit in Odoo).",
    )
    differs = fields.Boolean(compute="_compute_difference", store=True)

    @api.depends("remote_debit", "remote_credit", "odoo_debit", "odoo_credit")
    def _compute_difference(self):
        for line in self:
            line.difference = round(
                (line.remote_debit - line.remote_credit)
                - (line.odoo_debit - line.odoo_credit),
                2,
            )
            line.differs = not float_is_zero(line.difference, precision_digits=2)
