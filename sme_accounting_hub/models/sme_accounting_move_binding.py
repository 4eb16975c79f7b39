# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SmeAccountingMoveBinding(models.Model):
    _name = "sme.accounting.move.binding"
    _inherit = "sme.accounting.binding.mixin"
    _description = "Journal entry in an accounting system"
    _odoo_model = "account.move"

    # restrict: journal and bank entries exchanged are in the books there;
    # they are reversed, not deleted (deleted, the voucher there would be
    # booked again by the next pull, or the two books would differ without
    # a trace).
    odoo_id = fields.Many2one(
        "account.move", "Journal entry", required=True, index=True, ondelete="restrict"
    )
