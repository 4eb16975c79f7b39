# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Budget caps pause a campaign with a chatter note saying which cap:
impressions, clicks (over XML-RPC and through link_tracker), the budget
spent by messages; a budget spread over the days and caps of 0 pause
nothing. Impressions, clicks and banners over XML-RPC, with their clear
refusals."""
from odoo.exceptions import AccessError, UserError

from .test_performance import TODAY, PerformanceCase


class TestBudgetCaps(PerformanceCase):
    def assertPausedWith(self, campaign, text):
        self.assertEqual(campaign.state, "paused")
        notes = [body for body in campaign.message_ids.mapped("body") if text in body]
        self.assertEqual(len(notes), 1, campaign.message_ids.mapped("body"))
        self.assertIn("Paused: ", notes[0])

    def test_impressions_cap(self):
        campaign = self.campaign(max_impressions=3)
        for expected in (1, 2):
            result = self.Campaign.sme_record_impression(campaign.id, self.company_a.id)
            self.assertEqual(
                (result["impressions"], result["state"]), (expected, "active")
            )
        result = self.Campaign.sme_record_impression(campaign.id, self.company_a.id)
        self.assertEqual(
            result,
            {
                "campaign_id": campaign.id,
                "date": TODAY,
                "impressions": 3,
                "total_impressions": 3,
                "state": "paused",
            },
        )
        self.assertPausedWith(
            campaign, "the impressions cap is reached (3 impressions, cap 3)."
        )
        with self.assertRaises(UserError) as caught:
            self.Campaign.sme_record_impression(campaign.id, self.company_a.id)
        self.assertIn("is paused: it takes no impressions", caught.exception.name)
        self.assertEqual(self.row(campaign).impressions, 3)

    def test_clicks_cap_over_xmlrpc(self):
        campaign = self.campaign(max_clicks=2)
        first = self.Campaign.sme_record_click(campaign.id, self.company_a.id)
        self.assertEqual(
            (first["clicks"], first["total_clicks"], first["state"]), (1, 1, "active")
        )
        second = self.Campaign.sme_record_click(campaign.id, self.company_a.id)
        self.assertEqual((second["clicks"], second["state"]), (2, "paused"))
        self.assertPausedWith(campaign, "the clicks cap is reached (2 clicks, cap 2).")
        self.assertEqual(self.row(campaign).clicks, 2)

    def test_clicks_cap_through_link_tracker(self):
        campaign = self.campaign(max_clicks=2)
        code = campaign.link_tracker_id.code
        Click = self.env["link.tracker.click"]
        Click.add_click(code, "10.0.0.1", False)
        # The same address again is not a new click (link_tracker's rule).
        Click.add_click(code, "10.0.0.1", False)
        self.assertEqual((self.row(campaign).clicks, campaign.state), (1, "active"))
        Click.add_click(code, "10.0.0.2", False)
        self.assertEqual(self.row(campaign).clicks, 2)
        self.assertPausedWith(campaign, "the clicks cap is reached (2 clicks, cap 2).")

    def test_budget_spent_by_messages(self):
        campaign = self.campaign(
            campaign_type="promotional", budget=5.0, cost_per_message=2.0
        )
        self.Performance._sme_bump(campaign, "sent", 2)
        self.assertEqual(campaign.state, "active")
        self.Performance._sme_bump(campaign, "sent", 1)
        self.assertPausedWith(
            campaign, "the budget is spent (cost 6.00 INR of a budget of 5.00)."
        )

    def test_budget_spent_found_by_the_refresh(self):
        campaign = self.campaign(
            campaign_type="promotional", budget=5.0, cost_per_message=2.5
        )
        asha = self.customer("Asha Rao", "9876543210")
        ravi = self.customer("Ravi Kumar", "9822012345")
        for partner in (asha, ravi):
            self.recipient(
                campaign,
                partner,
                channel="other",
                state="sent",
                date_sent=TODAY + " 06:00:00",
            )
        self.assertEqual(campaign.state, "active")
        self.Performance._sme_refresh(campaign, [TODAY])
        self.assertEqual(self.row(campaign).cost, 5.0)
        self.assertPausedWith(
            campaign, "the budget is spent (cost 5.00 INR of a budget of 5.00)."
        )

    def test_spread_budget_and_zero_caps_pause_nothing(self):
        campaign = self.campaign(budget=100.0, date_end=TODAY)
        days = ["2026-03-%02d" % day for day in range(1, 11)]
        self.Performance._sme_refresh(campaign, days)
        self.assertAlmostEqual(campaign.total_cost, 100.0, places=2)
        self.Performance._sme_bump(campaign, "impressions", 5000)
        self.Campaign.sme_record_click(campaign.id, self.company_a.id)
        self.assertEqual(campaign.state, "active")
        self.assertFalse(
            [b for b in campaign.message_ids.mapped("body") if "Paused" in b]
        )

    def test_refusals_over_xmlrpc(self):
        mine = self.campaign()
        theirs = self.campaign(company=self.company_b, name="B banner")
        draft = self.campaign(launch=False, name="Draft")
        ended = self.campaign(name="Ended", date_start="2026-02-01")
        ended.date_end = "2026-03-09"
        later = self.campaign(name="Later", date_start="2026-03-11")
        paused = self.campaign(name="Paused")
        paused.action_pause()
        no_page = self.campaign(name="No page", landing_url=False)

        def refusal(method, campaign_id, company_id=None, user=None):
            Campaign = self.Campaign.sudo(user) if user else self.Campaign
            if not user:
                company_id = company_id or self.company_a.id
            with self.assertRaises(UserError) as caught:
                getattr(Campaign, method)(campaign_id, company_id)
            return caught.exception.name

        for method in ("sme_record_impression", "sme_record_click"):
            self.assertIn(
                "does not exist in Test Traders A",
                refusal(method, 99999999),
            )
            # Another company's campaign: the same answer as a missing one.
            self.assertIn(
                "Campaign %d does not exist in Test Traders A" % theirs.id,
                refusal(method, theirs.id),
            )
            self.assertIn(
                "Campaign %d does not exist in Test Traders B" % mine.id,
                refusal(method, mine.id, user=self.marketer_b),
            )
            self.assertIn("campaign_id must be a record id", refusal(method, "12"))
            self.assertIn("is draft", refusal(method, draft.id))
            self.assertIn("ended on 2026-03-09", refusal(method, ended.id))
            self.assertIn("starts on 2026-03-11", refusal(method, later.id))
            self.assertIn("is paused", refusal(method, paused.id))
        self.assertIn("has no landing page", refusal("sme_record_click", no_page.id))
        self.assertFalse(
            self.Performance.search(
                [("campaign_id", "in", (theirs | draft | ended | later | paused).ids)]
            )
        )
        # A marketing user of the company counts (the figures are written
        # by the system, not by the user).
        result = self.Campaign.sudo(self.marketer_a).sme_record_impression(mine.id)
        self.assertEqual(result["impressions"], 1)

    def test_active_banners_over_xmlrpc(self):
        second = self.campaign(name="Second", priority="2")
        first = self.campaign(name="First", priority="1", image=False)
        self.campaign(name="Later", date_start="2026-03-11")
        self.campaign(
            name="Email",
            campaign_type="email",
            email_subject="x",
            email_body="<p>x</p>",
            email_from="shop@example.in",
        )
        self.campaign(company=self.company_b, name="B banner")
        banners = self.Campaign.sudo(self.marketer_a).sme_active_banners()
        self.assertEqual([b["id"] for b in banners], [first.id, second.id])
        self.assertIs(banners[0]["image_url"], False)
        self.assertEqual(banners[1]["landing_url"], second.link_tracker_id.short_url)
        self.assertTrue(
            banners[1]["impression_url"].endswith(
                "/sme/banners/%d/%d/impression" % (self.company_a.id, second.id)
            )
        )
        with self.assertRaises(AccessError):
            self.Campaign.sudo(self.marketer_a).sme_active_banners(self.company_b.id)
