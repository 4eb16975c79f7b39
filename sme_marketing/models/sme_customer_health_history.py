# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

SCORES = [
    ("payment", "Payment"),
    ("engagement", "Engagement"),
    ("support", "Support"),
    ("usage", "Product usage"),
]


class SmeCustomerHealthHistory(models.Model):
    """Why a health score moved: one dated row per change, with the reason."""

    _name = "sme.customer.health.history"
    _description = "Customer health history"
    _order = "date desc, id desc"

    health_id = fields.Many2one(
        "sme.customer.health",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    partner_id = fields.Many2one(
        related="health_id.partner_id", store=True, readonly=True
    )
    company_id = fields.Many2one(
        related="health_id.company_id", store=True, readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    kind = fields.Selection(
        [("score", "Score change"), ("campaign_response", "Campaign response")],
        required=True,
        default="score",
        readonly=True,
    )
    score = fields.Selection(SCORES, readonly=True)
    old_value = fields.Integer(readonly=True)
    new_value = fields.Integer(readonly=True)
    reason = fields.Char(readonly=True)
