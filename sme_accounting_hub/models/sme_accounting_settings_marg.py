# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingSettingsMarg(models.Model):
    """A Marg connection: Marg's data API, the company code and branch Marg
    gave, the key and the decryption key, the ledger mapping."""

    _name = "sme.accounting.settings.marg"
    _inherit = "sme.accounting.settings.ledgers"
    _description = "Marg settings"

    url = fields.Char(
        help="Marg's data API: https://wservices.margcompusoft.com (empty: that one)."
    )
    remote_company = fields.Char("Company code", help="The company code Marg gave.")
    remote_branch = fields.Char(
        "Branch (CompanyID)",
        default="0",
        help="The CompanyID of the branch to read; 0 reads the company.",
    )
    api_key = fields.Char(
        compute="_compute_secrets",
        inverse="_inverse_secrets",
        string="API key",
        help="The MargKey Marg gave.",
    )
    password = fields.Char(
        compute="_compute_secrets",
        inverse="_inverse_secrets",
        string="Password",
        help="The company's decryption key: Marg's answers are encrypted with it.",
    )

    @api.multi
    def _connector_settings(self):
        values = super(SmeAccountingSettingsMarg, self)._connector_settings()
        values.update(
            company=self.remote_company or None,
            branch=self.remote_branch or "0",
            api_key=self._secret("api_key"),
            password=self._secret("password"),
        )
        return values
