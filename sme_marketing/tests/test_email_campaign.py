# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An email campaign sent for real: through mass_mailing and Odoo's outgoing
mail server to a local SMTP server started by the test, in queue jobs of a
batch each; opted-out customers and those without email get nothing and
are counted."""
import contextlib
import threading
from unittest import mock

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.sme_marketing.models import sme_marketing_campaign

from sme_connectors.sandbox.smtp_sink import running_smtp_sink

from .test_campaigns import CampaignCase


@contextlib.contextmanager
def really_sending():
    """Odoo skips sending while ``testing`` is set on the thread (pytest-odoo
    sets it); the campaign's jobs must really send here."""
    thread = threading.current_thread()
    saved = getattr(thread, "testing", None)
    thread.testing = False
    try:
        yield
    finally:
        if saved is None:
            del thread.testing
        else:
            thread.testing = saved


class TestEmailCampaign(CampaignCase):
    @classmethod
    def setUpClass(cls):
        super(TestEmailCampaign, cls).setUpClass()
        # The only outgoing server the test database knows: the local one.
        cls.env["ir.mail_server"].search([]).write({"active": False})
        cls.mail_server = cls.env["ir.mail_server"].create(
            {
                "name": "Local test SMTP",
                "smtp_host": "127.0.0.1",
                "smtp_port": 25,  # the running server's port is set per test
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        cls.env["ir.config_parameter"].set_param(
            "web.base.url", "http://hub.example.in"
        )

    def setUp(self):
        super(TestEmailCampaign, self).setUp()
        self.customers = [
            self.customer(
                "Customer %d" % n, "98200%05d" % n, email="c%d@example.in" % n
            )
            for n in range(7)
        ]
        self.customers[2].opt_out = True
        self.no_email = self.customer("No Email", "9811100000")
        self.campaign_ = self.campaign(audience_id=self.audience().id)

    def test_sent_through_smtp_in_batches(self):
        patcher = mock.patch.object(sme_marketing_campaign, "BATCH_SIZE", 3)
        patcher.start()
        self.addCleanup(patcher.stop)
        with running_smtp_sink() as server:
            self.mail_server.smtp_port = server.port
            self.campaign_.action_launch()
            jobs = self.campaign_jobs(self.campaign_)
            # 6 reachable customers in batches of 3: two jobs on our channel.
            self.assertEqual(len(jobs), 2)
            self.assertEqual(set(jobs.mapped("channel")), {"root.sme_marketing"})
            self.assertFalse(server.messages)  # nothing sent at launch
            with really_sending():
                results = self.run_jobs(self.campaign_)
        self.assertEqual(
            results, ["3 email(s) sent, 0 failed, 0 skipped (opted out or mailed)."] * 2
        )
        recipients = {
            frozenset(rcpttos): message for _from, rcpttos, message in server.messages
        }
        expected = {"c%d@example.in" % n for n in range(7) if n != 2}
        self.assertEqual(len(server.messages), 6)
        self.assertEqual({address for rcpt in recipients for address in rcpt}, expected)
        self.assertNotIn("c2@example.in", str(recipients))
        message = server.messages[0][2]
        self.assertEqual(message["Subject"], "Diwali offer")
        self.assertIn("shop@example.in", message["From"])
        html = message.get_body(("html",)).get_content()
        # The link goes through link_tracker (/r/<code>/m/<statistics id>)
        # and the message carries mass_mailing's open-tracking pixel.
        self.assertIn("http://hub.example.in/r/", html)
        self.assertIn("/m/", html)
        self.assertNotIn('href="https://shop.example.in/diwali"', html)
        self.assertIn("mail/track/", html)
        link = self.env["link.tracker"].search(
            [("campaign_id", "=", self.campaign_.campaign_id.id)]
        )
        self.assertEqual(link.url, "https://shop.example.in/diwali")

        states = {
            recipient.partner_id.name: (recipient.state, recipient.skip_code)
            for recipient in self.campaign_.recipient_ids
        }
        self.assertEqual(
            sorted(states.values()),
            sorted(
                [("sent", False)] * 6
                + [("skipped", "opt_out"), ("skipped", "no_email")]
            ),
        )
        sent = self.campaign_.recipient_ids.filtered(lambda r: r.state == "sent")
        self.assertTrue(all(sent.mapped("mail_stat_id.sent")))
        mailing = self.campaign_.mass_mailing_id
        self.assertEqual(
            (mailing.campaign_id, mailing.state, mailing.sent),
            (self.campaign_.campaign_id, "draft", 6),
        )
        # A job run again sends nothing twice.
        with really_sending():
            self.assertEqual(
                self.campaign_.sme_job_send_batch(sent.ids), "Nothing left to send."
            )

    def test_opted_out_after_launch_gets_nothing(self):
        with running_smtp_sink() as server:
            self.mail_server.smtp_port = server.port
            self.campaign_.action_launch()
            self.customers[0].opt_out = True
            with really_sending():
                self.run_jobs(self.campaign_)
        self.assertEqual(len(server.messages), 5)
        late = self.campaign_.recipient_ids.filtered(
            lambda r: r.partner_id == self.customers[0]
        )
        self.assertEqual((late.state, late.skip_code), ("skipped", "opt_out"))

    def test_paused_campaign_sends_nothing_until_resumed(self):
        # A marketing user (no technical rights) runs the campaign.
        campaign = self.campaign_.sudo(self.marketer_a)
        with running_smtp_sink() as server:
            self.mail_server.smtp_port = server.port
            campaign.action_launch()
            campaign.action_pause()
            with really_sending():
                self.assertEqual(
                    self.run_jobs(self.campaign_),
                    ["Nothing sent: Diwali 2026 is paused."],
                )
            self.assertFalse(server.messages)
            campaign.action_resume()
            with really_sending():
                self.run_jobs(self.campaign_)
        self.assertEqual(len(server.messages), 6)

    def test_mail_server_down_is_retried(self):
        with running_smtp_sink() as server:
            port = server.port
        self.mail_server.smtp_port = port  # nobody listens there any more
        self.campaign_.action_launch()
        with really_sending():
            with self.assertRaises(RetryableJobError):
                self.campaign_.sme_job_send_batch(self.campaign_.recipient_ids.ids)
        self.assertEqual(
            set(self.campaign_.recipient_ids.mapped("state")), {"queued", "skipped"}
        )
