# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sme_customer_master.tools.clock import sme_today

# The standard tiers every company starts with: (name, points earned in 12
# months). Their customer groups give 0 % until the company sets the
# discount: installing the addon never starts giving discounts by itself.
DEFAULT_TIERS = [("Silver", 1000), ("Gold", 5000), ("Platinum", 20000)]
# Moves that count as points earned: earnings, less what refunds took back.
EARNED_KINDS = ("earned", "reversed")
WINDOW_MONTHS = 12


def as_date(record, day=None):
    """``day`` (a date or 'YYYY-MM-DD') as a date; the business day when empty."""
    if not day:
        return sme_today(record)
    return day if isinstance(day, date) else fields.Date.from_string(day)


class SmeLoyaltyTier(models.Model):
    """A loyalty tier of a company: customers whose points earned in the
    last 12 months reach ``min_points_12m`` are in it (the highest tier they
    reach), and get its customer group, whose discount applies to their new
    invoices.

    The group is the tier's benefit: a promotion or demotion sets the
    customer's group to the new tier's group only when the customer has no
    group or a group of one of the company's tiers; a group chosen by hand
    (e.g. Wholesale) is never overwritten."""

    _name = "sme.loyalty.tier"
    _description = "Loyalty tier"
    _order = "company_id, min_points_12m, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.loyalty.tier"
        ),
    )
    min_points_12m = fields.Integer(
        "Points in 12 months from",
        required=True,
        help="Customers who earned at least these points in the last 12 months "
        "(less points taken back by refunds) are in this tier, or a higher one.",
    )
    customer_group_id = fields.Many2one(
        "sme.customer.group",
        string="Benefit (customer group)",
        ondelete="restrict",
        help="Members get this customer group and its discount, unless their "
        "group was chosen by hand.",
    )
    customer_count = fields.Integer("Customers", compute="_compute_customer_count")

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A company has one loyalty tier of a name.",
        ),
        (
            "points_company_uniq",
            "unique(min_points_12m, company_id)",
            "Two loyalty tiers of a company cannot start at the same points.",
        ),
        (
            "points_positive",
            "CHECK(min_points_12m > 0)",
            "A loyalty tier starts at more than 0 points.",
        ),
    ]

    @api.constrains("customer_group_id", "company_id")
    def _check_group_company(self):
        for tier in self.filtered("customer_group_id"):
            group = tier.customer_group_id
            if group.company_id and group.company_id != tier.company_id:
                raise ValidationError(
                    _("The customer group %s of tier %s belongs to %s, not to %s.")
                    % (
                        group.name,
                        tier.name,
                        group.company_id.name,
                        tier.company_id.name,
                    )
                )

    @api.multi
    def _compute_customer_count(self):
        counts = {
            row["sme_loyalty_tier_id"][0]: row["sme_loyalty_tier_id_count"]
            for row in self.env["res.partner"].read_group(
                [("sme_loyalty_tier_id", "in", self.ids)],
                ["sme_loyalty_tier_id"],
                ["sme_loyalty_tier_id"],
            )
        }
        for tier in self:
            tier.customer_count = counts.get(tier.id, 0)

    @api.multi
    def action_view_customers(self):
        self.ensure_one()
        action = self.env.ref("base.action_partner_customer_form").read()[0]
        action["domain"] = [("sme_loyalty_tier_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Standard tiers
    # ------------------------------------------------------------------
    @api.model
    def _sme_create_defaults(self, company):
        """The standard tiers of a company that has none (archived ones
        count: a company that removed them is not given them again), each
        with a customer group of its name at 0 %."""
        Tier = self.sudo().with_context(active_test=False)
        if Tier.search_count([("company_id", "=", company.id)]):
            return Tier.browse()
        Group = self.env["sme.customer.group"].sudo().with_context(active_test=False)
        tiers = Tier.browse()
        for sequence, (name, points) in enumerate(DEFAULT_TIERS, 1):
            group_name = _("%s tier") % name
            group = Group.search(
                [("company_id", "=", company.id), ("name", "=", group_name)], limit=1
            ) or Group.create(
                {
                    "name": group_name,
                    "company_id": company.id,
                    "discount_type": "percent",
                    "amount": 0.0,
                }
            )
            tiers |= Tier.create(
                {
                    "name": name,
                    "sequence": sequence,
                    "company_id": company.id,
                    "min_points_12m": points,
                    "customer_group_id": group.id,
                }
            )
        return tiers

    @api.model
    def _sme_create_missing_defaults(self):
        """Standard tiers for the companies without any (install, update)."""
        for company in self.env["res.company"].sudo().search([]):
            self._sme_create_defaults(company)
        return True

    # ------------------------------------------------------------------
    # Evaluation
    # ------------------------------------------------------------------
    @api.model
    def _sme_window(self, day):
        """The 12 months that end on ``day``: (first excluded day, day)."""
        return day - relativedelta(months=WINDOW_MONTHS), day

    @api.model
    def _sme_points_12m(self, partners, company, day):
        """``{partner_id: points earned in the 12 months to day}``."""
        if not partners:
            return {}
        after, until = self._sme_window(day)
        self.env.cr.execute(
            "SELECT partner_id, SUM(points) FROM sme_loyalty_move"
            " WHERE company_id = %s AND partner_id IN %s AND kind IN %s"
            " AND date > %s AND date <= %s GROUP BY partner_id",
            (
                company.id,
                tuple(partners.ids),
                EARNED_KINDS,
                fields.Date.to_string(after),
                fields.Date.to_string(until),
            ),
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _sme_evaluate(self, partners, company, day=None):
        """Promote or demote ``partners`` (customers of ``company``) to the
        tier their points of the 12 months to ``day`` (default: the business
        day) reach. Returns the partners whose tier changed."""
        day = as_date(self, day)
        partners = partners.filtered(
            lambda p: not p.parent_id and p.company_id in (company, company.browse())
        )
        Tier = self.sudo().with_context(active_test=False)
        all_tiers = Tier.search([("company_id", "=", company.id)])
        tiers = all_tiers.filtered("active").sorted(
            key=lambda t: t.min_points_12m, reverse=True
        )
        tier_groups = all_tiers.mapped("customer_group_id")
        points = self._sme_points_12m(partners, company, day)
        changed = partners.browse()
        for partner in partners.sudo():
            value = points.get(partner.id) or 0.0
            tier = next(
                (t for t in tiers if value >= t.min_points_12m), self.sudo().browse()
            )
            if partner.sme_loyalty_tier_id == tier:
                continue
            tier._sme_move_partner(partner, company, day, value, tier_groups)
            changed |= partner
        return changed

    @api.multi
    def _sme_move_partner(self, partner, company, day, points, tier_groups):
        """Put ``partner`` in tier ``self`` (empty: no tier) from ``day``:
        a dated history row, the benefit's group, a chatter note."""
        old = partner.sme_loyalty_tier_id
        after, until = self._sme_window(day)
        values = {
            "points": points,
            "after": fields.Date.to_string(after + relativedelta(days=1)),
            "until": fields.Date.to_string(until),
        }
        if self:
            reason = _(
                "%(points)g points earned from %(after)s to %(until)s: "
                "%(tier)s from %(min)d points."
            ) % dict(values, tier=self.name, min=self.min_points_12m)
        else:
            reason = _(
                "%(points)g points earned from %(after)s to %(until)s: below "
                "%(tier)s (%(min)d points)."
            ) % dict(values, tier=old.name, min=old.min_points_12m)
        History = self.env["sme.loyalty.tier.history"].sudo()
        History.search(
            [
                ("partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("date_to", "=", False),
            ]
        ).write({"date_to": fields.Date.to_string(day)})
        History.create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "tier_id": self.id or False,
                "previous_tier_id": old.id or False,
                "date_from": fields.Date.to_string(day),
                "points": points,
                "reason": reason,
            }
        )
        write = {"sme_loyalty_tier_id": self.id or False}
        group = partner.sme_customer_group_id
        # Never overwrite a group chosen by hand: only an empty group or a
        # tier's group follows the tier.
        if not group or group in tier_groups:
            write["sme_customer_group_id"] = self.customer_group_id.id or False
        partner.sudo().write(write)
        if self and old and self.min_points_12m > old.min_points_12m:
            title = _("Promoted to loyalty tier %s") % self.name
        elif self and not old:
            title = _("Promoted to loyalty tier %s") % self.name
        elif self:
            title = _("Demoted to loyalty tier %s") % self.name
        else:
            title = _("Left loyalty tier %s") % old.name
        partner.sudo().message_post(
            body=_("%(change)s. %(reason)s") % {"change": title, "reason": reason}
        )

    @api.model
    def _sme_on_invoice_paid(self, invoice):
        """After the points of a paid invoice: the customer's tier and
        badges, and the badges of whoever referred the customer."""
        customer = invoice.commercial_partner_id
        company = invoice.company_id
        referrers = (
            self.env["sme.referral"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("referred_id", "=", customer.id),
                    ("status", "in", ("qualified", "rewarded")),
                ]
            )
            .mapped("referrer_id")
        )
        # Referrers earn points for the referral this payment qualified.
        self._sme_evaluate(customer | referrers, company)
        self.env["sme.loyalty.badge"]._sme_award(customer | referrers, company)

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_sme_evaluate_tiers(self, day=None):
        """Daily: promotions, and the demotions of customers whose points
        aged out of the 12-month window. Looks only at customers with
        points in the window or a tier now."""
        day = as_date(self, day)
        after, until = self._sme_window(day)
        changed = self.env["res.partner"]
        for company in self.env["res.company"].sudo().search([]):
            self.env.cr.execute(
                "SELECT partner_id FROM sme_loyalty_move"
                " WHERE company_id = %s AND kind IN %s AND date > %s AND date <= %s"
                " UNION SELECT p.id FROM res_partner p"
                " JOIN sme_loyalty_tier t ON t.id = p.sme_loyalty_tier_id"
                " WHERE t.company_id = %s",
                (
                    company.id,
                    EARNED_KINDS,
                    fields.Date.to_string(after),
                    fields.Date.to_string(until),
                    company.id,
                ),
            )
            ids = [row[0] for row in self.env.cr.fetchall()]
            Partner = self.env["res.partner"].sudo().with_context(active_test=False)
            for start in range(0, len(ids), 1000):
                changed |= self._sme_evaluate(
                    Partner.browse(ids[start : start + 1000]), company, day
                )
        return changed
