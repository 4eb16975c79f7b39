# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models
from odoo.exceptions import UserError


class CrmPartnerBinding(models.TransientModel):
    """The conversion wizards propose the customer who has the lead's phone
    first: one phone is one customer (Odoo itself matches by email and name
    only)."""

    _inherit = "crm.partner.binding"

    @api.model
    def _find_matching_partner(self):
        if self.env.context.get("active_model") == "crm.lead" and self.env.context.get(
            "active_id"
        ):
            lead = self.env["crm.lead"].browse(self.env.context["active_id"])
            if not lead.partner_id and lead.phone:
                try:
                    found = self.env["res.partner"].sme_find_customer_by_phone(
                        lead.phone, (lead.company_id or self.env.user.company_id).id
                    )
                except UserError:
                    found = False  # not a phone the master takes: Odoo's matching
                if found and found["active"]:
                    return found["id"]
        return super(CrmPartnerBinding, self)._find_matching_partner()
