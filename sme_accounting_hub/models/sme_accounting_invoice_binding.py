# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmeAccountingInvoiceBinding(models.Model):
    _name = "sme.accounting.invoice.binding"
    _inherit = "sme.accounting.binding.mixin"
    _description = "Invoice in an accounting system"
    _odoo_model = "account.invoice"

    # restrict: an invoice exchanged with the books there is in them; it is
    # cancelled or reversed by a credit note, not deleted (Odoo deletes only
    # draft invoices that never had a number). Without its binding the next
    # pull would book the voucher there a second time.
    odoo_id = fields.Many2one(
        "account.invoice", "Invoice", required=True, index=True, ondelete="restrict"
    )
