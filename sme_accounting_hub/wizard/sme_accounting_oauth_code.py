# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeAccountingOauthCode(models.TransientModel):
    """Paste-the-code fallback for a server the vendor cannot redirect to."""

    _name = "sme.accounting.oauth.code"
    _description = "Authorization code for an accounting connection"

    backend_id = fields.Many2one(
        "sme.accounting.backend", required=True, ondelete="cascade"
    )
    code = fields.Char("Authorization code", required=True)
    realm_id = fields.Char(
        "Company ID (realmId)", help="QuickBooks shows it beside the code."
    )

    @api.multi
    def action_connect(self):
        self.ensure_one()
        self.backend_id.check_access_rule("write")
        self.backend_id.settings_ref._oauth_finish(
            self.code, realm_id=self.realm_id or None
        )
        return {"type": "ir.actions.act_window_close"}
