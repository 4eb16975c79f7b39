from odoo import fields, models


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
        string="Referral reward", default="fixed", required=True)
    sme_referral_reward_amount = fields.Float("Reward amount", default=500.0)
    sme_referral_reward_percent = fields.Float("Reward percent", default=5.0)
    sme_referral_reward_cap = fields.Float(
        "Reward cap", default=0.0, help="Largest reward; 0 means no cap.")
    sme_referral_reward_account_id = fields.Many2one(
        "account.account", string="Reward expense account",
        help="Account of the credit note line that settles a referral reward.")
    sme_referral_expiry_days = fields.Integer(
        "Referrals expire after (days)", default=90,
        help="A pending referral whose customer has not paid a first invoice by then expires.")
    # Onboarding.
    sme_onboarding_stall_days = fields.Integer(
        "Onboarding stalls after (days)", default=7)

    def _sme_health_weights(self):
        self.ensure_one()
        return {
            "payment": self.sme_health_weight_payment,
            "engagement": self.sme_health_weight_engagement,
            "support": self.sme_health_weight_support,
            "usage": self.sme_health_weight_usage,
        }
