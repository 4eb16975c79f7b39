# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.sme_customer_master.tools import arguments as check
from odoo.addons.sme_customer_master.tools.clock import sme_today
from odoo.addons.sme_customer_master.tools.create_many import create_many

from ..tools import health_formulas as formulas
from ..tools.referral_codes import new_referral_code

SEGMENTS = [
    ("new", "New"),
    ("healthy", "Healthy"),
    ("at_risk", "At risk"),
    ("critical", "Critical"),
]
POSTED_SCORES = ("support", "usage")
MAX_REASON_LENGTH = 256


class SmeCustomerHealth(models.Model):
    """A customer's health profile in one company: scores 0-100, segment,
    referral code. Keyed by the customer; name, phone and email are read
    through the partner, never copied."""

    _name = "sme.customer.health"
    _description = "Customer health profile"
    _rec_name = "partner_id"
    _order = "overall_score, id"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.customer.health"
        ),
    )
    payment_score = fields.Integer(default=100, readonly=True)
    engagement_score = fields.Integer(default=0, readonly=True)
    support_score = fields.Integer(readonly=True)
    support_known = fields.Boolean(readonly=True, help="A support score was posted.")
    usage_score = fields.Integer(string="Product usage score", readonly=True)
    usage_known = fields.Boolean(
        readonly=True, help="A product usage score was posted."
    )
    overall_score = fields.Integer(
        compute="_compute_overall", store=True, group_operator="avg"
    )
    segment = fields.Selection(
        SEGMENTS, compute="_compute_overall", store=True, index=True
    )
    credit_hold = fields.Boolean(
        related="partner_id.sme_credit_hold",
        readonly=True,
        help="On credit hold, the payment score counts as 0.",
    )
    invoice_count = fields.Integer(readonly=True, help="Validated customer invoices.")
    last_purchase_date = fields.Date(readonly=True)
    purchases_last_year = fields.Integer(readonly=True)
    referral_code = fields.Char(readonly=True, copy=False, index=True)
    history_ids = fields.One2many(
        "sme.customer.health.history", "health_id", readonly=True
    )

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "A customer has one health profile per company.",
        ),
        (
            "referral_code_company_uniq",
            "unique(company_id, referral_code)",
            "Referral codes are unique within a company.",
        ),
    ]

    @api.depends(
        "payment_score",
        "engagement_score",
        "support_score",
        "support_known",
        "usage_score",
        "usage_known",
        "invoice_count",
        "partner_id.sme_credit_hold",
        "company_id.sme_health_weight_payment",
        "company_id.sme_health_weight_engagement",
        "company_id.sme_health_weight_support",
        "company_id.sme_health_weight_usage",
        "company_id.sme_health_healthy_from",
        "company_id.sme_health_critical_below",
    )
    def _compute_overall(self):
        for health in self:
            company = health.company_id
            hold = health.partner_id.sme_credit_hold
            health.overall_score = formulas.overall_score(
                health._scores(), company._sme_health_weights(), credit_hold=hold
            )
            # A hold is history enough: it is never "new".
            has_history = bool(
                health.invoice_count
                or health.support_known
                or health.usage_known
                or hold
            )
            health.segment = formulas.segment(
                health.overall_score,
                company.sme_health_healthy_from,
                company.sme_health_critical_below,
                has_history,
            )

    def _scores(self):
        return {
            "payment": self.payment_score,
            "engagement": self.engagement_score,
            "support": self.support_score if self.support_known else None,
            "usage": self.usage_score if self.usage_known else None,
        }

    # ------------------------------------------------------------------
    # Profiles
    # ------------------------------------------------------------------
    @api.model
    def create(self, vals):
        # Every customer has a referral code from the start (no button): a
        # profile is made by the customer-created event, on install and by
        # "Create missing health profiles".
        health = super(SmeCustomerHealth, self).create(vals)
        if not health.referral_code:
            health.action_generate_referral_code()
        return health

    @api.model
    def _sme_profile_for(self, partner, company=None):
        """The customer's profile in its company, created when missing."""
        company = company or partner.company_id or self.env.user.company_id
        profile = self.sudo().search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)], limit=1
        )
        return profile or self.sudo().create(
            {"partner_id": partner.id, "company_id": company.id}
        )

    @api.model
    def _sme_profiles_for_new(self, partners):
        """Profiles of customers just created together (an import), in one
        INSERT, each with its referral code: ``_sme_profile_for`` for many."""
        keys = {
            (partner.id, (partner.company_id or self.env.user.company_id).id)
            for partner in partners
        }
        have = {
            (health.partner_id.id, health.company_id.id)
            for health in self.sudo().search([("partner_id", "in", partners.ids)])
        }
        missing = sorted(keys - have)
        codes = self._sme_free_referral_codes(
            [company_id for _partner_id, company_id in missing]
        )
        return create_many(
            self.sudo(),
            [
                {
                    "partner_id": partner_id,
                    "company_id": company_id,
                    "referral_code": code,
                }
                for (partner_id, company_id), code in zip(missing, codes)
            ],
        )

    @api.model
    def _sme_free_referral_codes(self, company_ids):
        """A new referral code for each of ``company_ids`` (one per entry),
        none used in its company: drawn together, checked in one query."""
        codes = [new_referral_code() for _company in company_ids]
        for _attempt in range(5):
            self.env.cr.execute(
                "SELECT company_id, referral_code FROM sme_customer_health "
                "WHERE referral_code = ANY(%s)",
                (codes,),
            )
            taken = set(self.env.cr.fetchall())
            seen, clashes = set(), []
            for index, key in enumerate(zip(company_ids, codes)):
                if key in taken or key in seen:
                    clashes.append(index)
                seen.add(key)
            if not clashes:
                return codes
            for index in clashes:
                codes[index] = new_referral_code()
        return [
            code if (company, code) not in taken else False
            for company, code in zip(company_ids, codes)
        ]

    @api.model
    def action_create_missing_profiles(self):
        """One-off: health profiles for customers that existed before the
        addon was installed. Safe to run again; returns how many it made."""
        customers = self.env["res.partner"].search(
            [("customer", "=", True), ("parent_id", "=", False)]
        )
        have = set(
            self.sudo()
            .search([("partner_id", "in", customers.ids)])
            .mapped("partner_id")
            .ids
        )
        missing = customers.filtered(lambda p: p.id not in have)
        for partner in missing:
            self._sme_profile_for(partner)._sme_recompute(
                _("Profile created for an existing customer")
            )
        return len(missing)

    # ------------------------------------------------------------------
    # Scores from invoices
    # ------------------------------------------------------------------
    @api.multi
    def _sme_recompute(self, reason, today=None):
        """Recompute the payment and engagement scores from the customer's
        invoices and log every change with ``reason``."""
        today = fields.Date.from_string(today) if today else sme_today(self)
        for health in self:
            invoices = (
                self.env["account.invoice"]
                .sudo()
                .search(
                    [
                        ("commercial_partner_id", "=", health.partner_id.id),
                        ("company_id", "=", health.company_id.id),
                        ("type", "=", "out_invoice"),
                        ("state", "in", ("open", "paid")),
                    ]
                )
            )
            purchase_dates = [
                fields.Date.from_string(d) for d in invoices.mapped("date_invoice") if d
            ]
            last = max(purchase_dates) if purchase_dates else None
            responses = health.history_ids.filtered(
                lambda h: h.kind == "campaign_response"
                and fields.Date.from_string(h.date[:10]) >= today - timedelta(days=90)
            )
            values = {
                "payment_score": formulas.payment_score(
                    [o for o in (_outcome(inv, today) for inv in invoices) if o]
                ),
                "engagement_score": formulas.engagement_score(
                    (today - last).days if last else None,
                    len(
                        [d for d in purchase_dates if d >= today - timedelta(days=365)]
                    ),
                    len(responses),
                ),
                "last_purchase_date": fields.Date.to_string(last) if last else False,
                "invoice_count": len(invoices),
                "purchases_last_year": len(
                    [d for d in purchase_dates if d >= today - timedelta(days=365)]
                ),
            }
            health._sme_write_scores(values, reason)

    @api.multi
    def _sme_write_scores(self, values, reason):
        """Write score values, logging each score that moved."""
        self.ensure_one()
        history = self.env["sme.customer.health.history"].sudo()
        for name in (
            "payment_score",
            "engagement_score",
            "support_score",
            "usage_score",
        ):
            if name in values and values[name] != self[name]:
                history.create(
                    {
                        "health_id": self.id,
                        "kind": "score",
                        "score": name[: -len("_score")],
                        "old_value": self[name],
                        "new_value": values[name],
                        "reason": reason,
                    }
                )
        self.sudo().write(values)

    # ------------------------------------------------------------------
    # Inputs from other systems (XML-RPC)
    # ------------------------------------------------------------------
    @api.model
    def sme_post_scores(self, partner_id, scores, reason="", company_id=None):
        """Post the support and/or product-usage score (0-100) of a customer.

        ``scores``: ``{'support': 80, 'usage': 55}`` (either or both).
        Returns the profile: ``{'partner_id', 'overall_score', 'segment',
        'payment_score', 'engagement_score', 'support_score', 'usage_score'}``.
        """
        reason = check.text("reason", reason, MAX_REASON_LENGTH)
        health = self._sme_profile_for_call(partner_id, company_id)
        if (
            not isinstance(scores, dict)
            or not scores
            or set(scores) - set(POSTED_SCORES)
        ):
            raise UserError(
                _("Scores must be a dictionary with 'support' and/or 'usage'.")
            )
        values = {}
        for name, value in scores.items():
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not 0 <= value <= 100
            ):
                raise UserError(
                    _("The %s score must be a whole number from 0 to 100, not %s.")
                    % (name, check.describe(value))
                )
            values["%s_score" % name] = value
            values["%s_known" % name] = True
        health._sme_write_scores(values, reason or _("Posted by an external system"))
        return health._sme_summary()

    @api.model
    def sme_record_campaign_response(self, partner_id, reason="", company_id=None):
        """Count a campaign response of the customer (engagement, 90 days)."""
        reason = check.text("reason", reason, MAX_REASON_LENGTH)
        health = self._sme_profile_for_call(partner_id, company_id)
        self.env["sme.customer.health.history"].sudo().create(
            {
                "health_id": health.id,
                "kind": "campaign_response",
                "score": "engagement",
                "reason": reason or _("Campaign response"),
            }
        )
        health._sme_recompute(_("Campaign response"))
        return health._sme_summary()

    @api.model
    def _sme_profile_for_call(self, partner_id, company_id):
        partner_id = check.record_id("partner_id", partner_id, required=True)
        company = self.env["res.company"]._sme_company_for_call(company_id)
        partner = self.env["res.partner"].browse(partner_id).exists()
        if (
            not partner
            or partner.company_id != company
            or not partner._sme_is_master_customer()
        ):
            raise UserError(
                _("Customer %s does not exist in %s.") % (partner_id, company.name)
            )
        partner.check_access_rule("read")
        return self._sme_profile_for(partner, company)

    @api.multi
    def _sme_summary(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "overall_score": self.overall_score,
            "segment": self.segment,
            "payment_score": self.payment_score,
            "engagement_score": self.engagement_score,
            "support_score": self.support_score if self.support_known else False,
            "usage_score": self.usage_score if self.usage_known else False,
        }

    # ------------------------------------------------------------------
    # Referral code
    # ------------------------------------------------------------------
    @api.multi
    def action_generate_referral_code(self):
        for health in self.filtered(lambda h: not h.referral_code):
            for _attempt in range(5):
                code = new_referral_code()
                if not self.sudo().search_count(
                    [
                        ("company_id", "=", health.company_id.id),
                        ("referral_code", "=", code),
                    ]
                ):
                    health.sudo().referral_code = code
                    break
        return True

    @api.model
    def sme_get_referral_code(self, partner_id, company_id=None):
        """The customer's referral code, generated on first request."""
        health = self._sme_profile_for_call(partner_id, company_id)
        health.action_generate_referral_code()
        return health.referral_code

    # ------------------------------------------------------------------
    # Scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_sme_recompute_engagement(self):
        """Recency decays with time: refresh every profile once a day; and
        give a code to any profile still without one."""
        self.search([("referral_code", "=", False)]).action_generate_referral_code()
        self.search([])._sme_recompute(_("Daily refresh"))


def _outcome(invoice, today):
    """How one invoice counts for the payment score (None: not yet due)."""
    due = fields.Date.from_string(invoice.date_due) if invoice.date_due else None
    if invoice.state == "paid":
        dates = invoice.payment_move_line_ids.mapped("date")
        paid_on = fields.Date.from_string(max(dates)) if dates else today
        late = (paid_on - due).days if due and paid_on > due else None
        return formulas.InvoiceOutcome(days_late=late, overdue=False)
    if due and due < today:
        return formulas.InvoiceOutcome(days_late=None, overdue=True)
    return None
