# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

# The lead statuses other systems know (new, contacted, qualified, won;
# lost is not a stage in Odoo: a lost lead is archived with a reason).
LEAD_STATUSES = [
    ("new", "New"),
    ("contacted", "Contacted"),
    ("qualified", "Qualified"),
    ("won", "Won"),
]


class CrmStage(models.Model):
    _inherit = "crm.stage"

    sme_lead_status = fields.Selection(
        LEAD_STATUSES,
        string="Lead status",
        required=True,
        default="new",
        index=True,
        help="What a lead in this stage is for other systems and reports. "
        "Moving an opportunity to a Won stage wins it (draft invoice, event).",
    )
