# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmeAccountingAccountBinding(models.Model):
    _name = "sme.accounting.account.binding"
    _inherit = "sme.accounting.binding.mixin"
    _description = "Account in an accounting system"
    _odoo_model = "account.account"

    # cascade: an account is mapping, not a document: Odoo deletes only an
    # account without journal items, and the usual reason is an account the
    # chart-of-accounts pull created for a ledger Odoo keeps under another
    # name. Its link goes with it, and the next pull links the ledger to the
    # account it matches (or the one set in Linked records).
    odoo_id = fields.Many2one(
        "account.account", "Account", required=True, index=True, ondelete="cascade"
    )
