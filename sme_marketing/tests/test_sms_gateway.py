# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SMS gateway against the SMS sandbox over real sockets: per-number
results (invalid, DND), rate limits and outages as queue_job retries with
the gateway's Retry-After, refusals in words without the API key, the key
encrypted in the database and never read back, delivery reports, the
buttons, and the record rule between two companies."""
import json

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import config

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.sme_customer_master.tests.common import CustomerMasterCase
from odoo.addons.sme_customer_master.tools import secrets

from sme_connectors.sandbox.testing import DEMO_SMS_SEED, running_sms

with open(DEMO_SMS_SEED) as _handle:
    SEED = json.load(_handle)
SHARMA, KIRAN = SEED["accounts"]
ANY_TEXT = "1107175100000000009"  # registered without content: any text
OFFER = "1107175100000000001"
GOOD, OTHER = "+919876543210", "+917000000000"
DND, UNDELIVERABLE = "+919800000001", "+919800000009"


class TestSmsGateway(CustomerMasterCase):
    @classmethod
    def setUpClass(cls):
        super(TestSmsGateway, cls).setUpClass()
        cls.server = running_sms()
        cls.url, cls.sandbox = cls.server.__enter__()
        marketing = cls.env.ref("sme_marketing.group_sme_marketing_user")
        manager = cls.env.ref("sme_marketing.group_sme_marketing_manager")
        cls.marketer_a = cls._make_user("sms_mkt_a", cls.company_a, marketing)
        cls.manager_a = cls._make_user("sms_mgr_a", cls.company_a, manager)
        cls.Gateway = cls.env["sme.marketing.sms.gateway"]

    @classmethod
    def tearDownClass(cls):
        cls.server.__exit__(None, None, None)
        super(TestSmsGateway, cls).tearDownClass()

    def setUp(self):
        super(TestSmsGateway, self).setUp()
        self.sandbox.reset(SEED)  # no messages, no faults, default limits
        self.gateway = self.make_gateway()

    def make_gateway(self, company=None, account=SHARMA, **values):
        defaults = {
            "name": "Sandbox",
            "company_id": (company or self.company_a).id,
            "base_url": self.url,
            "account_sid": account["sid"],
            "api_key": account["api_key"],
            "sender_id": account["senders"][0],
            "route": "promotional",
            "dlt_entity_id": account["entity_id"],
            "timeout": 5,
        }
        defaults.update(values)
        return self.Gateway.create(defaults)

    # -- sending ------------------------------------------------------------
    def test_each_number_gets_its_answer(self):
        answers = self.gateway._sme_send(
            ANY_TEXT,
            [
                (11, GOOD, "Diwali sale"),
                (12, "12345", "Diwali sale"),
                (13, DND, "Diwali sale"),
            ],
        )
        self.assertEqual(set(answers), {11, 12, 13})
        self.assertEqual(answers[11]["state"], "sent")
        self.assertTrue(answers[11]["provider_message_id"])
        self.assertEqual(
            (answers[12]["state"], answers[12]["code"]), ("rejected", "E413")
        )
        self.assertIn("Invalid mobile number", answers[12]["reason"])
        self.assertEqual(
            (answers[13]["state"], answers[13]["code"]), ("rejected", "E415")
        )
        self.assertIn("DND", answers[13]["reason"])
        sent = self.sandbox.books.accepted(SHARMA["sid"])
        self.assertEqual(len(sent), 1)
        self.assertEqual(
            (sent[0]["to"], sent[0]["sender"], sent[0]["type"], sent[0]["entity_id"]),
            (GOOD, SHARMA["senders"][0], "MKT", SHARMA["entity_id"]),
        )
        self.assertEqual(sent[0]["message_id"], answers[11]["provider_message_id"])

    def test_transactional_route_reaches_dnd_numbers(self):
        gateway = self.make_gateway(sender_id="SHRMTR", route="transactional")
        answers = gateway._sme_send(ANY_TEXT, [(1, DND, "Order 17 confirmed")])
        self.assertEqual(answers[1]["state"], "sent")
        self.assertEqual(self.sandbox.books.accepted()[0]["type"], "TXN")

    def test_text_not_as_registered_is_rejected(self):
        answers = self.gateway._sme_send(OFFER, [(1, GOOD, "Big sale today")])
        self.assertEqual(
            (answers[1]["state"], answers[1]["code"]), ("rejected", "E416")
        )

    def test_rate_limit_is_retried_after_the_gateway_says(self):
        self.sandbox.settings["rate_per_second"] = 1
        self.gateway._sme_send(ANY_TEXT, [(1, GOOD, "one")])
        with self.assertRaises(RetryableJobError) as caught:
            self.gateway._sme_send(ANY_TEXT, [(2, OTHER, "two")])
        self.assertEqual(caught.exception.seconds, 1)
        self.assertIn("HTTP 429", caught.exception.args[0])
        self.assertEqual(len(self.sandbox.books.accepted()), 1, "nothing sent twice")

    def test_outages_are_retried(self):
        self.sandbox.faults.extend(["http429", "http500"])
        with self.assertRaises(RetryableJobError) as caught:
            self.gateway._sme_send(ANY_TEXT, [(1, GOOD, "one")])
        self.assertEqual(caught.exception.seconds, 3, "the server's Retry-After")
        with self.assertRaises(RetryableJobError) as caught:
            self.gateway._sme_send(ANY_TEXT, [(1, GOOD, "one")])
        self.assertIsNone(caught.exception.seconds)
        self.assertIn("HTTP 500", caught.exception.args[0])
        self.assertEqual(self.sandbox.books.messages, [])

    def test_refusals_are_said_in_words_without_the_key(self):
        wrong = "Zz9wrongSmsKey00000000000001"
        self.gateway.api_key = wrong
        with self.assertRaises(UserError) as caught:
            self.gateway._sme_send(ANY_TEXT, [(1, GOOD, "one")])
        text = caught.exception.name
        self.assertIn("HTTP 401", text)
        self.assertIn("API key", text)
        self.assertNotIn(wrong, text)
        self.gateway.api_key = SHARMA["api_key"]
        with self.assertRaises(UserError) as caught:
            self.gateway._sme_send("1107000000000000000", [(1, GOOD, "one")])
        self.assertIn("E410", caught.exception.name)
        self.assertNotIn(SHARMA["api_key"], caught.exception.name)

    def test_delivery_states(self):
        answers = self.gateway._sme_send(
            ANY_TEXT, [(1, GOOD, "one"), (2, UNDELIVERABLE, "one")]
        )
        ids = [answers[1]["provider_message_id"], answers[2]["provider_message_id"]]
        states = self.gateway._sme_delivery_states(ids)
        self.assertEqual(states[ids[0]]["state"], "delivered")
        self.assertEqual(states[ids[1]]["state"], "failed")
        self.sandbox.settings["delivery_seconds"] = 3600
        pending = self.gateway._sme_send(ANY_TEXT, [(3, OTHER, "two")])
        message_id = pending[3]["provider_message_id"]
        self.assertEqual(
            self.gateway._sme_delivery_states([message_id])[message_id]["state"],
            "pending",
        )

    # -- the API key ----------------------------------------------------------
    def test_api_key_is_encrypted_and_never_read_back(self):
        self.env.cr.execute(
            "SELECT api_key_ciphertext FROM sme_marketing_sms_gateway WHERE id = %s",
            [self.gateway.id],
        )
        token = self.env.cr.fetchone()[0]
        self.assertTrue(token)
        self.assertNotIn(SHARMA["api_key"], token)
        self.assertEqual(
            secrets.decrypt(secrets.load_key(config), token), SHARMA["api_key"]
        )
        for reader in (self.Gateway, self.Gateway.sudo(self.manager_a)):
            values = reader.browse(self.gateway.id).read()[0]
            self.assertNotIn("api_key_ciphertext", values)
            self.assertFalse(values.get("api_key"))
            self.assertEqual(values["api_key_state"], "set")
            self.assertNotIn(SHARMA["api_key"], str(values))
        with self.assertRaises(AccessError):
            self.gateway.export_data(["api_key_ciphertext"])
        # Writing it empty keeps the stored key; a user cannot even ask.
        self.gateway.write({"api_key": False, "name": "Renamed"})
        self.assertEqual(self.gateway._sme_api_key(), SHARMA["api_key"])
        with self.assertRaises(AccessError):
            self.gateway.sudo(self.marketer_a).read(["api_key"])
        values = self.gateway.sudo(self.marketer_a).read()[0]
        self.assertNotIn("api_key", values)
        self.assertNotIn("api_key_ciphertext", values)
        self.assertEqual(
            self.gateway.sudo(self.marketer_a).read(["api_key_state"])[0][
                "api_key_state"
            ],
            "set",
        )
        without = self.make_gateway(api_key=False)
        self.assertEqual(without.api_key_state, "not set")
        with self.assertRaises(UserError) as caught:
            without._sme_send(ANY_TEXT, [(1, GOOD, "one")])
        self.assertIn("API key", caught.exception.name)

    def test_only_managers_change_gateways(self):
        with self.assertRaises(AccessError):
            self.gateway.sudo(self.marketer_a).write({"name": "Mine"})
        self.gateway.sudo(self.manager_a).write(
            {"name": "Promotional", "api_key": SHARMA["api_key"]}
        )
        self.assertEqual(self.gateway.name, "Promotional")

    def test_record_rule_between_companies(self):
        other = self.make_gateway(company=self.company_b, account=KIRAN)
        marketer_b = self._make_user(
            "sms_mkt_b",
            self.company_b,
            self.env.ref("sme_marketing.group_sme_marketing_manager"),
        )
        seen = self.Gateway.sudo(self.marketer_a).search([])
        self.assertIn(self.gateway, seen)
        self.assertNotIn(other, seen)
        with self.assertRaises(AccessError):
            other.sudo(self.marketer_a).read(["name"])
        with self.assertRaises(AccessError):
            self.gateway.sudo(marketer_b).write({"name": "Taken"})
        self.assertEqual(self.Gateway.sudo(marketer_b).search([]), other)

    # -- settings and buttons -------------------------------------------------
    def test_sender_id_follows_the_route(self):
        with self.assertRaises(ValidationError):
            self.make_gateway(sender_id="SHRMTR", route="promotional")
        with self.assertRaises(ValidationError):
            self.make_gateway(sender_id="560001", route="transactional")
        with self.assertRaises(ValidationError):
            self.make_gateway(dlt_entity_id="PE-1101")

    def test_buttons(self):
        self.gateway.action_test_connection()
        self.assertIn("Connected in", self.gateway.last_test)
        self.assertEqual(self.sandbox.books.messages, [], "a test sends nothing")
        self.gateway.write({"test_number": "98765 43210", "test_template_id": ANY_TEXT})
        self.gateway.action_send_test_sms()
        self.assertIn("accepted", self.gateway.last_test)
        self.assertEqual(self.sandbox.books.accepted()[0]["to"], GOOD)
        self.gateway.test_number = DND
        with self.assertRaises(UserError) as caught:
            self.gateway.action_send_test_sms()
        self.assertIn("DND", caught.exception.name)
        self.gateway.api_key = "Zz9wrongSmsKey00000000000001"
        with self.assertRaises(UserError) as caught:
            self.gateway.action_test_connection()
        self.assertIn("Connection failed", caught.exception.name)
