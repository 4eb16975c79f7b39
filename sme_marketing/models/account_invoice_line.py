# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class AccountInvoiceLine(models.Model):
    """The percentage of the customer's group becomes the discount of each
    new line of a draft customer invoice that gives none (a line given a
    discount keeps it; 0 counts as none, as the invoice form always sends
    it)."""

    _inherit = "account.invoice.line"

    sme_group_discount = fields.Boolean(
        "Customer group discount",
        readonly=True,
        copy=False,
        help="The line of the fixed discount of the customer's group.",
    )

    @api.model
    def create(self, vals):
        if (
            not vals.get("discount")
            and not vals.get("sme_group_discount")
            and vals.get("invoice_id")
        ):
            invoice = self.env["account.invoice"].browse(vals["invoice_id"])
            percent = invoice._sme_group_percent()
            if percent:
                vals = dict(vals, discount=percent)
        return super(AccountInvoiceLine, self).create(vals)

    @api.onchange("product_id")
    def _onchange_sme_group_discount(self):
        """Show the group's discount on the form as soon as a line is filled."""
        if not self.discount and self.invoice_id:
            percent = self.invoice_id._sme_group_percent()
            if percent:
                self.discount = percent
