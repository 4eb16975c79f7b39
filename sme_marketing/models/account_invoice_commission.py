# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

CUSTOMER_TYPES = ("out_invoice", "out_refund")


class AccountInvoiceLine(models.Model):
    """The customer's channel partner is one more agent of its invoice lines,
    through sale_commission's own hook (``_prepare_agents_vals``, used when a
    line is created without agents and by "recompute agents")."""

    _inherit = "account.invoice.line"

    def _prepare_agents_vals(self, vals=None):
        res = super(AccountInvoiceLine, self)._prepare_agents_vals(vals=vals)
        if self:
            invoice = self.invoice_id
        else:
            invoice = self.env["account.invoice"].browse(vals["invoice_id"])
        if invoice.type not in CUSTOMER_TYPES:
            return res
        channel = invoice.partner_id.commercial_partner_id.sme_channel_partner_id
        # Without a commission type there is nothing to compute (and the
        # agent line requires one); the partner form says so.
        if not channel or not channel.commission:
            return res
        if any(command[2].get("agent") == channel.id for command in res):
            return res  # already one of the customer's sale_commission agents
        return res + [
            (0, 0, {"agent": channel.id, "commission": channel.commission.id})
        ]
