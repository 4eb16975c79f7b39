# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingSettingsBusy(models.Model):
    """A Busy connection: the SME Hub agent on the Busy PC, the company it
    opens, the voucher series, the ledger mapping."""

    _name = "sme.accounting.settings.busy"
    _inherit = "sme.accounting.settings.ledgers"
    _description = "Busy settings"

    url = fields.Char(help="The SME Hub agent on the Busy PC, http://host:8765.")
    remote_company = fields.Char(
        "Company in Busy", help="The company code the agent opens."
    )
    voucher_series = fields.Char(
        "Voucher series",
        default="Main",
        help="The series that vouchers sent from Odoo are numbered in.",
    )
    api_key = fields.Char(
        compute="_compute_secrets",
        inverse="_inverse_secrets",
        string="API key",
        help="The agent's token (the one in its ini file).",
    )

    @api.multi
    def _connector_settings(self):
        values = super(SmeAccountingSettingsBusy, self)._connector_settings()
        values.update(
            company=self.remote_company or None,
            series=self.voucher_series,
            api_key=self._secret("api_key"),
        )
        return values
