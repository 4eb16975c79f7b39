# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SMS connector against the SMS gateway sandbox over a real socket:
per-number results (invalid, DND, template mismatch), the DLT checks, rate
limits (429 with Retry-After), auth errors without the key, delivery reports."""
import json
import socket
import time
import unittest

import requests

from sme_connectors.base import AuthError, ConnectorError, TransientError
from sme_connectors.sandbox.testing import DEMO_SMS_SEED, running_sms
from sme_connectors.sms import RateLimited, SmsClient

with open(DEMO_SMS_SEED) as _handle:
    SHARMA = json.load(_handle)["accounts"][0]
SID, KEY = SHARMA["sid"], SHARMA["api_key"]
PROMO, TXN = "560001", "SHRMTR"
OFFER = "1107175100000000001"  # "Dear {#var#}, {#var#} at Sharma Traders, ..."
ANY_TEXT = "1107175100000000009"
OFFER_TEXT = (
    "Dear Asha, 20% off on rice at Sharma Traders, Pune. Shop now: sme.in/x -560001"
)
GOOD, OTHER = "+919876543210", "+917000000000"
DND, UNDELIVERABLE = "+919800000001", "+919800000009"


class SmsCase(unittest.TestCase):
    def setUp(self):
        server = running_sms()
        self.url, self.sandbox = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)

    def client(self, **options):
        values = dict(
            url=self.url,
            account_sid=SID,
            api_key=KEY,
            sender_id=PROMO,
            route="promotional",
            entity_id=SHARMA["entity_id"],
            timeout=5,
        )
        values.update(options)
        return SmsClient(**values)


class TestSend(SmsCase):
    def test_batch_is_accepted_with_a_message_id_per_number(self):
        results = self.client().send(
            OFFER, [(GOOD, OFFER_TEXT), ("98220 55555", OFFER_TEXT)]
        )
        self.assertEqual([r.status for r in results], ["accepted", "accepted"])
        self.assertEqual([r.number for r in results], [GOOD, "98220 55555"])
        self.assertTrue(all(r.message_id for r in results))
        self.assertNotEqual(results[0].message_id, results[1].message_id)
        sent = self.sandbox.books.accepted(SID)
        self.assertEqual([m["to"] for m in sent], [GOOD, "+919822055555"])
        self.assertEqual(
            {(m["sender"], m["type"], m["template_id"], m["entity_id"]) for m in sent},
            {(PROMO, "MKT", OFFER, SHARMA["entity_id"])},
        )
        self.assertEqual(sent[0]["body"], OFFER_TEXT)
        self.assertEqual(self.sandbox.requests_seen, 1, "one text: one request")

    def test_invalid_and_dnd_numbers_are_refused_one_by_one(self):
        results = self.client().send(
            ANY_TEXT,
            [
                (GOOD, "Hello"),
                ("12345", "Hello"),
                ("+91 20 2612 3456", "Hello"),  # a Pune landline
                (DND, "Hello"),
                (OTHER, "Hello"),
            ],
        )
        self.assertEqual(
            [(r.status, r.code) for r in results],
            [
                ("accepted", None),
                ("rejected", "E413"),
                ("rejected", "E413"),
                ("rejected", "E415"),
                ("accepted", None),
            ],
        )
        self.assertIn("Invalid mobile number", results[1].reason)
        self.assertIn("DND", results[3].reason)
        self.assertEqual(
            [m["to"] for m in self.sandbox.books.accepted()], [GOOD, OTHER]
        )
        self.assertEqual(len(self.sandbox.books.messages), 5, "every message recorded")

    def test_dnd_numbers_get_transactional_messages(self):
        results = self.client(sender_id=TXN, route="transactional").send(
            ANY_TEXT, [(DND, "Your order 17 is confirmed")]
        )
        self.assertEqual(results[0].status, "accepted")

    def test_text_must_match_the_dlt_template(self):
        results = self.client().send(
            OFFER, [(GOOD, OFFER_TEXT), (OTHER, "Buy now, big sale!")]
        )
        self.assertEqual([r.status for r in results], ["accepted", "rejected"])
        self.assertEqual(results[1].code, "E416")
        self.assertIn("does not match DLT template", results[1].reason)

    def test_different_texts_go_in_one_request_each_in_order(self):
        results = self.client().send(
            ANY_TEXT, [(GOOD, "A"), (OTHER, "B"), ("+919822055555", "A")]
        )
        self.assertEqual([r.status for r in results], ["accepted"] * 3)
        self.assertEqual(self.sandbox.requests_seen, 2)
        bodies = {m["to"]: m["body"] for m in self.sandbox.books.accepted()}
        self.assertEqual(bodies, {GOOD: "A", OTHER: "B", "+919822055555": "A"})

    def test_request_refusals_are_clear_errors(self):
        cases = [
            (dict(), "1107000000000000000", "E410"),
            (dict(sender_id="999999"), ANY_TEXT, "E409"),
            (dict(sender_id=TXN), ANY_TEXT, "E408"),  # letters on the promotional route
            (dict(entity_id="1101000000000000000"), ANY_TEXT, "E411"),
        ]
        for options, template, code in cases:
            with self.assertRaises(ConnectorError) as caught:
                self.client(**options).send(template, [(GOOD, "Hello")])
            self.assertNotIsInstance(caught.exception, TransientError)
            self.assertIn(code, str(caught.exception))
            self.assertIn("HTTP 400", str(caught.exception))
        self.assertEqual(self.sandbox.books.messages, [])

    def test_batch_size_limit(self):
        self.sandbox.settings["max_recipients"] = 2
        numbers = [(GOOD, "Hi"), (OTHER, "Hi"), ("+919822055555", "Hi")]
        with self.assertRaises(ConnectorError) as caught:
            self.client(batch_size=5).send(ANY_TEXT, numbers)
        self.assertIn("E412", str(caught.exception))
        results = self.client(batch_size=2).send(ANY_TEXT, numbers)
        self.assertEqual([r.status for r in results], ["accepted"] * 3)
        self.assertEqual(len(self.sandbox.books.accepted()), 3)


class TestFaults(SmsCase):
    def test_rate_limit_is_a_retryable_error_with_retry_after(self):
        self.sandbox.settings["rate_per_second"] = 1
        client = self.client()
        client.send(ANY_TEXT, [(GOOD, "one")])
        with self.assertRaises(RateLimited) as caught:
            client.send(ANY_TEXT, [(OTHER, "two")])
        self.assertIsInstance(caught.exception, TransientError)
        self.assertEqual(caught.exception.retry_after, 1.0)
        self.assertIn("HTTP 429", str(caught.exception))
        self.assertEqual(len(self.sandbox.books.accepted()), 1)

    def test_server_retry_after_is_kept(self):
        self.sandbox.faults.append("http429")  # Retry-After: 3, a text body
        with self.assertRaises(RateLimited) as caught:
            self.client().send(ANY_TEXT, [(GOOD, "one")])
        self.assertEqual(caught.exception.retry_after, 3.0)

    def test_rate_limit_part_way_is_waited_out(self):
        # Two texts, two requests; at most one request a second: the client
        # waits the Retry-After once the first went out, and sends the second.
        self.sandbox.settings["rate_per_second"] = 1
        slept = []

        def sleep(seconds):
            slept.append(seconds)
            time.sleep(seconds)

        results = self.client(sleep=sleep).send(
            ANY_TEXT, [(GOOD, "one"), (OTHER, "two")]
        )
        self.assertEqual([r.status for r in results], ["accepted", "accepted"])
        self.assertEqual(slept, [1.0])
        self.assertEqual(len(self.sandbox.books.accepted()), 2)

    def test_what_cannot_wait_is_deferred_never_sent_twice(self):
        self.sandbox.settings["rate_per_second"] = 1
        results = self.client(max_wait=0).send(
            ANY_TEXT, [(GOOD, "one"), (OTHER, "two")]
        )
        self.assertEqual([r.status for r in results], ["accepted", "deferred"])
        self.assertEqual(results[1].retry_after, 1.0)
        self.assertIn("HTTP 429", results[1].reason)
        self.assertEqual([m["to"] for m in self.sandbox.books.accepted()], [GOOD])

    def test_server_error_and_unreachable_are_transient(self):
        self.sandbox.faults.append("http500")
        with self.assertRaises(TransientError) as caught:
            self.client().send(ANY_TEXT, [(GOOD, "one")])
        self.assertIn("HTTP 500", str(caught.exception))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        with self.assertRaises(TransientError):
            self.client(url="http://127.0.0.1:%d/" % port).send(
                ANY_TEXT, [(GOOD, "one")]
            )

    def test_wrong_key_is_an_auth_error_without_the_key(self):
        wrong = "Zz9wrongSmsKey00000000000001"
        with self.assertRaises(AuthError) as caught:
            self.client(api_key=wrong).send(ANY_TEXT, [(GOOD, "one")])
        text = str(caught.exception)
        self.assertIn("HTTP 401", text)
        self.assertIn(SID, text)
        self.assertNotIn(wrong, text)
        self.assertNotIn(KEY, text)
        with self.assertRaises(ConnectorError) as caught:
            self.client(account_sid="HXIN0000000000IN").test_connection()
        self.assertIn("HTTP 404", str(caught.exception))

    def test_a_key_echoed_by_the_server_is_redacted(self):
        class Echo(requests.Session):
            def request(self, method, url, **kwargs):
                response = requests.Response()
                response.status_code = 400
                response._content = json.dumps(
                    {"code": "E400", "message": "bad key %s" % KEY}
                ).encode()
                response.url = url
                return response

        with self.assertRaises(ConnectorError) as caught:
            self.client(session=Echo()).send(ANY_TEXT, [(GOOD, "one")])
        self.assertNotIn(KEY, str(caught.exception))
        self.assertIn("bad key", str(caught.exception))

    def test_missing_settings(self):
        from sme_connectors.base import SettingsMissing

        with self.assertRaises(SettingsMissing) as caught:
            self.client(api_key="", sender_id=None)
        self.assertIn("API key", str(caught.exception))
        self.assertIn("sender id", str(caught.exception))


class TestDeliveryReports(SmsCase):
    def test_statuses(self):
        client = self.client()
        results = client.send(ANY_TEXT, [(GOOD, "one"), (UNDELIVERABLE, "one")])
        ids = [r.message_id for r in results]
        states = client.statuses(ids + ["nosuch:1"])
        self.assertEqual(states[ids[0]].state, "delivered")
        self.assertEqual(states[ids[0]].recipient, GOOD)
        self.assertEqual(states[ids[1]].state, "failed")
        self.assertEqual(states[ids[1]].detail, "ABSENT_SUBSCRIBER")
        self.assertEqual(states["nosuch:1"].state, "failed")

    def test_pending_until_delivered(self):
        self.sandbox.settings["delivery_seconds"] = 3600
        client = self.client()
        message_id = client.send(ANY_TEXT, [(GOOD, "one")])[0].message_id
        self.assertEqual(client.statuses([message_id])[message_id].state, "pending")
        requests.post(
            self.url + "_sandbox/deliver",
            json={"message_id": message_id, "status": "Delivered"},
        ).raise_for_status()
        self.assertEqual(client.statuses([message_id])[message_id].state, "delivered")

    def test_many_ids_are_asked_in_chunks(self):
        self.sandbox.settings["rate_per_second"] = 100
        self.sandbox.settings["max_status_ids"] = 100
        client = self.client()
        message_id = client.send(ANY_TEXT, [(GOOD, "one")])[0].message_id
        ids = [message_id] + ["nosuch:%d" % n for n in range(150)]
        states = client.statuses(ids)
        self.assertEqual(len(states), 151)
        self.assertEqual(states[message_id].state, "delivered")
        self.assertEqual(self.sandbox.requests_seen, 3)

    def test_connection_sends_nothing(self):
        seconds, said = self.client().test_connection()
        self.assertLess(seconds, 5)
        self.assertIn(SID, said)
        self.assertEqual(self.sandbox.books.messages, [])
