# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingSettingsTally(models.Model):
    """A Tally connection: Tally's own XML server (or the SME Hub sandbox),
    the company as Tally names it, the ledger mapping."""

    _name = "sme.accounting.settings.tally"
    _inherit = "sme.accounting.settings.ledgers"
    _description = "Tally settings"

    url = fields.Char(
        help="Tally's own server, http://host:9000 (or the sandbox for a trial)."
    )
    remote_company = fields.Char(
        "Company in Tally", help="The company name exactly as Tally shows it."
    )
    password = fields.Char(
        compute="_compute_secrets",
        inverse="_inverse_secrets",
        string="Password",
        help="Only for a Tally server behind a password (basic authentication).",
    )

    @api.multi
    def _connector_settings(self):
        values = super(SmeAccountingSettingsTally, self)._connector_settings()
        values.update(
            company=self.remote_company or None, password=self._secret("password")
        )
        return values
