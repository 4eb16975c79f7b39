# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingSettingsZoho(models.Model):
    """A Zoho Books connection: OAuth, the data centre, the organization."""

    _name = "sme.accounting.settings.zoho"
    _inherit = ["sme.accounting.settings.oauth", "sme.accounting.settings.ledgers"]
    _description = "Zoho Books settings"

    url = fields.Char(help="Leave empty for Zoho's own API (set for the sandbox).")
    region = fields.Selection(
        [
            ("in", "India (zoho.in)"),
            ("com", "United States (zoho.com)"),
            ("eu", "Europe (zoho.eu)"),
            ("com.au", "Australia (zoho.com.au)"),
            ("jp", "Japan (zoho.jp)"),
        ],
        "Zoho data centre",
        default="in",
    )
    organization_id = fields.Char("Zoho organization ID")

    @api.multi
    def _connector_settings(self):
        values = super(SmeAccountingSettingsZoho, self)._connector_settings()
        values.update(region=self.region or "in", organization_id=self.organization_id)
        return values
