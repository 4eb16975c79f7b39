# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class SmeLoyaltyBadgeAward(models.Model):
    """A badge a customer received, once."""

    _name = "sme.loyalty.badge.award"
    _description = "Loyalty badge award"
    _order = "date desc, id desc"
    _rec_name = "badge_id"

    badge_id = fields.Many2one(
        "sme.loyalty.badge", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.loyalty.badge.award"
        ),
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    reason = fields.Char()
    image = fields.Binary(related="badge_id.image", readonly=True)

    _sql_constraints = [
        (
            "badge_partner_uniq",
            "unique(badge_id, partner_id)",
            "A customer receives a badge once.",
        ),
    ]

    @api.model
    def _sme_insert(self, badge, partner_ids, day):
        """Award ``badge`` to the partners without it. ``ON CONFLICT DO
        NOTHING``: two payments of one customer at once never award twice
        nor fail the payment (the later one is retried by Odoo when the
        award is not in its snapshot)."""
        done = set(
            self.search(
                [("badge_id", "=", badge.id), ("partner_id", "in", partner_ids)]
            ).mapped("partner_id.id")
        )
        reason = badge._sme_reason()
        new_ids = []
        for partner_id in partner_ids:
            if partner_id in done:
                continue
            self.env.cr.execute(
                "INSERT INTO sme_loyalty_badge_award"
                " (badge_id, partner_id, company_id, date, reason,"
                "  create_uid, write_uid, create_date, write_date)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s,"
                " now() at time zone 'UTC', now() at time zone 'UTC')"
                " ON CONFLICT (badge_id, partner_id) DO NOTHING RETURNING id",
                (
                    badge.id,
                    partner_id,
                    badge.company_id.id,
                    fields.Date.to_string(day),
                    reason,
                    self.env.uid,
                    self.env.uid,
                ),
            )
            row = self.env.cr.fetchone()
            if row:
                new_ids.append(row[0])
        if new_ids:  # rows written in SQL: the ORM's caches do not know them
            self.env["res.partner"].invalidate_cache(
                ["sme_loyalty_badge_award_ids"], partner_ids
            )
            badge.invalidate_cache(["award_ids"], badge.ids)
        return self.browse(new_ids)
