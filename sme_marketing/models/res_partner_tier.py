# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    """The customer's loyalty tier and badges (the Loyalty tab)."""

    _inherit = "res.partner"

    sme_loyalty_tier_id = fields.Many2one(
        "sme.loyalty.tier",
        string="Loyalty tier",
        readonly=True,
        copy=False,
        index=True,
        ondelete="set null",
        help="Set by the points earned in the last 12 months (daily and on "
        "each payment); its changes are in the tier history.",
    )
    sme_loyalty_tier_history_ids = fields.One2many(
        "sme.loyalty.tier.history", "partner_id", string="Tier history", readonly=True
    )
    sme_loyalty_badge_award_ids = fields.One2many(
        "sme.loyalty.badge.award", "partner_id", string="Badges", readonly=True
    )
