# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""11.0.1.1.0: one standard onboarding template per company, referral codes
for every customer, health segments that know new customers and holds."""
from odoo import SUPERUSER_ID, api

from odoo.addons.sme_marketing.hooks import sme_fill_missing


def migrate(cr, version):
    if not version:
        return
    # Templates the addon made before are named "Standard onboarding"; a
    # race made two for one company. The oldest becomes the standard one,
    # the later twins are archived (kept: onboardings may point to them).
    cr.execute(
        """
        WITH ranked AS (
            SELECT id, row_number() OVER (PARTITION BY company_id ORDER BY id) AS rank
              FROM sme_onboarding_template WHERE name = 'Standard onboarding')
        UPDATE sme_onboarding_template t
           SET is_default = (r.rank = 1), active = t.active AND r.rank = 1
          FROM ranked r WHERE r.id = t.id"""
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    sme_fill_missing(env)
    # invoice_count is new: recount so customers with invoices are not "new".
    env["sme.customer.health"].search([])._sme_recompute("Upgrade to 11.0.1.1.0")
