# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingSettingsMadeup(models.Model):
    """The made-up system's settings: the shared ones (address, timeout)
    and a book of its own, found by the hub from the system's key."""

    _name = "sme.accounting.settings.madeup"
    _inherit = "sme.accounting.settings"
    _description = "Made-up Books settings"

    book = fields.Char(
        "Book", default="Main book", help="Which book of Made-up Books to read."
    )
    api_key = fields.Char(
        compute="_compute_secrets", inverse="_inverse_secrets", string="API key"
    )

    @api.multi
    def _connector_settings(self):
        values = super(SmeAccountingSettingsMadeup, self)._connector_settings()
        values.update(company=self.book, api_key=self._secret("api_key"))
        return values
