# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingSettingsLedgers(models.AbstractModel):
    """The ledger names a system's vouchers use for what Odoo books: the
    customers' group, sales, receipts and the GST ledgers. Read by the
    hub's mappings (``mappers/``) for systems that take or
    give vouchers."""

    _name = "sme.accounting.settings.ledgers"
    _inherit = "sme.accounting.settings"
    _description = "Ledger mapping of an accounting connection"

    customer_group = fields.Char("Customer ledger group", default="Sundry Debtors")
    sales_ledger = fields.Char("Sales ledger", default="Sales")
    bank_ledger = fields.Char(
        "Receipts ledger",
        default="HDFC Bank",
        help="Ledger debited by customer receipts (bank or cash).",
    )
    cgst_ledger = fields.Char("CGST ledger", default="Output CGST")
    sgst_ledger = fields.Char("SGST ledger", default="Output SGST")
    igst_ledger = fields.Char("IGST ledger", default="Output IGST")
    other_tax_ledger = fields.Char("Other taxes ledger", default="Output IGST")

    @api.multi
    def _connector_settings(self):
        values = super(SmeAccountingSettingsLedgers, self)._connector_settings()
        values["customer_group"] = self.customer_group
        return values
