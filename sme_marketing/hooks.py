# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import SUPERUSER_ID, api


def post_init_hook(cr, registry):
    """What exists when the addon is installed gets what new records get
    through events: customers their health profile and referral code,
    companies their standard onboarding template."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    sme_fill_missing(env)


def sme_fill_missing(env):
    """Shared by the install hook and the migrations."""
    env["sme.onboarding.template"]._sme_create_missing_defaults()
    Health = env["sme.customer.health"]
    Health.action_create_missing_profiles()
    Health.search([("referral_code", "=", False)]).action_generate_referral_code()
