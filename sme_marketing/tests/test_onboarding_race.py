# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue item 5: two jobs racing for a company's standard onboarding
template (16 ms apart in the demo) leave one template, in two real
transactions (the rows are committed, then put back)."""
import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.tests import common


class TestOnboardingTemplateRace(common.SavepointCase):
    def _run(self, work):
        with self.registry.cursor() as cr:
            result = work(api.Environment(cr, SUPERUSER_ID, {}))
            cr.commit()
            return result

    def test_two_concurrent_get_or_create_leave_one(self):
        company_id = self.env.ref("base.main_company").id
        sql_defaults = (
            "SELECT id FROM sme_onboarding_template"
            " WHERE company_id = %s AND is_default ORDER BY id"
        )

        def park(env):  # the company "has none yet", as before its first customer
            env.cr.execute(sql_defaults, (company_id,))
            ids = [row[0] for row in env.cr.fetchall()]
            env.cr.execute(
                "UPDATE sme_onboarding_template SET is_default = false WHERE id IN %s",
                (tuple(ids) or (0,),),
            )
            return ids

        parked = self._run(park)
        first_cr, second_cr = self.registry.cursor(), self.registry.cursor()
        try:
            first = api.Environment(first_cr, SUPERUSER_ID, {})
            second = api.Environment(second_cr, SUPERUSER_ID, {})
            # The second job's transaction (its snapshot) starts before the
            # first one commits, as with jobs 16 ms apart.
            self.assertFalse(
                second["sme.onboarding.template"]
                .with_context(active_test=False)
                .search([("company_id", "=", company_id), ("is_default", "=", True)])
            )
            made = (
                first["sme.onboarding.template"]
                ._sme_default_template(first["res.company"].browse(company_id))
                .id
            )
            first_cr.commit()
            with self.assertRaises(psycopg2.extensions.TransactionRollbackError):
                second["sme.onboarding.template"]._sme_default_template(
                    second["res.company"].browse(company_id)
                )
            # Odoo (RPC, queue_job) retries the call in a new transaction.
            second_cr.rollback()
            second.clear()
            found = (
                second["sme.onboarding.template"]
                ._sme_default_template(second["res.company"].browse(company_id))
                .id
            )
            self.assertEqual(found, made)
            second_cr.execute(sql_defaults, (company_id,))
            self.assertEqual(second_cr.fetchall(), [(made,)])
        finally:
            first_cr.close()
            second_cr.close()

            def restore(env):
                env.cr.execute(
                    "DELETE FROM sme_onboarding_template WHERE company_id = %s"
                    " AND is_default AND id NOT IN %s",
                    (company_id, tuple(parked) or (0,)),
                )
                env.cr.execute(
                    "UPDATE sme_onboarding_template SET is_default = true WHERE id IN %s",
                    (tuple(parked) or (0,),),
                )

            self._run(restore)
