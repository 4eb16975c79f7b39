# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Campaigns: the UTM campaign and medium behind each, validation, the life
cycle with its refusals, pausing with a note, completion past the end date,
responses over XML-RPC, and the record rules between two companies."""
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.queue_job.job import Job
from odoo.addons.sme_customer_master.tests.common import CustomerMasterCase

BODY = '<p>Diwali offer: <a href="https://shop.example.in/diwali">20% off</a></p>'


class CampaignCase(CustomerMasterCase):
    """Two companies, a marketing user in each, helpers for campaigns and
    their queue jobs."""

    @classmethod
    def setUpClass(cls):
        super(CampaignCase, cls).setUpClass()
        # A fixed business day: the campaigns' dates are around it.
        cls.env = cls.env(context=dict(cls.env.context, sme_today="2026-10-01"))
        marketing = cls.env.ref("sme_marketing.group_sme_marketing_user")
        cls.marketer_a = cls._make_user("mkt_a", cls.company_a, marketing)
        cls.marketer_b = cls._make_user("mkt_b", cls.company_b, marketing)
        cls.Campaign = cls.env["sme.marketing.campaign"]
        cls.Audience = cls.env["sme.marketing.audience"]
        cls.Recipient = cls.env["sme.marketing.recipient"]

    def campaign(self, company=None, **values):
        defaults = {
            "name": "Diwali 2026",
            "company_id": (company or self.company_a).id,
            "campaign_type": "email",
            "email_subject": "Diwali offer",
            "email_body": BODY,
            "email_from": "Shop <shop@example.in>",
            "date_start": "2026-10-01",
            "date_end": "2026-11-15",
        }
        defaults.update(values)
        return self.Campaign.create(defaults)

    def audience(self, company=None, **values):
        values.setdefault("name", "Everyone")
        values["company_id"] = (company or self.company_a).id
        return self.Audience.create(values)

    def campaign_jobs(self, campaign, state="pending"):
        return (
            self.env["queue.job"]
            .search(
                [
                    ("model_name", "=", "sme.marketing.campaign"),
                    ("method_name", "=", "sme_job_send_batch"),
                    ("state", "=", state),
                ],
                order="id",
            )
            .filtered(lambda job: job.record_ids == campaign.ids)
        )

    def run_job(self, queued):
        """Run one queued job as the job runner would, in this transaction."""
        job = Job.load(self.env, queued.uuid)
        job.set_started()
        result = job.perform()
        job.set_done(result=result)
        job.store()
        return result

    def run_jobs(self, campaign):
        return [self.run_job(queued) for queued in self.campaign_jobs(campaign)]


class TestCampaigns(CampaignCase):
    def test_utm_campaign_and_medium_follow_the_type(self):
        email = self.campaign()
        self.assertTrue(email.campaign_id)
        self.assertEqual(email.campaign_id.name, "Diwali 2026")
        self.assertEqual(email.medium_id, self.env.ref("utm.utm_medium_email"))
        sms = self.campaign(name="SMS blast", campaign_type="sms")
        again = self.campaign(name="SMS blast 2", campaign_type="sms")
        self.assertEqual(sms.medium_id.name, "SMS")
        self.assertEqual(again.medium_id, sms.medium_id)
        banner = self.campaign(name="Home banner", campaign_type="banner")
        self.assertEqual(banner.medium_id, self.env.ref("utm.utm_medium_banner"))
        banner.campaign_type = "social"
        self.assertEqual(banner.medium_id.name, "Social")
        self.assertNotEqual(email.campaign_id, sms.campaign_id)

    def test_validation_messages(self):
        with self.assertRaisesRegex(ValidationError, "cannot end .* before it starts"):
            self.campaign(date_start="2026-10-10", date_end="2026-10-01")
        with self.assertRaisesRegex(ValidationError, "budget of .* cannot be negative"):
            self.campaign(budget=-1)
        with self.assertRaisesRegex(ValidationError, "maximum of clicks"):
            self.campaign(max_clicks=-5)
        with self.assertRaisesRegex(UserError, "needs a name"):
            self.Campaign.create({"campaign_type": "email"})
        other = self.audience(self.company_b)
        with self.assertRaisesRegex(ValidationError, "belongs to Test Traders B"):
            self.campaign(audience_id=other.id)

    def test_launch_needs_the_channel_fields(self):
        email = self.campaign(email_subject=False, email_body="<p><br></p>")
        with self.assertRaises(UserError) as caught:
            email.action_launch()
        self.assertIn("needs a subject", str(caught.exception.name))
        self.assertIn("needs a body", str(caught.exception.name))
        self.assertEqual(email.state, "draft")
        sms = self.campaign(name="SMS", campaign_type="sms")
        with self.assertRaises(UserError) as caught:
            sms.action_launch()
        for words in ("SMS gateway", "DLT template id", "its text"):
            self.assertIn(words, caught.exception.name)
        banner = self.campaign(name="Banner", campaign_type="banner")
        with self.assertRaises(UserError) as caught:
            banner.action_launch()
        self.assertIn("needs a title", caught.exception.name)
        self.assertIn("image or a landing page", caught.exception.name)
        banner.write({"title": "Big sale", "landing_url": "https://shop.example.in"})
        banner.action_launch()
        self.assertEqual(banner.state, "active")

    def test_launch_refuses_a_past_end_date(self):
        campaign = self.campaign(
            campaign_type="social", date_start="2026-01-01", date_end="2026-01-31"
        )
        with self.assertRaisesRegex(UserError, "end date 2026-01-31 is past"):
            campaign.with_context(sme_today="2026-02-01").action_launch()

    def test_life_cycle(self):
        campaign = self.campaign(
            campaign_type="promotional", date_start=False, date_end=False
        )
        campaign.with_context(sme_today="2026-03-02").action_launch()
        self.assertEqual(campaign.state, "active")
        self.assertEqual(campaign.date_start, "2026-03-02")
        with self.assertRaisesRegex(UserError, "already active"):
            campaign.action_launch()
        with self.assertRaisesRegex(UserError, "Only a paused campaign"):
            campaign.action_resume()
        campaign.action_pause()
        self.assertEqual(campaign.state, "paused")
        with self.assertRaisesRegex(UserError, "Only an active campaign"):
            campaign.action_pause()
        campaign.action_resume()
        self.assertEqual(campaign.state, "active")
        campaign.action_complete()
        self.assertEqual(campaign.state, "completed")
        with self.assertRaisesRegex(UserError, "is completed: it cannot be launched"):
            campaign.action_launch()
        with self.assertRaisesRegex(UserError, "already completed"):
            campaign.action_cancel()
        draft = self.campaign(name="Later", campaign_type="social")
        draft.action_cancel()
        with self.assertRaisesRegex(UserError, "is cancelled"):
            draft.action_launch()
        draft.action_draft()
        self.assertEqual(draft.state, "draft")

    def test_pause_with_reason_writes_a_note(self):
        campaign = self.campaign(
            campaign_type="banner", title="Sale", landing_url="https://x.in"
        )
        self.assertFalse(campaign._sme_pause("not active yet"))
        campaign.action_launch()
        notes = len(campaign.message_ids)
        self.assertEqual(
            campaign._sme_pause("the maximum of 100 clicks is reached"), campaign
        )
        self.assertEqual(campaign.state, "paused")
        self.assertEqual(len(campaign.message_ids), notes + 1)
        self.assertIn("100 clicks", campaign.message_ids[0].body)
        self.assertFalse(campaign._sme_pause("again"))

    def test_tracked_landing_link_made_on_launch(self):
        campaign = self.campaign(
            campaign_type="social", landing_url="https://shop.example.in/diwali"
        )
        campaign.action_launch()
        link = campaign.link_tracker_id
        self.assertEqual(link.url, "https://shop.example.in/diwali")
        self.assertEqual(
            (link.campaign_id, link.medium_id),
            (campaign.campaign_id, campaign.medium_id),
        )
        self.assertIn("utm_campaign=Diwali", link.redirected_url)
        self.assertTrue(campaign.tracked_url)

    def test_cron_completes_ended_campaigns(self):
        ending = self.campaign(campaign_type="social", date_end="2026-11-15")
        running = self.campaign(
            name="Running", campaign_type="social", date_end="2026-12-31"
        )
        (ending | running).with_context(sme_today="2026-11-01").action_launch()
        done = self.Campaign.with_context(
            sme_today="2026-11-15"
        )._cron_sme_complete_ended()
        self.assertFalse(done & (ending | running))
        done = self.Campaign.with_context(
            sme_today="2026-11-16"
        )._cron_sme_complete_ended()
        self.assertIn(ending, done)
        self.assertNotIn(running, done)
        self.assertEqual((ending.state, running.state), ("completed", "active"))

    def test_smart_button_counts(self):
        campaign = self.campaign()
        customer = self.customer("Asha Rao", "9876543210", email="asha@example.in")
        self.env["crm.lead"].create(
            {"name": "Asha wants 50 m", "campaign_id": campaign.campaign_id.id}
        )
        self.Recipient._sme_create_for(campaign, customer, "manual")
        campaign.invalidate_cache()
        self.assertEqual((campaign.lead_count, campaign.recipient_count), (1, 1))
        self.assertEqual(
            campaign.action_view_leads()["domain"],
            [("campaign_id", "=", campaign.campaign_id.id)],
        )

    def test_smart_buttons_open_odoo_screens_filtered(self):
        campaign = self.campaign()
        utm = campaign.campaign_id.id
        actions = {
            "recipients": campaign.action_view_recipients(),
            "mailings": campaign.action_view_mailings(),
            "clicks": campaign.action_view_clicks(),
        }
        self.assertEqual(actions["recipients"]["res_model"], "sme.marketing.recipient")
        self.assertEqual(
            actions["recipients"]["domain"], [("campaign_id", "=", campaign.id)]
        )
        self.assertEqual(actions["mailings"]["res_model"], "mail.mass_mailing")
        self.assertEqual(actions["mailings"]["domain"], [("campaign_id", "=", utm)])
        self.assertEqual(actions["clicks"]["res_model"], "link.tracker.click")
        self.assertEqual(
            actions["clicks"]["domain"], [("link_id.campaign_id", "=", utm)]
        )
        # The screens render (kanban grouped by status, calendar, form).
        Campaign = self.env["sme.marketing.campaign"]
        for view in ("kanban", "calendar", "form", "tree", "search"):
            self.assertTrue(Campaign.fields_view_get(view_type=view)["arch"], view)

    def test_delete_only_drafts(self):
        campaign = self.campaign(campaign_type="social")
        utm = campaign.campaign_id
        campaign.action_launch()
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            campaign.unlink()
        draft = self.campaign(name="Scratch", campaign_type="social")
        draft_utm = draft.campaign_id
        draft.unlink()
        self.assertFalse(draft_utm.exists())
        self.assertTrue(utm.exists())


class TestCampaignResponses(CampaignCase):
    """``sme_record_response`` over XML-RPC: by id or phone, refusals."""

    def setUp(self):
        super(TestCampaignResponses, self).setUp()
        self.asha = self.customer("Asha Rao", "9876543210", email="asha@example.in")
        self.live = self.campaign(campaign_type="social").sudo(self.marketer_a)
        self.live.action_launch()

    def respond(self, campaign_id, customer, user=None):
        return self.Campaign.sudo(user or self.marketer_a).sme_record_response(
            campaign_id, customer
        )

    def test_response_by_phone_counts_for_engagement(self):
        result = self.respond(self.live.id, "+91 98765 43210")
        recipient = self.Recipient.browse(result["recipient_id"])
        self.assertEqual(
            (recipient.partner_id, recipient.state, recipient.origin),
            (self.asha, "replied", "manual"),
        )
        self.assertTrue(recipient.date_replied)
        history = self.env["sme.customer.health.history"].search(
            [
                ("health_id.partner_id", "=", self.asha.id),
                ("kind", "=", "campaign_response"),
            ]
        )
        self.assertEqual(len(history), 1)
        self.assertGreater(result["health"]["engagement_score"], 0)
        again = self.respond(self.live.id, self.asha.id)
        self.assertEqual(again["recipient_id"], recipient.id)

    def test_bad_input_is_refused_clearly(self):
        with self.assertRaisesRegex(UserError, "Campaign 999999 does not exist"):
            self.respond(999999, self.asha.id)
        with self.assertRaisesRegex(UserError, "campaign_id must be a record id"):
            self.respond("Diwali", self.asha.id)
        other = self.campaign(self.company_b, name="B's sale", campaign_type="social")
        other.action_launch()
        with self.assertRaisesRegex(UserError, "does not exist in Test Traders A"):
            self.respond(other.id, self.asha.id)
        self.live.action_pause()
        with self.assertRaisesRegex(UserError, "is paused: it takes no responses"):
            self.respond(self.live.id, self.asha.id)
        self.live.action_resume()
        with self.assertRaisesRegex(UserError, r"\+919822099999 does not exist in"):
            self.respond(self.live.id, "98220 99999")
        with self.assertRaisesRegex(UserError, "customer id or a phone number"):
            self.respond(self.live.id, "not a phone")
        ravi = self.customer("Ravi Kumar", "9822012345", self.company_b)
        with self.assertRaisesRegex(UserError, "Customer %d does not exist" % ravi.id):
            self.respond(self.live.id, ravi.id)

    def test_launch_over_rpc_refusals(self):
        with self.assertRaisesRegex(UserError, "already active"):
            self.live.action_launch()


class TestCampaignRecordRules(CampaignCase):
    def test_companies_see_their_own(self):
        campaign = self.campaign()
        audience = self.audience()
        customer = self.customer("Asha Rao", "9876543210", email="asha@example.in")
        recipient = self.Recipient._sme_create_for(campaign, customer, "manual")
        for record in (campaign, audience, recipient):
            model = record._name
            mine = self.env[model].sudo(self.marketer_a)
            theirs = self.env[model].sudo(self.marketer_b)
            self.assertEqual(mine.search([("id", "=", record.id)]), record, model)
            self.assertFalse(theirs.search([("id", "=", record.id)]), model)
            with self.assertRaises(AccessError):
                theirs.browse(record.id).read(["company_id"])
        # B's user creates in B; A's records stay out of reach.
        own = self.Campaign.sudo(self.marketer_b).create(
            {"name": "B only", "campaign_type": "social"}
        )
        self.assertEqual(own.company_id, self.company_b)
        with self.assertRaises(AccessError):
            self.Campaign.sudo(self.marketer_b).browse(campaign.id).write({"budget": 5})
