# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SME Marketing",
    "summary": "Customer engagement keyed by customer: health scores, "
               "referrals, onboarding, campaigns, loyalty, commissions",
    "version": "11.0.1.0.0",
    "category": "Marketing",
    "website": "https://github.com/sme-hub/sme-hub",
    "author": "SME Hub",
    "license": "LGPL-3",
    "installable": True,
    "depends": [
        "sme_customer_master",
    ],
    "data": [
        "security/sme_marketing_security.xml",
        "security/ir.model.access.csv",
        "views/sme_marketing_menus.xml",
    ],
}
