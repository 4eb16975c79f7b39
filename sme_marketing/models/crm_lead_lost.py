# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmLeadLost(models.TransientModel):
    """Mark Lost asks for the reason: a lost lead without one is refused
    (crm.lead.action_set_lost), so the dialog requires it up front."""

    _inherit = "crm.lead.lost"

    lost_reason_id = fields.Many2one(required=True)
