# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

from .sme_loyalty_tier import as_date

RULES = [
    ("first_purchase", "First purchase"),
    ("invoices_count", "Invoices paid"),
    ("referrals", "Qualified referrals"),
    ("customer_years", "Years as a customer"),
]
# The standard badges every company starts with: (name, rule, threshold).
DEFAULT_BADGES = [
    ("First purchase", "first_purchase", 1),
    ("Tenth invoice", "invoices_count", 10),
    ("Five referrals", "referrals", 5),
    ("One year as a customer", "customer_years", 1),
]


class SmeLoyaltyBadge(models.Model):
    """A milestone a customer of the company reaches once: the first paid
    invoice, N paid invoices, N qualified referrals, N years as a customer
    (since the customer was created or first invoiced, whichever is
    earlier). Awarded once per customer by the invoice-paid listener and
    the daily scheduled action.

    Not Odoo's ``gamification``: its badges, goals and challenges are for
    users (employees), with karma and user-to-user granting; customers are
    partners without users."""

    _name = "sme.loyalty.badge"
    _description = "Loyalty badge"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True)
    description = fields.Text()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.loyalty.badge"
        ),
    )
    rule = fields.Selection(RULES, required=True, default="invoices_count")
    threshold = fields.Integer(
        default=1,
        required=True,
        help="N of the rule: invoices paid, qualified referrals or years. "
        "A first purchase is one paid invoice.",
    )
    image = fields.Binary(attachment=True)
    award_ids = fields.One2many("sme.loyalty.badge.award", "badge_id", readonly=True)
    award_count = fields.Integer("Awarded", compute="_compute_award_count")

    _sql_constraints = [
        (
            "threshold_positive",
            "CHECK(threshold >= 1)",
            "The threshold of a badge is at least 1.",
        ),
    ]

    @api.multi
    def _compute_award_count(self):
        counts = {
            row["badge_id"][0]: row["badge_id_count"]
            for row in self.env["sme.loyalty.badge.award"].read_group(
                [("badge_id", "in", self.ids)], ["badge_id"], ["badge_id"]
            )
        }
        for badge in self:
            badge.award_count = counts.get(badge.id, 0)

    # ------------------------------------------------------------------
    # Standard badges
    # ------------------------------------------------------------------
    @api.model
    def _sme_create_defaults(self, company):
        """The standard badges of a company that has none (archived ones
        count: a company that removed them is not given them again)."""
        Badge = self.sudo().with_context(active_test=False)
        if Badge.search_count([("company_id", "=", company.id)]):
            return Badge.browse()
        badges = Badge.browse()
        for sequence, (name, rule, threshold) in enumerate(DEFAULT_BADGES, 1):
            badges |= Badge.create(
                {
                    "name": name,
                    "rule": rule,
                    "threshold": threshold,
                    "sequence": sequence,
                    "company_id": company.id,
                }
            )
        return badges

    @api.model
    def _sme_create_missing_defaults(self):
        """Standard badges for the companies without any (install, update)."""
        for company in self.env["res.company"].sudo().search([]):
            self._sme_create_defaults(company)
        return True

    # ------------------------------------------------------------------
    # Measures
    # ------------------------------------------------------------------
    @api.model
    def _sme_measure(self, rule, partners, company, day):
        """``{partner_id: value}`` of a rule for ``partners``."""
        ids = tuple(partners.ids)
        if rule in ("first_purchase", "invoices_count"):
            self.env.cr.execute(
                "SELECT commercial_partner_id, COUNT(*) FROM account_invoice"
                " WHERE company_id = %s AND type = 'out_invoice' AND state = 'paid'"
                " AND commercial_partner_id IN %s GROUP BY commercial_partner_id",
                (company.id, ids),
            )
            return dict(self.env.cr.fetchall())
        if rule == "referrals":
            self.env.cr.execute(
                "SELECT referrer_id, COUNT(*) FROM sme_referral"
                " WHERE company_id = %s AND status IN ('qualified', 'rewarded')"
                " AND referrer_id IN %s GROUP BY referrer_id",
                (company.id, ids),
            )
            return dict(self.env.cr.fetchall())
        # customer_years: full years from the earlier of the customer's
        # creation and first validated invoice (customers imported with
        # their history) to ``day``.
        self.env.cr.execute(
            "SELECT p.id, LEAST(p.create_date::date, MIN(i.date_invoice))"
            " FROM res_partner p LEFT JOIN account_invoice i"
            " ON i.commercial_partner_id = p.id AND i.company_id = %s"
            " AND i.type = 'out_invoice' AND i.state IN ('open', 'paid')"
            " WHERE p.id IN %s GROUP BY p.id",
            (company.id, ids),
        )
        # Odoo's cursor returns dates as 'YYYY-MM-DD' texts.
        since = {
            partner_id: fields.Date.from_string(value)
            for partner_id, value in self.env.cr.fetchall()
            if value
        }
        return {
            partner_id: relativedelta(day, start).years
            for partner_id, start in since.items()
            if start <= day
        }

    # ------------------------------------------------------------------
    # Awarding
    # ------------------------------------------------------------------
    @api.model
    def _sme_award(self, partners, company, day=None):
        """Award the company's badges ``partners`` have reached and not
        received yet; returns the new awards."""
        day = as_date(self, day)
        partners = partners.filtered(
            lambda p: not p.parent_id and p.company_id in (company, company.browse())
        )
        Award = self.env["sme.loyalty.badge.award"].sudo()
        badges = self.sudo().search([("company_id", "=", company.id)])
        if not partners or not badges:
            return Award
        measures = {}
        awards = Award
        for badge in badges:
            if badge.rule not in measures:
                measures[badge.rule] = self._sme_measure(
                    badge.rule, partners, company, day
                )
            threshold = 1 if badge.rule == "first_purchase" else badge.threshold
            due = [
                pid for pid, value in measures[badge.rule].items() if value >= threshold
            ]
            if due:
                awards |= Award._sme_insert(badge, due, day)
        for award in awards:
            award.partner_id.message_post(
                body=_("Badge earned: %s (%s).") % (award.badge_id.name, award.reason)
            )
        return awards

    @api.multi
    def _sme_reason(self):
        self.ensure_one()
        return {
            "first_purchase": _("first invoice paid"),
            "invoices_count": _("%d invoices paid") % self.threshold,
            "referrals": _("%d qualified referrals") % self.threshold,
            "customer_years": _("%d year(s) as a customer") % self.threshold,
        }[self.rule]

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_sme_award_badges(self, day=None):
        """Daily: the badges of every customer (years as a customer come
        with time; events missed are caught up)."""
        day = as_date(self, day)
        awards = self.env["sme.loyalty.badge.award"]
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        for company in self.env["res.company"].sudo().search([]):
            if not self.sudo().search_count([("company_id", "=", company.id)]):
                continue
            partners = Partner.search(
                [
                    ("company_id", "=", company.id),
                    ("customer", "=", True),
                    ("parent_id", "=", False),
                ]
            )
            for start in range(0, len(partners), 1000):
                awards |= self._sme_award(partners[start : start + 1000], company, day)
        return awards
