# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SME Accounting Hub",
    "summary": "Sync customers and accounting data with Tally, Zoho Books, "
    "QuickBooks, Busy and Marg",
    "version": "11.0.2.0.0",
    "category": "Accounting",
    "website": "https://github.com/sme-hub/sme-hub",
    "author": "SME Hub",
    "license": "LGPL-3",
    "installable": True,
    "depends": [
        "sme_customer_master",
        "queue_job",
        "mail",
    ],
    "external_dependencies": {
        "python": ["cryptography", "requests", "lxml", "sme_connectors"],
    },
    "data": [
        "security/sme_accounting_hub_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        # first: the connection form opens its action
        "views/sme_accounting_sync_log_views.xml",
        "views/sme_accounting_backend_views.xml",
        "views/sme_accounting_settings_tally_views.xml",
        "views/sme_accounting_settings_zoho_views.xml",
        "views/sme_accounting_settings_quickbooks_views.xml",
        "views/sme_accounting_settings_busy_views.xml",
        "views/sme_accounting_settings_marg_views.xml",
        "views/sme_accounting_hub_menus.xml",
        "views/sme_accounting_trial_balance_views.xml",
        "views/res_partner_views.xml",
        "wizard/sme_accounting_oauth_code_views.xml",
    ],
    "demo": [
        "demo/sme_accounting_backend_demo.xml",
    ],
}
