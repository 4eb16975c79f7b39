# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmeAccountingPartnerBinding(models.Model):
    _name = "sme.accounting.partner.binding"
    _inherit = "sme.accounting.binding.mixin"
    _description = "Customer in an accounting system"
    _odoo_model = "res.partner"

    # restrict: a customer known to an accounting system is archived, never
    # deleted (the customer master archives customers with history, and
    # res.partner's _sme_has_history counts a binding as history). Deleted,
    # its ledger there would meet no one here and the next pull would create
    # it again as a new customer.
    odoo_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="restrict"
    )
