# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The hub end to end with the Zoho Books sandbox beside Tally: connecting
with OAuth (paste-the-code), encrypted tokens, refresh once, revoked consent,
daily quota, customers deduplicated by phone, an invoice into each system once."""
from datetime import datetime, timedelta

import requests

from odoo import fields

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError

from sme_connectors.sandbox.testing import running_zoho
from sme_connectors.sandbox.zoho_server import DEMO_CLIENT

from .common import HubCase, create_backend

ORG = "60012345678"


class ZohoCase(HubCase):
    def setUp(self):
        super(ZohoCase, self).setUp()
        server = running_zoho()
        self.zoho_url, self.zoho = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.zoho_backend = create_backend(
            self.env,
            {
                "name": "Zoho Books",
                "company_id": self.company_a.id,
                "system": "zoho",
                "sync_journals": True,
            },
            timeout=5,
            oauth_client_id=DEMO_CLIENT[0],
            client_secret=DEMO_CLIENT[1],
            oauth_url=self.zoho_url,
            url=self.zoho_url + "books/v3/",
            organization_id=ORG,
        )
        self.connect(self.zoho_backend)
        self.zoho_backend.action_activate()

    def connect(self, backend):
        code = requests.post(
            self.zoho_url + "_sandbox/code",
            json={"redirect_uri": backend.settings_ref._oauth_redirect_uri()},
        ).json()["code"]
        wizard = self.env["sme.accounting.oauth.code"].create(
            {"backend_id": backend.id, "code": code}
        )
        wizard.action_connect()

    def zoho_rows(self, collection):
        return self.zoho.books.organizations[ORG].rows[collection]


class TestConnecting(ZohoCase):
    def test_connect_button_sends_the_admin_to_the_consent_page(self):
        action = self.zoho_backend.settings_ref.action_oauth_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("access_type=offline", action["url"])
        self.assertIn(
            "state=%s" % self.zoho_backend.settings_ref.sudo().oauth_state,
            action["url"],
        )
        answer = requests.get(action["url"], allow_redirects=False)
        self.assertIn(
            "/sme_accounting_hub/oauth/callback?code=", answer.headers["Location"]
        )

    def test_tokens_are_stored_encrypted_and_never_read_back(self):
        self.assertTrue(self.zoho_backend.settings_ref.oauth_connected)
        self.assertIn("refresh_token", self.zoho_backend.settings_ref.secrets_set)
        values = self.zoho_backend.settings_ref.read(
            ["refresh_token", "client_secret"]
        )[0]
        self.assertEqual(
            (values["refresh_token"], values["client_secret"]), (False, False)
        )
        refresh = list(self.zoho.oauth.refresh)[0]
        self.env.cr.execute(
            "SELECT ciphertext FROM sme_accounting_credential WHERE backend_id = %s",
            (self.zoho_backend.id,),
        )
        self.assertFalse(
            [
                row
                for row in self.env.cr.fetchall()
                if refresh in row[0] or DEMO_CLIENT[1] in row[0]
            ]
        )

    def test_a_bad_code_says_so(self):
        wizard = self.env["sme.accounting.oauth.code"].create(
            {"backend_id": self.zoho_backend.id, "code": "nope"}
        )
        with self.assertRaises(Exception) as error:
            wizard.action_connect()
        self.assertIn("refused the code", str(error.exception))

    def test_expired_access_token_is_refreshed_once(self):
        self.zoho.oauth.expire_all_access_tokens()
        self.zoho_backend.action_test_connection()
        self.zoho_backend.action_test_connection()
        self.assertEqual(self.zoho.oauth.refresh_calls, 1)

    def test_revoked_consent_stops_the_backend_with_a_reconnect_message(self):
        self.zoho.oauth.revoke_all()
        self.zoho_backend._enqueue_pulls(["customers"])
        with self.assertRaises(FailedJobError):
            self.run_everything()
        self.assertEqual(self.zoho_backend.state, "error")
        self.assertIn("reconnect", self.zoho_backend.last_error)
        self.connect(self.zoho_backend)  # the admin reconnects
        self.assertEqual(
            (self.zoho_backend.state, self.zoho_backend.last_error), ("active", False)
        )

    def test_daily_quota_pauses_until_the_next_day(self):
        self.zoho.settings["per_day"] = 0
        self.zoho_backend._enqueue_pulls(["customers"])
        with self.assertRaises(RetryableJobError):
            self.run_everything()
        self.assertEqual(self.zoho_backend.state, "paused")
        resume = fields.Datetime.from_string(self.zoho_backend.resume_at)
        self.assertGreater(resume, datetime.utcnow() + timedelta(minutes=1))
        self.assertIn("for the day", self.zoho_backend.last_error)
        self.env["sme.accounting.backend"]._cron_sme_enqueue_scheduled_syncs()
        self.assertEqual(self.zoho_backend.state, "paused", "not before the new day")
        self.zoho_backend.sudo().write(
            {
                "resume_at": fields.Datetime.to_string(
                    datetime.utcnow() - timedelta(minutes=1)
                )
            }
        )
        self.env["sme.accounting.backend"]._cron_sme_enqueue_scheduled_syncs()
        self.assertEqual(self.zoho_backend.state, "active")


class TestSyncing(ZohoCase):
    def test_contacts_and_ledgers_are_one_customer_per_phone(self):
        (self.backend | self.zoho_backend)._enqueue_pulls(["customers"])
        self.run_everything()
        asha = self.Partner.search(
            [
                ("company_id", "=", self.company_a.id),
                ("sme_phone_normalized", "=", "+919876543210"),
            ]
        )
        self.assertEqual(len(asha), 1)
        bound = self.env["sme.accounting.binding"].search(
            [("model", "=", "res.partner"), ("res_id", "=", asha.id)]
        )
        self.assertEqual(bound.mapped("backend_id"), self.backend | self.zoho_backend)
        patil = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Patil Stores")]
        )
        self.assertEqual((patil.vat, patil.city), ("27AABCM4321K1ZK", "Pune"))

    def test_validated_invoice_lands_once_in_tally_and_zoho(self):
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(1000, partner_id=customer.id)
        gst18 = self.env["account.tax"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("type_tax_use", "=", "sale"),
                ("amount_type", "=", "group"),
                ("name", "ilike", "GST 18%"),
            ],
            limit=1,
        )
        invoice.invoice_line_ids.write({"invoice_line_tax_ids": [(6, 0, gst18.ids)]})
        invoice.compute_taxes()
        invoice.action_invoice_open()
        self.run_everything()
        zoho_invoices = [
            r
            for r in self.zoho_rows("invoices")
            if r["invoice_number"] == invoice.number
        ]
        self.assertEqual(len(zoho_invoices), 1)
        self.assertEqual(zoho_invoices[0]["total"], invoice.amount_total)
        self.assertEqual(zoho_invoices[0]["customer_name"], "Meera Iyer")
        self.zoho_backend._enqueue_export(invoice)
        self.backend._enqueue_export(invoice)
        self.run_everything()
        self.assertEqual(
            len(
                [
                    r
                    for r in self.zoho_rows("invoices")
                    if r["invoice_number"] == invoice.number
                ]
            ),
            1,
        )
        self.assertEqual(
            len(
                [
                    v
                    for v in self.tally_vouchers()
                    if v.get("VOUCHERNUMBER") == invoice.number
                ]
            ),
            1,
        )

    def test_payment_is_applied_to_the_invoice_in_zoho(self):
        self.backend.action_pause()  # Zoho alone here
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(1000, partner_id=customer.id)
        invoice.action_invoice_open()
        self.run_everything()
        self.pay(invoice)
        self.run_everything()
        booked = [
            r
            for r in self.zoho_rows("invoices")
            if r["invoice_number"] == invoice.number
        ][0]
        [payment] = [
            r
            for r in self.zoho_rows("customerpayments")
            if r["customer_name"] == "Meera Iyer"
        ]
        self.assertEqual(
            payment["invoices"],
            [{"invoice_id": booked["invoice_id"], "amount_applied": 1000.0}],
        )
        self.assertEqual(booked["balance"], 0.0)

    def test_zoho_invoice_comes_in_validated(self):
        self.zoho_backend._enqueue_pulls(["invoices"])
        results = self.run_everything()
        log = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.zoho_backend.id)]
        )
        self.assertEqual(log.line_ids.mapped("reason"), [], results)
        invoice = self.env["account.invoice"].search(
            [("reference", "=", "ZINV-0001"), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(
            (invoice.state, invoice.amount_total, invoice.partner_id.name),
            ("open", 11800.0, "Patil Stores"),
        )


GST18 = "460000000000103"
ALMIRAH = "460000000000501"
PATIL = "460000000000302"


class ZohoUserCase(ZohoCase):
    """Zoho alone (HubCase's Tally paused), and a Zoho user who edits
    invoices and records payments in Zoho Books (through its API, as the
    Zoho Books app does) between two pulls."""

    def setUp(self):
        super(ZohoUserCase, self).setUp()
        self.backend.action_pause()
        self._user_token = None

    def zoho_api(self, method, path, body=None):
        if (
            not self._user_token
        ):  # the user's own session: a code of the consent page, exchanged
            code = requests.post(
                self.zoho_url + "_sandbox/code", json={"redirect_uri": "http://user"}
            ).json()["code"]
            self._user_token = requests.post(
                self.zoho_url + "oauth/v2/token",
                timeout=5,
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": "http://user",
                    "client_id": DEMO_CLIENT[0],
                    "client_secret": DEMO_CLIENT[1],
                },
            ).json()["access_token"]
        answer = requests.request(
            method,
            self.zoho_url + "books/v3/" + path,
            params={"organization_id": ORG},
            json=body,
            timeout=5,
            headers={"Authorization": "Zoho-oauthtoken %s" % self._user_token},
        ).json()
        self.assertEqual(answer["code"], 0, answer)
        return answer

    def pull(self, *entities):
        self.zoho_backend._enqueue_pulls(list(entities))
        return [self.run_job(queued) for queued in self.queued(self.zoho_backend)]

    def failures(self):
        logs = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.zoho_backend.id)]
        )
        return [
            line.reason for line in logs.mapped("line_ids") if line.level == "error"
        ] + [log.message for log in logs if log.state == "failed"]

    def zoho_invoice(self, number):
        return [
            row for row in self.zoho_rows("invoices") if row["invoice_number"] == number
        ][0]

    def odoo_invoices(self, number, kind="out_invoice"):
        return self.env["account.invoice"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("reference", "=", number),
                ("type", "=", kind),
            ],
            order="id",
        )

    def pay_in_zoho(self, amount, *applied):
        """A customer payment of Patil Stores applied to (invoice number, amount) pairs."""
        return self.zoho_api(
            "POST",
            "customerpayments",
            {
                "customer_id": PATIL,
                "payment_mode": "banktransfer",
                "amount": amount,
                "date": "2026-01-25",
                "invoices": [
                    {
                        "invoice_id": self.zoho_invoice(number)["invoice_id"],
                        "amount_applied": share,
                    }
                    for number, share in applied
                ],
            },
        )["payment"]

    def binding_of(self, number):
        return self.env["sme.accounting.binding"]._find(
            self.zoho_backend,
            "account.invoice",
            self.zoho_invoice(number)["invoice_id"],
        )


class TestZohoEditsAndPayments(ZohoUserCase):
    def setUp(self):
        super(TestZohoEditsAndPayments, self).setUp()
        self.assertEqual(
            self.pull("customers", "invoices"),
            [
                "pull customers: 2 created, 0 updated, 0 skipped, 0 failed",
                "pull invoices: 1 created, 0 updated, 0 skipped, 0 failed",
            ],
        )
        [self.invoice] = self.odoo_invoices("ZINV-0001")

    def test_an_invoice_edited_in_zoho_is_replaced_on_the_next_pull(self):
        before = self.zoho_invoice("ZINV-0001")["last_modified_time"]
        # The user changes the line in Zoho: three almirahs instead of two.
        self.zoho_api(
            "PUT",
            "invoices/%s" % self.zoho_invoice("ZINV-0001")["invoice_id"],
            {
                "customer_id": PATIL,
                "line_items": [
                    {"item_id": ALMIRAH, "rate": 5000, "quantity": 3, "tax_id": GST18}
                ],
            },
        )
        self.assertGreater(self.zoho_invoice("ZINV-0001")["last_modified_time"], before)
        self.assertEqual(
            self.pull("invoices"),
            ["pull invoices: 0 created, 1 updated, 0 skipped, 0 failed"],
        )
        self.assertEqual(self.failures(), [])
        old, new = self.odoo_invoices("ZINV-0001")
        self.assertEqual(old, self.invoice)
        self.assertEqual(
            (new.state, new.amount_untaxed, new.amount_total, new.partner_id.name),
            ("open", 15000.0, 17700.0, "Patil Stores"),
        )
        # The old one is reversed by a credit note reconciled with it, as an accountant would.
        [refund] = self.env["account.invoice"].search(
            [("refund_invoice_id", "=", old.id)]
        )
        self.assertEqual(
            (refund.refund_invoice_id, refund.amount_total, refund.state),
            (old, 11800.0, "paid"),
        )
        self.assertEqual((old.state, old.residual), ("paid", 0.0))
        self.assertEqual(
            self.binding_of("ZINV-0001").record(),
            new,
            "the link moved to the new invoice",
        )
        self.assertEqual(new.residual, 17700.0, "what Patil owes now")
        # Read again: nothing changes.
        self.env["sme.accounting.cursor"]._set(
            self.zoho_backend, "invoices", position=None
        )
        self.assertEqual(
            self.pull("invoices"),
            ["pull invoices: 0 created, 0 updated, 1 skipped, 0 failed"],
        )
        self.assertEqual(len(self.odoo_invoices("ZINV-0001")), 2)

    def test_a_payment_applied_in_zoho_changes_nothing_on_the_invoice(self):
        before = self.zoho_invoice("ZINV-0001")["last_modified_time"]
        self.pay_in_zoho(5000.0, ("ZINV-0001", 5000.0))
        row = self.zoho_invoice("ZINV-0001")
        self.assertEqual((row["balance"], row["status"]), (6800.0, "partially_paid"))
        self.assertGreater(
            row["last_modified_time"], before, "Zoho moved the invoice's change marker"
        )
        self.assertEqual(
            self.pull("invoices"),
            ["pull invoices: 0 created, 0 updated, 1 skipped, 0 failed"],
        )
        self.assertEqual(self.odoo_invoices("ZINV-0001"), self.invoice)
        self.assertFalse(
            self.env["account.invoice"].search(
                [("refund_invoice_id", "=", self.invoice.id)]
            )
        )
        self.assertEqual(
            (self.invoice.state, self.invoice.amount_total, self.invoice.residual),
            ("open", 11800.0, 11800.0),
            "the payment comes with the payments",
        )

    def test_payments_leave_the_invoice_partly_paid_then_paid(self):
        self.pay_in_zoho(5000.0, ("ZINV-0001", 5000.0))
        self.assertEqual(
            self.pull("payments"),
            ["pull payments: 1 created, 0 updated, 0 skipped, 0 failed"],
        )
        self.assertEqual((self.invoice.state, self.invoice.residual), ("open", 6800.0))
        self.pay_in_zoho(6800.0, ("ZINV-0001", 6800.0))
        self.assertEqual(
            self.pull("payments"),
            ["pull payments: 1 created, 0 updated, 0 skipped, 0 failed"],
        )
        self.assertEqual((self.invoice.state, self.invoice.residual), ("paid", 0.0))
        payments = self.env["account.payment"].search(
            [("partner_id", "=", self.invoice.partner_id.id)]
        )
        self.assertEqual(sorted(payments.mapped("amount")), [5000.0, 6800.0])
        self.assertEqual(self.failures(), [])

    def test_a_payment_of_two_invoices_gives_each_its_share(self):
        self.zoho_api(
            "POST",
            "invoices",
            {
                "customer_id": PATIL,
                "invoice_number": "ZINV-0002",
                "date": "2026-01-20",
                "line_items": [
                    {"item_id": ALMIRAH, "rate": 1000, "quantity": 1, "tax_id": GST18}
                ],
            },
        )
        self.assertEqual(
            self.pull("invoices"),
            ["pull invoices: 1 created, 0 updated, 0 skipped, 0 failed"],
        )
        [second] = self.odoo_invoices("ZINV-0002")
        self.assertEqual(second.amount_total, 1180.0)
        self.pay_in_zoho(5000.0, ("ZINV-0001", 3820.0), ("ZINV-0002", 1180.0))
        self.assertEqual(
            self.pull("payments"),
            ["pull payments: 1 created, 0 updated, 0 skipped, 0 failed"],
        )
        self.assertEqual((self.invoice.state, self.invoice.residual), ("open", 7980.0))
        self.assertEqual((second.state, second.residual), ("paid", 0.0))
        payment = self.env["account.payment"].search(
            [("partner_id", "=", self.invoice.partner_id.id)]
        )
        self.assertEqual(
            (payment.amount, payment.invoice_ids), (5000.0, self.invoice | second)
        )
        self.assertEqual(self.failures(), [])


class TestZohoContacts(ZohoUserCase):
    def state(self, code):
        return self.env["res.country.state"].search(
            [("country_id", "=", self.env.ref("base.in").id), ("code", "=", code)]
        )

    def test_a_b2b_contact_arrives_with_its_gst_details(self):
        # A second one in Telangana, which Zoho writes "TG" and Odoo "TS".
        self.zoho_api(
            "POST",
            "contacts",
            {
                "contact_name": "Reddy Agencies",
                "contact_type": "customer",
                "gst_no": "36AABCR1234K1ZI",
                "gst_treatment": "business_gst",
                "place_of_contact": "TG",
                "billing_address": {
                    "address": "8-2-293 Road No. 12",
                    "city": "Hyderabad",
                    "zip": "500034",
                    "state": "Telangana",
                    "country": "India",
                },
                "contact_persons": [
                    {
                        "first_name": "Srinivas",
                        "last_name": "Reddy",
                        "mobile": "9849012345",
                        "email": "accounts@reddy.example.in",
                        "is_primary_contact": True,
                    }
                ],
            },
        )
        self.assertEqual(
            self.pull("customers"),
            ["pull customers: 3 created, 0 updated, 0 skipped, 0 failed"],
        )
        self.assertEqual(self.failures(), [])
        patil = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Patil Stores")]
        )
        self.assertEqual(
            (
                patil.vat,
                patil.street,
                patil.city,
                patil.zip,
                patil.state_id,
                patil.country_id,
            ),
            (
                "27AABCM4321K1ZK",
                "5 Tilak Road",
                "Pune",
                "411030",
                self.state("MH"),
                self.env.ref("base.in"),
            ),
        )
        self.assertEqual(
            (
                patil.sme_gst_treatment,
                patil.sme_place_of_supply_id,
                patil.sme_phone_normalized,
            ),
            ("business_gst", self.state("MH"), "+919890098765"),
        )
        reddy = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Reddy Agencies")]
        )
        self.assertEqual(
            (
                reddy.vat,
                reddy.city,
                reddy.state_id,
                reddy.sme_gst_treatment,
                reddy.sme_place_of_supply_id,
                reddy.email,
            ),
            (
                "36AABCR1234K1ZI",
                "Hyderabad",
                self.state("TS"),
                "business_gst",
                self.state("TS"),
                "accounts@reddy.example.in",
            ),
        )
        asha = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Asha Rao")]
        )
        self.assertEqual(
            (asha.vat, asha.sme_gst_treatment, asha.sme_place_of_supply_id),
            (False, "consumer", self.state("MH")),
        )


class TestZohoTokenThrottle(ZohoUserCase):
    def test_a_throttled_refresh_is_retried_and_the_connection_stays(self):
        # Zoho makes at most token_limit access tokens per refresh token in
        # token_window seconds, then answers HTTP 400 "Access Denied".
        requests.post(
            self.zoho_url + "_sandbox/settings",
            json={"token_limit": 1, "token_window": 600},
        )
        self.zoho.oauth.expire_all_access_tokens()
        self.zoho_backend.action_test_connection()  # the one token of the window
        self.zoho.oauth.expire_all_access_tokens()
        self.zoho_backend._enqueue_pulls(["customers"])
        [queued] = self.queued(self.zoho_backend)
        with self.assertRaises(RetryableJobError) as caught:
            self.run_job(queued)
        self.assertEqual(self.zoho.oauth.throttled_calls, 1)
        self.assertGreaterEqual(
            caught.exception.seconds, 60, "waits for the window, not 30 s"
        )
        self.assertEqual(self.zoho_backend.state, "active")
        self.assertNotIn("reconnect", self.zoho_backend.last_error or "")
        self.assertIn("too many", self.zoho_backend.last_error)
        self.assertTrue(
            self.zoho_backend.settings_ref.oauth_connected, "the refresh token is kept"
        )
        # Ten minutes on, the retry goes through with the same refresh token.
        requests.post(self.zoho_url + "_sandbox/token_window_reset")
        self.assertEqual(
            self.run_job(queued),
            "pull customers: 2 created, 0 updated, 0 skipped, 0 failed",
        )
        self.assertEqual(self.zoho_backend.state, "active")
