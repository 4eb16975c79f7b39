# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmeAccountingPaymentBinding(models.Model):
    _name = "sme.accounting.payment.binding"
    _inherit = "sme.accounting.binding.mixin"
    _description = "Payment in an accounting system"
    _odoo_model = "account.payment"

    # restrict: as invoices, a payment exchanged is in the books there;
    # cancel it (Odoo keeps a cancelled payment). Deleted, its receipt would
    # be booked again by the next pull.
    odoo_id = fields.Many2one(
        "account.payment", "Payment", required=True, index=True, ondelete="restrict"
    )
