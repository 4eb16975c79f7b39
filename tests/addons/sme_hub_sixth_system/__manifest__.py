# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "SME Hub test: a made-up sixth accounting system",
    "summary": "Test fixture: what adding an accounting system takes (a client "
    "class, a settings model, a view); installed only into the test database by "
    "scripts/test.sh",
    "version": "11.0.1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/sme-hub/sme-hub",
    "author": "SME Hub",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["sme_accounting_hub"],
    "data": [
        "security/ir.model.access.csv",
        "security/sme_hub_sixth_system_security.xml",
        "views/sme_accounting_settings_madeup_views.xml",
    ],
}
