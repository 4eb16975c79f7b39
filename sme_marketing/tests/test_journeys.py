# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Journeys from events: a new customer joins the company's welcome
campaign once (also when the event fires again, also when an import creates
many together), an overdue invoice enrolls its customer in the retention
campaign once; the message goes out through the campaign's batch job."""
from odoo.addons.sme_customer_master.tests.common import InvoiceCase

from .test_campaigns import CampaignCase


class TestWelcomeJourney(CampaignCase):
    def setUp(self):
        super(TestWelcomeJourney, self).setUp()
        self.welcome = self.campaign(name="Welcome", email_subject="Welcome!")
        self.welcome.action_launch()
        self.company_a.sme_welcome_campaign_id = self.welcome

    def enrolled(self, campaign=None):
        return (campaign or self.welcome).recipient_ids

    def test_new_customer_enrolled_once_and_message_queued(self):
        asha = self.customer("Asha Rao", "9876543210", email="asha@example.in")
        recipient = self.enrolled()
        self.assertEqual(
            (recipient.partner_id, recipient.origin, recipient.state),
            (asha, "welcome", "queued"),
        )
        jobs = self.campaign_jobs(self.welcome)
        self.assertEqual(len(jobs), 1)
        # The same event again (a replay, a second listener run): still once.
        asha._sme_publish("on_sme_customer_created", asha._sme_event_payload())
        self.env["sme.marketing.campaign"]._sme_journey_enroll(asha, "welcome")
        self.assertEqual(self.enrolled(), recipient)
        self.assertEqual(len(self.campaign_jobs(self.welcome)), 1)
        # Updating the customer is no new customer.
        self.upsert({"phone": "9876543210", "city": "Pune"})
        self.assertEqual(len(self.enrolled()), 1)
        self.run_jobs(self.welcome)
        self.assertEqual(recipient.state, "sent")

    def test_customers_created_together_enrolled_together(self):
        partners = self.Partner._sme_create_customers(
            [
                {
                    "name": "Import %d" % n,
                    "phone": "98210 1000%d" % n,
                    "email": "i%d@example.in" % n,
                }
                for n in range(4)
            ]
            + [{"name": "No mail", "phone": "98210 20000"}],
            self.company_a,
        )
        self.assertEqual(self.enrolled().mapped("partner_id"), partners)
        self.assertEqual(
            sorted(self.enrolled().mapped("state")), ["queued"] * 4 + ["skipped"]
        )
        self.assertEqual(len(self.campaign_jobs(self.welcome)), 1)

    def test_not_enrolled_when_inactive_or_other_company(self):
        self.welcome.action_pause()
        self.customer("Asha Rao", "9876543210", email="asha@example.in")
        self.assertFalse(self.enrolled())
        self.welcome.action_resume()
        self.customer("Ravi Kumar", "9822012345", self.company_b, email="r@example.in")
        self.assertFalse(self.enrolled())
        contact = self.Partner.create(
            {"name": "Clerk", "parent_id": self.customer("Meena", "9822012346").id}
        )
        self.assertNotIn(contact, self.enrolled().mapped("partner_id"))


class TestRetentionJourney(InvoiceCase, CampaignCase):
    def test_overdue_invoice_enrolls_once(self):
        retention = self.campaign(
            name="We miss you", campaign_type="email", email_subject="Come back"
        )
        retention.action_launch()
        self.company_a.sme_retention_campaign_id = retention
        asha = self.customer("Asha Rao", "9876543210", email="asha@example.in")
        first = self.make_invoice(100, partner_id=asha.id, date_due="2026-01-31")
        second = self.make_invoice(200, partner_id=asha.id, date_due="2026-02-10")
        (first | second).action_invoice_open()
        Invoice = self.env["account.invoice"]
        self.assertFalse(Invoice._sme_notify_overdue_invoices("2026-01-31") & first)
        self.assertFalse(retention.recipient_ids)
        Invoice._sme_notify_overdue_invoices("2026-02-01")
        recipient = retention.recipient_ids
        self.assertEqual(
            (recipient.partner_id, recipient.origin, recipient.state),
            (asha, "retention", "queued"),
        )
        # Her second invoice falls overdue later: she is enrolled already.
        Invoice._sme_notify_overdue_invoices("2026-02-11")
        self.assertEqual(retention.recipient_ids, recipient)
        self.assertEqual(len(self.campaign_jobs(retention)), 1)
