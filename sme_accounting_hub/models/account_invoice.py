# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class AccountInvoice(models.Model):
    _inherit = "account.invoice"

    @api.multi
    def unlink(self):
        # Its binding refuses the deletion (ondelete restrict): say so in words first.
        self.env["sme.accounting.binding"]._check_unbound(
            self,
            _(
                "it is in the books there: cancel it, or reverse it with a credit "
                "note, instead of deleting it."
            ),
        )
        return super(AccountInvoice, self).unlink()
