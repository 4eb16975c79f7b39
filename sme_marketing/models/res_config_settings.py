# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sme_health_weight_payment = fields.Integer(
        related="company_id.sme_health_weight_payment"
    )
    sme_health_weight_engagement = fields.Integer(
        related="company_id.sme_health_weight_engagement"
    )
    sme_health_weight_support = fields.Integer(
        related="company_id.sme_health_weight_support"
    )
    sme_health_weight_usage = fields.Integer(
        related="company_id.sme_health_weight_usage"
    )
    sme_health_healthy_from = fields.Integer(
        related="company_id.sme_health_healthy_from"
    )
    sme_health_critical_below = fields.Integer(
        related="company_id.sme_health_critical_below"
    )
    sme_referral_reward_type = fields.Selection(
        related="company_id.sme_referral_reward_type"
    )
    sme_referral_reward_amount = fields.Float(
        related="company_id.sme_referral_reward_amount"
    )
    sme_referral_reward_percent = fields.Float(
        related="company_id.sme_referral_reward_percent"
    )
    sme_referral_reward_cap = fields.Float(related="company_id.sme_referral_reward_cap")
    sme_referral_reward_account_id = fields.Many2one(
        related="company_id.sme_referral_reward_account_id"
    )
    sme_referral_expiry_days = fields.Integer(
        related="company_id.sme_referral_expiry_days"
    )
    sme_onboarding_stall_days = fields.Integer(
        related="company_id.sme_onboarding_stall_days"
    )
    sme_welcome_campaign_id = fields.Many2one(
        related="company_id.sme_welcome_campaign_id"
    )
    sme_retention_campaign_id = fields.Many2one(
        related="company_id.sme_retention_campaign_id"
    )
    sme_invoice_on_won = fields.Boolean(related="company_id.sme_invoice_on_won")
    sme_loyalty_enabled = fields.Boolean(related="company_id.sme_loyalty_enabled")
    sme_loyalty_points_per_rupee = fields.Float(
        related="company_id.sme_loyalty_points_per_rupee"
    )
    sme_loyalty_point_value = fields.Float(related="company_id.sme_loyalty_point_value")
    sme_loyalty_min_redeem = fields.Integer(related="company_id.sme_loyalty_min_redeem")
    sme_loyalty_expiry_months = fields.Integer(
        related="company_id.sme_loyalty_expiry_months"
    )
    sme_loyalty_referral_points = fields.Integer(
        related="company_id.sme_loyalty_referral_points"
    )
