# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SME Marketing",
    "summary": "Customer engagement keyed by customer: health scores, "
    "referrals, onboarding, campaigns, loyalty, commissions",
    "version": "11.0.1.1.0",
    "category": "Marketing",
    "website": "https://github.com/sme-hub/sme-hub",
    "author": "SME Hub",
    "license": "LGPL-3",
    "installable": True,
    "post_init_hook": "post_init_hook",
    "depends": [
        "sme_customer_master",
        "mail",
    ],
    "data": [
        "security/sme_marketing_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/sme_customer_health_views.xml",
        "views/sme_referral_views.xml",
        "views/sme_onboarding_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/sme_marketing_menus.xml",
    ],
    "demo": [
        "demo/res_users_demo.xml",
    ],
}
