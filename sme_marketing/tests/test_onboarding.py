# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Onboarding: started by the created event, steps completed by events or by
hand, stalled onboardings followed up once with an activity."""
from psycopg2 import IntegrityError

from odoo.addons.sme_customer_master.tests.common import InvoiceCase


class TestOnboarding(InvoiceCase):
    def onboarding(self, partner):
        return self.env["sme.onboarding"].search([("partner_id", "=", partner.id)])

    def test_standard_template_and_email_step(self):
        customer = self.customer("Asha Rao", "9876543210", email="asha@example.in")
        onboarding = self.onboarding(customer)
        self.assertEqual(
            onboarding.step_ids.mapped("trigger"),
            ["manual", "email_given", "first_invoice", "first_payment"],
        )
        self.assertEqual(
            onboarding.step_ids.filtered("done").mapped("trigger"), ["email_given"]
        )
        self.assertEqual(onboarding.progress, 25.0)

    def test_email_given_later_completes_the_step(self):
        customer = self.customer("Asha Rao", "9876543210")
        self.assertEqual(self.onboarding(customer).progress, 0.0)
        self.upsert({"phone": "9876543210", "email": "asha@example.in"})
        self.assertEqual(self.onboarding(customer).progress, 25.0)

    def test_invoice_events_and_manual_step_finish_it(self):
        customer = self.customer("Asha Rao", "9876543210", email="asha@example.in")
        onboarding = self.onboarding(customer)
        invoice = self.make_invoice(100, partner_id=customer.id)
        invoice.action_invoice_open()
        self.assertEqual(onboarding.progress, 50.0)
        self.pay(invoice)
        self.assertEqual(onboarding.progress, 75.0)
        self.assertEqual(onboarding.state, "running")
        onboarding.step_ids.filtered(lambda s: s.trigger == "manual").action_mark_done()
        self.assertEqual((onboarding.progress, onboarding.state), (100.0, "done"))

    def test_company_template_is_used(self):
        self.env["sme.onboarding.template"].create(
            {
                "name": "Wholesale",
                "company_id": self.company_b.id,
                "step_ids": [(0, 0, {"name": "KYC documents", "trigger": "manual"})],
            }
        )
        customer = self.customer("Ravi Kumar", "9822012345", self.company_b)
        self.assertEqual(
            self.onboarding(customer).step_ids.mapped("name"), ["KYC documents"]
        )

    def test_steps_done_at_creation_are_dated_and_can_finish_it(self):
        self.env["sme.onboarding.template"].create(
            {
                "name": "Email only",
                "company_id": self.company_b.id,
                "step_ids": [
                    (0, 0, {"name": "Email on file", "trigger": "email_given"})
                ],
            }
        )
        with_email = self.customer(
            "Ravi Kumar", "9822012345", self.company_b, email="ravi@example.in"
        )
        without = self.customer("Meena Iyer", "9822012346", self.company_b)
        done = self.onboarding(with_email)
        self.assertEqual((done.state, done.progress), ("done", 100.0))
        self.assertTrue(done.step_ids.done_date)
        running = self.onboarding(without)
        self.assertEqual((running.state, running.progress), ("running", 0.0))
        self.assertFalse(running.step_ids.done_date)

    def test_stalled_onboarding_gets_one_activity(self):
        salesperson = self._make_user("sales_a", self.company_a)
        customer = self.customer("Asha Rao", "9876543210", user_id=salesperson.id)
        onboarding = self.onboarding(customer)
        onboarding.last_progress_date = "2026-01-01"
        Onboarding = self.env["sme.onboarding"]
        self.assertFalse(Onboarding._cron_sme_flag_stalled("2026-01-07"))
        self.assertEqual(Onboarding._cron_sme_flag_stalled("2026-01-08"), onboarding)
        self.assertFalse(Onboarding._cron_sme_flag_stalled("2026-01-09"))
        self.assertEqual(len(onboarding.activity_ids), 1)
        self.assertEqual(onboarding.activity_ids.user_id, salesperson)
        self.assertTrue(onboarding.stalled)
        onboarding.step_ids[0].action_mark_done()
        self.assertFalse(onboarding.stalled)

    # Issue item 5: one standard template per company, for every company.
    def defaults(self, company):
        return (
            self.env["sme.onboarding.template"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id), ("is_default", "=", True)])
        )

    def test_every_company_has_one_standard_template_from_its_creation(self):
        later = self.env["res.company"].create({"name": "Later Traders"})
        for company in (self.company_a, self.company_b, later):
            self.assertEqual(len(self.defaults(company)), 1, company.name)
        self.assertEqual(
            self.defaults(later).step_ids.mapped("trigger"),
            ["manual", "email_given", "first_invoice", "first_payment"],
        )
        Template = self.env["sme.onboarding.template"]
        self.assertEqual(Template._sme_default_template(later), self.defaults(later))
        with self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                Template.create(
                    {"name": "Twin", "company_id": later.id, "is_default": True}
                )
