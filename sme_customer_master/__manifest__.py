# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SME Customer Master",
    "summary": "Customers unique by phone per company: upsert, lookup, "
    "required fields, credit hold and customer events",
    "version": "11.0.1.2.0",
    "category": "Sales",
    "website": "https://github.com/sme-hub/sme-hub",
    "author": "SME Hub",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "account",
        "component_event",
    ],
    "external_dependencies": {
        "python": ["phonenumbers", "stdnum", "cryptography"],
    },
    "data": [
        "security/sme_customer_master_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/res_partner_views.xml",
        "views/account_invoice_views.xml",
        "views/sme_customer_event_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/sme_credit_override_wizard_views.xml",
        "views/sme_hub_menus.xml",
    ],
    "demo": [
        "demo/res_company_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/res_users_demo.xml",
    ],
}
