# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeLoyaltyTierHistory(models.Model):
    """One period of a customer in a loyalty tier (an empty tier: in none,
    after a demotion below the lowest tier): from ``date_from`` until
    ``date_to``, the day the next period began (empty: the current one)."""

    _name = "sme.loyalty.tier.history"
    _description = "Loyalty tier history"
    _order = "date_from desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.loyalty.tier.history"
        ),
    )
    tier_id = fields.Many2one("sme.loyalty.tier", string="Tier", ondelete="restrict")
    previous_tier_id = fields.Many2one(
        "sme.loyalty.tier", string="Previous tier", ondelete="restrict"
    )
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("Until", help="The day the next period began.")
    points = fields.Float("Points in 12 months", digits=(16, 2))
    reason = fields.Char(required=True)

    @api.model_cr
    def init(self):
        # One current period per customer and company, however many payments
        # are evaluated at once: a racing second one fails and is retried.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_loyalty_tier_history_current_uniq"
            " ON sme_loyalty_tier_history (partner_id, company_id)"
            " WHERE date_to IS NULL"
        )
