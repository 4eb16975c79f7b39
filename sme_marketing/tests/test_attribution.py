# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Attribution of customer invoices to the campaign that last reached the
customer within its window (at validation), the first invoice as a
conversion, revenue on the day of the payment, and the ROI of that day
computed exactly."""
from odoo.addons.sme_customer_master.tests.common import InvoiceCase

DAY = "2026-01-10"


class TestAttribution(InvoiceCase):
    @classmethod
    def setUpClass(cls):
        super(TestAttribution, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, sme_today=DAY))
        cls.Campaign = cls.env["sme.marketing.campaign"]
        cls.Performance = cls.env["sme.marketing.performance"]
        cls.Recipient = cls.env["sme.marketing.recipient"]

    def setUp(self):
        super(TestAttribution, self).setUp()
        self.asha = self.customer("Asha Rao", "9876543210")

    def campaign(self, name="January offer", **values):
        defaults = {
            "name": name,
            "company_id": self.company_a.id,
            "campaign_type": "promotional",
            "landing_url": "https://shop.example.in/january",
            "date_start": "2026-01-01",
            "date_end": "2026-01-31",
            "budget": 310.0,
            "attribution_days": 30,
        }
        defaults.update(values)
        campaign = self.Campaign.create(defaults)
        campaign.action_launch()
        return campaign

    def reach(self, campaign, partner, when):
        return self.Recipient.create(
            {
                "campaign_id": campaign.id,
                "partner_id": partner.id,
                "company_id": campaign.company_id.id,
                "channel": "other",
                "origin": "manual",
                "state": "sent",
                "date_sent": when,
            }
        )

    def validated(self, amount=1000.0, date=DAY, partner=None, **values):
        invoice = self.make_invoice(
            amount,
            date_invoice=date,
            date_due="2026-02-28",
            partner_id=(partner or self.asha).id,
            **values,
        )
        invoice.action_invoice_open()
        return invoice

    def row(self, campaign, day):
        return self.Performance.search(
            [("campaign_id", "=", campaign.id), ("date", "=", day)]
        )

    def test_paid_invoice_revenue_and_roi_of_the_day(self):
        campaign = self.campaign()
        self.reach(campaign, self.asha, "2026-01-05 06:00:00")
        invoice = self.validated(1000.0)
        self.assertEqual(invoice.campaign_id, campaign.campaign_id)
        self.assertEqual(invoice.medium_id, campaign.medium_id)
        # The first invoice of the customer converts, on its date; the
        # budget (310.00 over 31 days) costs 10.00 a day.
        validated_day = self.row(campaign, DAY)
        self.assertEqual(
            (validated_day.conversions, validated_day.revenue, validated_day.cost),
            (1, 0.0, 10.0),
        )
        self.assertEqual(validated_day.roi, -1.0)

        self.pay(invoice, date="2026-01-20")
        self.assertEqual(invoice.state, "paid")
        paid_day = self.row(campaign, "2026-01-20")
        self.assertEqual(
            (paid_day.revenue, paid_day.cost, paid_day.conversions), (1000.0, 10.0, 0)
        )
        # (1000 - 10) / 10
        self.assertEqual(paid_day.roi, 99.0)
        self.assertEqual(
            (campaign.total_revenue, campaign.total_cost, campaign.total_conversions),
            (1000.0, 20.0, 1),
        )
        self.assertEqual(campaign.roi, 49.0)
        # Rebuilt from the invoices again: the same figures.
        before = self.row(campaign, "2026-01-20").read(["revenue", "cost", "roi"])
        self.Performance._sme_refresh(campaign, [DAY, "2026-01-20"])
        self.assertEqual(
            self.row(campaign, "2026-01-20").read(["revenue", "cost", "roi"]), before
        )
        self.assertEqual(self.row(campaign, DAY).conversions, 1)

    def test_a_second_invoice_is_no_conversion_but_revenue(self):
        campaign = self.campaign()
        self.reach(campaign, self.asha, "2026-01-05 06:00:00")
        self.validated(1000.0)
        second = self.validated(500.0, date="2026-01-12")
        self.assertEqual(second.campaign_id, campaign.campaign_id)
        self.assertEqual(self.row(campaign, "2026-01-12").conversions, 0)
        self.pay(second, date="2026-01-21")
        self.assertEqual(self.row(campaign, "2026-01-21").revenue, 500.0)

    def test_last_touch_wins(self):
        first_touch = self.campaign("First touch")
        last_touch = self.campaign("Last touch")
        self.reach(first_touch, self.asha, "2026-01-03 06:00:00")
        self.reach(last_touch, self.asha, "2026-01-07 06:00:00")
        self.assertEqual(self.validated().campaign_id, last_touch.campaign_id)
        # A lead of a third campaign for the customer, later still.
        leads = self.campaign("Leads")
        lead = self.env["crm.lead"].create(
            {
                "name": "Asks for a quote",
                "partner_id": self.asha.id,
                "campaign_id": leads.campaign_id.id,
            }
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            ("2026-01-09 06:00:00", lead.id),
        )
        self.assertEqual(self.validated().campaign_id, leads.campaign_id)

    def test_outside_the_window_or_another_customer_no_campaign(self):
        campaign = self.campaign(attribution_days=3)
        self.reach(campaign, self.asha, "2026-01-05 06:00:00")
        self.assertFalse(self.validated().campaign_id)
        # In the window, but the message reached someone else.
        ravi = self.customer("Ravi Kumar", "9822012345")
        self.assertFalse(self.validated(partner=ravi, date="2026-01-06").campaign_id)
        # A touch after the invoice date does not count either.
        self.assertFalse(self.validated(date="2026-01-04").campaign_id)
        self.assertEqual(
            self.validated(date="2026-01-07").campaign_id, campaign.campaign_id
        )

    def test_an_invoice_carrying_a_campaign_keeps_it(self):
        campaign = self.campaign()
        other = self.campaign("Walk-in offer")
        self.reach(campaign, self.asha, "2026-01-05 06:00:00")
        invoice = self.validated(campaign_id=other.campaign_id.id)
        self.assertEqual(invoice.campaign_id, other.campaign_id)
        self.assertEqual(self.row(other, DAY).conversions, 1)
        self.assertFalse(self.row(campaign, DAY).conversions)

    def test_invoices_of_another_company_are_not_attributed(self):
        campaign = self.campaign()
        self.reach(campaign, self.asha, "2026-01-05 06:00:00")
        theirs = self.customer("Asha Rao", "9876543210", company=self.company_b)
        invoice = self.validated(partner=theirs, user=self.user_b)
        self.assertFalse(invoice.campaign_id)
