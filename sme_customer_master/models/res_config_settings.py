# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sme_require_customer_address = fields.Boolean(
        related="company_id.sme_require_customer_address"
    )
    sme_require_customer_email = fields.Boolean(
        related="company_id.sme_require_customer_email"
    )
    sme_require_customer_gstin = fields.Boolean(
        related="company_id.sme_require_customer_gstin"
    )
    sme_customer_placeholder_name = fields.Char(
        related="company_id.sme_customer_placeholder_name"
    )
