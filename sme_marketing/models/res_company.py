# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import RedirectWarning


class ResCompany(models.Model):
    _inherit = "res.company"

    # Health score weights and segment thresholds.
    sme_health_weight_payment = fields.Integer("Payment weight", default=40)
    sme_health_weight_engagement = fields.Integer("Engagement weight", default=30)
    sme_health_weight_support = fields.Integer("Support weight", default=15)
    sme_health_weight_usage = fields.Integer("Product usage weight", default=15)
    sme_health_healthy_from = fields.Integer("Healthy from", default=70)
    sme_health_critical_below = fields.Integer("Critical below", default=40)
    # Referral reward rule.
    sme_referral_reward_type = fields.Selection(
        [("fixed", "Fixed amount"), ("percent", "Percent of the first invoice")],
        string="Referral reward",
        default="fixed",
        required=True,
    )
    sme_referral_reward_amount = fields.Float("Reward amount", default=500.0)
    sme_referral_reward_percent = fields.Float("Reward percent", default=5.0)
    sme_referral_reward_cap = fields.Float(
        "Reward cap", default=0.0, help="Largest reward; 0 means no cap."
    )
    sme_referral_reward_account_id = fields.Many2one(
        "account.account",
        string="Reward expense account",
        help="Account of the credit note line that settles a referral reward.",
    )
    sme_referral_expiry_days = fields.Integer(
        "Referrals expire after (days)",
        default=90,
        help="A pending referral whose customer has not paid a first invoice by then expires.",
    )
    # Onboarding.
    sme_onboarding_stall_days = fields.Integer(
        "Onboarding stalls after (days)", default=7
    )
    # Journeys: campaigns customers are enrolled in by events.
    sme_welcome_campaign_id = fields.Many2one(
        "sme.marketing.campaign",
        string="Welcome campaign",
        help="Every new customer is enrolled once in this campaign while it is active.",
    )
    sme_retention_campaign_id = fields.Many2one(
        "sme.marketing.campaign",
        string="Retention campaign",
        help="A customer with an overdue invoice is enrolled once in this campaign "
        "while it is active.",
    )

    # Pipeline: a won opportunity's draft invoice.
    sme_invoice_on_won = fields.Boolean(
        "Invoice won opportunities",
        default=True,
        help="A won opportunity gets a draft customer invoice for its expected revenue.",
    )
    # Channel partners: tier by the revenue of their customers (12 months).
    sme_partner_silver_revenue = fields.Float(
        "Silver partner from (revenue)", default=100000.0
    )
    sme_partner_gold_revenue = fields.Float(
        "Gold partner from (revenue)", default=1000000.0
    )
    sme_commission_product_id = fields.Many2one(
        "product.product",
        string="Commission product",
        help="Service on the channel partners' commission bills; made when missing.",
    )

    # Loyalty points (sme.loyalty.move).
    sme_loyalty_enabled = fields.Boolean("Loyalty points", default=True)
    sme_loyalty_points_per_rupee = fields.Float(
        "Points per rupee",
        default=0.01,
        digits=(16, 4),
        help="Points earned per rupee of a paid invoice's untaxed amount "
        "(0.01: one point per 100 rupees), times the product category multiplier.",
    )
    sme_loyalty_point_value = fields.Float(
        "Rupee value of a point",
        default=1.0,
        digits=(16, 4),
        help="What a redeemed point is worth on the redemption credit note.",
    )
    sme_loyalty_min_redeem = fields.Integer(
        "Minimum balance to redeem",
        default=100,
        help="A customer redeems only with at least this many points.",
    )
    sme_loyalty_expiry_months = fields.Integer(
        "Points expire after (months)",
        default=12,
        help="Earned points not spent by then expire; 0 means never.",
    )
    sme_loyalty_referral_points = fields.Integer(
        "Points for a qualified referral",
        default=100,
        help="Earned by the referrer when the referred customer's first invoice "
        "is paid.",
    )

    def _sme_health_weights(self):
        self.ensure_one()
        return {
            "payment": self.sme_health_weight_payment,
            "engagement": self.sme_health_weight_engagement,
            "support": self.sme_health_weight_support,
            "usage": self.sme_health_weight_usage,
        }

    @api.model
    def create(self, vals):
        company = super(ResCompany, self).create(vals)
        # Every company has its standard onboarding template from the start:
        # the first customers of a new company never race to make it.
        self.env["sme.onboarding.template"]._sme_template_for(company)
        # And its standard loyalty tiers (groups at 0 %) and badges.
        self.env["sme.loyalty.tier"]._sme_create_defaults(company)
        self.env["sme.loyalty.badge"]._sme_create_defaults(company)
        return company

    def _sme_reward_expense_account(self):
        """The account of a reward's credit note line: the one chosen in
        Settings, else the default expense account of the company's chart
        (the product category default, as on a vendor bill line), else any
        expense account of the company. Refuses with a link to Settings
        when the company has none (no chart of accounts yet)."""
        self.ensure_one()
        account = self.sme_referral_reward_account_id
        if not account:
            account = (
                self.env["ir.property"]
                .with_context(force_company=self.id)
                .sudo()
                .get("property_account_expense_categ_id", "product.category")
            )
            account = (
                account
                if account and account.company_id == self
                else self.env["account.account"]
            )
        if not account:
            account = (
                self.env["account.account"]
                .sudo()
                .search(
                    [
                        ("company_id", "=", self.id),
                        ("deprecated", "=", False),
                        (
                            "user_type_id",
                            "=",
                            self.env.ref("account.data_account_type_expenses").id,
                        ),
                    ],
                    limit=1,
                )
            )
        if not account:
            action = self.env.ref("sme_customer_master.res_config_settings_action")
            raise RedirectWarning(
                _(
                    "%s has no expense account for referral rewards: choose one in "
                    "Settings › SME Hub › Marketing (Reward expense account)."
                )
                % self.name,
                action.id,
                _("Open Settings"),
            )
        return account
