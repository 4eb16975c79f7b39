# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An SMS campaign through the SMS sandbox over real sockets: each number's
answer on its recipient (sent with the gateway's id, DND and invalid
numbers failed with the reason), a DND number skipped by the next campaign,
a rate limit (429) retried by queue_job with nothing sent twice."""
import json
from unittest import mock

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from sme_connectors.sandbox.testing import DEMO_SMS_SEED, running_sms

from .test_campaigns import CampaignCase

with open(DEMO_SMS_SEED) as _handle:
    SEED = json.load(_handle)
SHARMA = SEED["accounts"][0]
ANY_TEXT = "1107175100000000009"  # registered without content: any text


class TestSmsCampaign(CampaignCase):
    @classmethod
    def setUpClass(cls):
        super(TestSmsCampaign, cls).setUpClass()
        cls.server = running_sms()
        cls.url, cls.sandbox = cls.server.__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super(TestSmsCampaign, cls).tearDownClass()

    def setUp(self):
        super(TestSmsCampaign, self).setUp()
        self.sandbox.reset(SEED)
        self.gateway = self.env["sme.marketing.sms.gateway"].create(
            {
                "name": "Sandbox",
                "company_id": self.company_a.id,
                "base_url": self.url,
                "account_sid": SHARMA["sid"],
                "api_key": SHARMA["api_key"],
                "sender_id": SHARMA["senders"][0],
                "route": "promotional",
                "dlt_entity_id": SHARMA["entity_id"],
                "timeout": 5,
            }
        )
        self.asha = self.customer("Asha Rao", "9876543210", mobile="9876500001")
        self.ravi = self.customer("Ravi Kumar", "9822012345")  # on the DND list
        # A Pune landline: a valid phone, but no mobile an SMS can reach.
        self.patil = self.customer("Patil Hardware", "020 2553 1122")
        self.meena = self.customer("Meena Iyer", "9822012346")
        self.meena.opt_out = True

    def sms_campaign(self, name="Winter offer"):
        return self.campaign(
            name=name,
            campaign_type="sms",
            sms_gateway_id=self.gateway.id,
            sms_template_id=ANY_TEXT,
            sms_text="Sharma Traders: heaters 15% off till 31 Dec.",
            audience_id=self.audience().id,
        )

    def states(self, campaign):
        return {
            recipient.partner_id.name: (
                recipient.state,
                recipient.skip_code or False,
                recipient.address,
            )
            for recipient in campaign.recipient_ids
        }

    def test_each_number_answered_on_its_recipient(self):
        campaign = self.sms_campaign()
        campaign.action_launch()
        self.assertEqual(
            self.run_jobs(campaign), ["1 SMS sent, 2 rejected, 0 deferred."]
        )
        self.assertEqual(
            self.states(campaign),
            {
                "Asha Rao": ("sent", False, "+919876500001"),
                "Ravi Kumar": ("failed", "dnd", "+919822012345"),
                "Patil Hardware": ("failed", "invalid", "+912025531122"),
                "Meena Iyer": ("skipped", "opt_out", False),
            },
        )
        asha = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.asha)
        self.assertTrue(asha.provider_message_id)
        self.assertTrue(asha.date_sent)
        ravi = campaign.recipient_ids.filtered(lambda r: r.partner_id == self.ravi)
        self.assertIn("E415", ravi.reason)
        # The gateway got every reachable number, under our template.
        received = [
            (message["to"], message["template_id"])
            for message in self.sandbox.books.messages
        ]
        self.assertEqual(
            sorted(number for number, _template in received),
            ["+912025531122", "+919822012345", "+919876500001"],
        )
        self.assertEqual({template for _n, template in received}, {ANY_TEXT})

        # The next SMS campaign skips the DND number before sending.
        audience = campaign.audience_id
        self.assertEqual((audience.count_sms, audience.count_dnd), (2, 1))
        later = self.sms_campaign("Spring offer")
        later.action_launch()
        self.assertEqual(self.states(later)["Ravi Kumar"][:2], ("skipped", "dnd"))

    def test_rate_limit_is_retried_without_sending_twice(self):
        campaign = self.sms_campaign()
        campaign.action_launch()
        (queued,) = self.campaign_jobs(campaign)
        self.sandbox.faults.append("http429")
        job = Job.load(self.env, queued.uuid)
        with self.assertRaises(RetryableJobError) as caught:
            job.perform()
        self.assertEqual(caught.exception.seconds, 3)  # the gateway's Retry-After
        self.assertFalse(self.sandbox.books.messages)
        self.assertEqual(
            sorted(campaign.recipient_ids.mapped("state")),
            ["queued", "queued", "queued", "skipped"],
        )
        # queue_job runs it again later: now it goes through, once.
        self.assertEqual(self.run_job(queued), "1 SMS sent, 2 rejected, 0 deferred.")
        self.assertEqual(len(self.sandbox.books.messages), 3)
        self.assertEqual(self.run_job(queued), "Nothing left to send.")
        self.assertEqual(len(self.sandbox.books.messages), 3)

    def test_numbers_deferred_part_way_are_queued_again(self):
        # A rate limit met part-way through a batch, for longer than the
        # client waits: the gateway answers the rest "deferred".
        campaign = self.sms_campaign()
        campaign.action_launch()
        recipients = campaign.recipient_ids.filtered(lambda r: r.state == "queued")
        answers = {
            recipients[0].id: {"state": "sent", "provider_message_id": "m1"},
            recipients[1].id: {"state": "deferred", "retry_after": 7, "reason": "429"},
            recipients[2].id: {"state": "deferred", "retry_after": 7, "reason": "429"},
        }
        with mock.patch.object(
            type(self.env["sme.marketing.sms.gateway"]),
            "_sme_send",
            lambda gateway, template, messages: answers,
        ):
            result = campaign.sme_job_send_batch(recipients.ids)
        self.assertEqual(result, "1 SMS sent, 0 rejected, 2 deferred.")
        self.assertEqual(recipients.mapped("state"), ["sent", "queued", "queued"])
        later = self.campaign_jobs(campaign)[-1]
        self.assertEqual(sorted(later.record_ids), campaign.ids)
        self.assertTrue(later.eta)

    def test_delivery_reports(self):
        absent = self.customer("Switched Off", "9800000009")  # undeliverable
        campaign = self.sms_campaign()
        campaign.action_launch()
        self.run_jobs(campaign)
        Recipient = self.env["sme.marketing.recipient"]
        updated = Recipient._cron_sme_sms_delivery_reports()
        states = {
            recipient.partner_id: (recipient.state, recipient.reason)
            for recipient in campaign.recipient_ids
        }
        self.assertEqual(states[self.asha][0], "delivered")
        self.assertEqual(states[absent], ("bounced", "ABSENT_SUBSCRIBER"))
        self.assertEqual(states[self.ravi][0], "failed")  # refused at sending
        self.assertEqual(len(updated), 2)
        self.assertFalse(Recipient._cron_sme_sms_delivery_reports())
