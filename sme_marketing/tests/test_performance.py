# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Daily performance: the live counter (and its guard), the rebuild from
link_tracker's clicks, recipients, mailing statistics, leads and invoices
(idempotent), cost spread or per message, ROI, days in the company's
timezone, the cron, totals on the campaign and the record rules between two
companies."""
import base64

from odoo.exceptions import AccessError

from odoo.addons.sme_customer_master.tests.common import CustomerMasterCase

# A 1x1 PNG: banners need an image or a landing page.
PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000001e221bc33000000"
        "0049454e44ae426082"
    )
)
TODAY = "2026-03-10"


class PerformanceCase(CustomerMasterCase):
    """Two Indian companies (days in Asia/Kolkata), a marketing user in
    each, a fixed business day and helpers for campaigns and rows."""

    @classmethod
    def setUpClass(cls):
        super(PerformanceCase, cls).setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, sme_today=TODAY))
        marketing = cls.env.ref("sme_marketing.group_sme_marketing_user")
        cls.marketer_a = cls._make_user("perf_mkt_a", cls.company_a, marketing)
        cls.marketer_b = cls._make_user("perf_mkt_b", cls.company_b, marketing)
        cls.Campaign = cls.env["sme.marketing.campaign"]
        cls.Performance = cls.env["sme.marketing.performance"]
        cls.Recipient = cls.env["sme.marketing.recipient"]

    def campaign(self, company=None, launch=True, **values):
        defaults = {
            "name": "Holi banner",
            "company_id": (company or self.company_a).id,
            "campaign_type": "banner",
            "title": "Holi colours: 15% off",
            "image": PIXEL,
            "landing_url": "https://shop.example.in/holi",
            "date_start": "2026-03-01",
            "date_end": "2026-03-31",
        }
        defaults.update(values)
        campaign = self.Campaign.create(defaults)
        if launch:
            campaign.action_launch()
        return campaign

    def row(self, campaign, day=TODAY):
        return self.Performance.search(
            [("campaign_id", "=", campaign.id), ("date", "=", day)]
        )

    def figures(self, campaign, day=TODAY):
        row = self.row(campaign, day)
        names = (
            "impressions",
            "clicks",
            "sent",
            "delivered",
            "bounced",
            "opened",
            "replied",
            "conversions",
            "revenue",
            "cost",
            "roi",
        )
        return {name: row[name] for name in names} if row else None

    def recipient(self, campaign, partner, **values):
        values.update(
            campaign_id=campaign.id,
            partner_id=partner.id,
            company_id=campaign.company_id.id,
        )
        values.setdefault("channel", "sms")
        return self.Recipient.create(values)

    def click(self, campaign, day=None, created=None):
        click = self.env["link.tracker.click"].create(
            {"link_id": campaign.link_tracker_id.id, "click_date": day}
        )
        if created:
            self.env.cr.execute(
                "UPDATE link_tracker_click SET create_date = %s WHERE id = %s",
                (created, click.id),
            )
        return click


class TestPerformance(PerformanceCase):
    def test_bump_adds_on_one_row_per_day(self):
        campaign = self.campaign()
        self.assertEqual(self.Performance._sme_bump(campaign, "impressions"), 1)
        self.assertEqual(self.Performance._sme_bump(campaign, "impressions", 4), 5)
        self.Performance._sme_bump(campaign, "impressions", day="2026-03-11")
        self.assertEqual(self.row(campaign).impressions, 5)
        self.assertEqual(self.row(campaign, "2026-03-11").impressions, 1)
        self.assertEqual(self.row(campaign).company_id, self.company_a)
        self.assertEqual(self.row(campaign).campaign_type, "banner")
        self.assertEqual(campaign.total_impressions, 6)

    def test_bump_accepts_only_known_counters(self):
        campaign = self.campaign()
        for field in ("roi", "revenue", "impressions = 0; --", "name"):
            with self.assertRaises(ValueError):
                self.Performance._sme_bump(campaign, field)
        for n in (-1, 1.5, True, "2"):
            with self.assertRaises(ValueError):
                self.Performance._sme_bump(campaign, "impressions", n)
        self.assertFalse(self.row(campaign))

    def test_sent_messages_cost_per_message(self):
        campaign = self.campaign(
            campaign_type="sms", launch=False, cost_per_message=0.25, budget=0
        )
        self.Performance._sme_bump(campaign, "sent", 7)
        figures = self.figures(campaign)
        self.assertEqual((figures["sent"], figures["cost"]), (7, 1.75))
        self.assertEqual(figures["roi"], -1.0)

    def test_refresh_rebuilds_every_source_and_is_idempotent(self):
        campaign = self.campaign(
            campaign_type="sms", launch=False, budget=0, cost_per_message=0.5
        )
        campaign.action_sme_tracked_link()
        asha = self.customer("Asha Rao", "9876543210")
        ravi = self.customer("Ravi Kumar", "9822012345")
        meera = self.customer("Meera Iyer", "9822077777")
        kiran = self.customer("Kiran Shah", "9822066666")
        # 06:00 UTC is 11:30 in Kolkata: the same day.
        self.recipient(campaign, asha, state="delivered", date_sent=TODAY + " 06:00:00")
        self.recipient(
            campaign,
            ravi,
            state="replied",
            date_sent=TODAY + " 06:00:00",
            date_replied=TODAY + " 07:00:00",
        )
        self.recipient(campaign, meera, state="sent", date_sent=TODAY + " 06:00:00")
        refused = self.recipient(campaign, kiran, state="failed", reason="DND")
        # A refused message has no date sent: it counts on the day of the
        # refusal (when the row was last written).
        self.env.cr.execute(
            "UPDATE sme_marketing_recipient SET write_date = %s WHERE id = %s",
            (TODAY + " 06:00:00", refused.id),
        )
        # Late on the 9th in UTC is the 10th in Kolkata.
        self.click(campaign, created="2026-03-09 20:00:00")
        self.click(campaign, day=TODAY)
        self.click(campaign, day="2026-03-09")
        lead = self.env["crm.lead"].create(
            {
                "name": "Holi enquiry",
                "campaign_id": campaign.campaign_id.id,
                "partner_id": asha.id,
            }
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            (TODAY + " 05:00:00", lead.id),
        )
        self.Performance._sme_bump(campaign, "impressions", 9)

        self.Performance._sme_refresh(campaign, [TODAY, "2026-03-09"])
        expected = {
            "impressions": 9,
            "clicks": 2,
            "sent": 3,
            "delivered": 2,
            "bounced": 1,
            "opened": 0,
            "replied": 1,
            "conversions": 1,
            "revenue": 0.0,
            "cost": 1.5,
            "roi": -1.0,
        }
        self.assertEqual(self.figures(campaign), expected)
        self.assertEqual(self.figures(campaign, "2026-03-09")["clicks"], 1)
        # Run twice: the same numbers, the same rows.
        rows = self.Performance.search([("campaign_id", "=", campaign.id)])
        self.Performance._sme_refresh(campaign, [TODAY, "2026-03-09"])
        self.assertEqual(self.figures(campaign), expected)
        self.assertEqual(
            self.Performance.search([("campaign_id", "=", campaign.id)]), rows
        )
        # Wrong figures (a lost update) are put right; impressions are kept.
        self.env.cr.execute(
            "UPDATE sme_marketing_performance SET clicks = 40, sent = 0, cost = 99"
            " WHERE id = %s",
            (self.row(campaign).id,),
        )
        self.Performance.invalidate_cache()
        self.Performance._sme_refresh(campaign, [TODAY])
        self.assertEqual(self.figures(campaign), expected)

    def test_email_figures_come_from_mailing_statistics(self):
        campaign = self.campaign(campaign_type="email", launch=False, budget=0)
        mailing = self.env["mail.mass_mailing"].create(
            {
                "name": "Holi mail",
                "campaign_id": campaign.campaign_id.id,
                "mailing_model_id": self.env["ir.model"]._get("res.partner").id,
                "body_html": "<p>Holi</p>",
                "email_from": "shop@example.in",
            }
        )
        partner = self.customer("Asha Rao", "9876543210")
        Stat = self.env["mail.mail.statistics"]
        base = {
            "mass_mailing_id": mailing.id,
            "model": "res.partner",
            "res_id": partner.id,
        }
        sent = TODAY + " 06:00:00"
        Stat.create(dict(base, sent=sent, opened=TODAY + " 08:00:00"))
        Stat.create(dict(base, sent=sent, opened=sent, replied="2026-03-11 06:00:00"))
        Stat.create(dict(base, sent=sent, bounced=TODAY + " 07:00:00"))
        Stat.create(dict(base, exception=TODAY + " 06:00:00"))
        Stat.create(dict(base))  # cancelled: nothing happened
        self.Performance._sme_refresh(campaign, [TODAY, "2026-03-11"])
        figures = self.figures(campaign)
        self.assertEqual(
            [figures[name] for name in ("sent", "delivered", "bounced", "opened")],
            [3, 2, 2, 2],
        )
        self.assertEqual(figures["replied"], 0)
        self.assertEqual(self.figures(campaign, "2026-03-11")["replied"], 1)

    def test_budget_spread_over_the_days_adds_up_exactly(self):
        campaign = self.campaign(
            launch=False, budget=100.0, date_start="2026-03-09", date_end="2026-03-11"
        )
        days = ["2026-03-08", "2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12"]
        self.Performance._sme_refresh(campaign, days)
        costs = [self.row(campaign, day).cost for day in days[1:4]]
        self.assertEqual(costs, [33.33, 33.34, 33.33])
        self.assertAlmostEqual(sum(costs), 100.0, places=2)
        # Nothing to show outside the campaign's days: no rows.
        self.assertFalse(self.row(campaign, "2026-03-08"))
        self.assertFalse(self.row(campaign, "2026-03-12"))
        self.assertAlmostEqual(campaign.total_cost, 100.0, places=2)
        # Without an end date, no days to spread over: no cost.
        open_ended = self.campaign(launch=False, budget=100.0, date_end=False)
        self.Performance._sme_refresh(open_ended, days)
        self.assertFalse(self.row(open_ended))

    def test_refresh_button_and_cron(self):
        campaign = self.campaign(budget=310.0)
        self.click(campaign, day="2026-03-02")
        self.click(campaign, day=TODAY)
        campaign.action_refresh_performance()
        # Every day from the start to today, 10.00 a day.
        rows = self.Performance.search([("campaign_id", "=", campaign.id)])
        self.assertEqual(len(rows), 10)
        self.assertEqual(set(rows.mapped("cost")), {10.0})
        self.assertEqual(campaign.total_clicks, 2)
        self.assertEqual(campaign.total_cost, 100.0)
        self.assertEqual(campaign.roi, -1.0)
        self.env.cr.execute(
            "DELETE FROM sme_marketing_performance WHERE campaign_id = %s",
            (campaign.id,),
        )
        self.Performance.invalidate_cache()
        self.Performance._cron_sme_refresh()
        self.assertEqual(
            self.Performance.search([("campaign_id", "=", campaign.id)]).mapped("date"),
            [TODAY, "2026-03-09"],
        )
        self.assertEqual(self.row(campaign).clicks, 1)
        draft = self.campaign(launch=False, budget=310.0)
        self.Performance._cron_sme_refresh()
        self.assertFalse(self.row(draft), "draft campaigns have no figures")

    def test_record_rules_between_two_companies(self):
        mine = self.campaign()
        theirs = self.campaign(company=self.company_b, name="B banner")
        self.Performance._sme_bump(mine, "impressions")
        self.Performance._sme_bump(theirs, "impressions")
        as_a = self.Performance.sudo(self.marketer_a)
        self.assertEqual(as_a.search([]).mapped("campaign_id"), mine)
        self.assertEqual(
            self.Performance.sudo(self.marketer_b).search([]).mapped("campaign_id"),
            theirs,
        )
        with self.assertRaises(AccessError):
            as_a.browse(self.row(theirs).id).read(["impressions"])
        # Users read the figures; only the refresh writes them.
        with self.assertRaises(AccessError):
            as_a.browse(self.row(mine).id).write({"impressions": 0})
        groups = as_a.read_group([], ["impressions", "campaign_id"], ["campaign_id"])
        self.assertEqual([g["campaign_id"][0] for g in groups], [mine.id])
