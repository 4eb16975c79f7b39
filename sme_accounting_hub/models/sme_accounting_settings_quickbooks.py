# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingSettingsQuickbooks(models.Model):
    """A QuickBooks Online connection: OAuth, the company (realm), the
    environment, the item invoice lines are sent on."""

    _name = "sme.accounting.settings.quickbooks"
    _inherit = ["sme.accounting.settings.oauth", "sme.accounting.settings.ledgers"]
    _description = "QuickBooks settings"

    url = fields.Char(help="Leave empty for Intuit's own API (set for the sandbox).")
    realm_id = fields.Char(
        "QuickBooks company (realmId)",
        help="Filled in by Connect: the company the authorization was granted for.",
    )
    environment = fields.Selection(
        [("production", "Production"), ("sandbox", "Intuit sandbox company")],
        "QuickBooks environment",
        default="production",
    )
    sales_item = fields.Char(
        "QuickBooks item for invoice lines",
        default="Sales",
        help="QuickBooks needs a product/service on every invoice line: the lines "
        "sent from Odoo use this one (the description says what was sold).",
    )

    @api.multi
    def _connector_settings(self):
        values = super(SmeAccountingSettingsQuickbooks, self)._connector_settings()
        values.update(
            realm_id=self.realm_id,
            environment=self.environment or "production",
            sales_item=self.sales_item or "Sales",
        )
        return values
