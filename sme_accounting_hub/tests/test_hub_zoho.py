"""The hub end to end with the Zoho Books sandbox beside Tally: connecting
with OAuth (paste-the-code), encrypted tokens, refresh once, revoked consent,
daily quota, customers deduplicated by phone, an invoice into each system once."""
from datetime import datetime, timedelta

import requests

from odoo import fields

from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError

from sandbox.testing import running_zoho
from sandbox.zoho_server import DEMO_CLIENT

from .common import HubCase

ORG = "60012345678"


class ZohoCase(HubCase):

    def setUp(self):
        super(ZohoCase, self).setUp()
        server = running_zoho()
        self.zoho_url, self.zoho = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.zoho_backend = self.env["sme.accounting.backend"].create({
            "name": "Zoho Books", "company_id": self.company_a.id, "system": "zoho", "timeout": 5,
            "oauth_client_id": DEMO_CLIENT[0], "client_secret": DEMO_CLIENT[1], "oauth_url": self.zoho_url,
            "url": self.zoho_url + "books/v3/", "zoho_organization_id": ORG, "sync_journals": True})
        self.connect(self.zoho_backend)
        self.zoho_backend.action_activate()

    def connect(self, backend):
        code = requests.post(self.zoho_url + "_sandbox/code",
                             json={"redirect_uri": backend._oauth_redirect_uri()}).json()["code"]
        wizard = self.env["sme.accounting.oauth.code"].create({"backend_id": backend.id, "code": code})
        wizard.action_connect()

    def zoho_rows(self, collection):
        return self.zoho.books.organizations[ORG].rows[collection]


class TestConnecting(ZohoCase):

    def test_connect_button_sends_the_admin_to_the_consent_page(self):
        action = self.zoho_backend.action_oauth_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertIn("access_type=offline", action["url"])
        self.assertIn("state=%s" % self.zoho_backend.sudo().oauth_state, action["url"])
        answer = requests.get(action["url"], allow_redirects=False)
        self.assertIn("/sme_accounting_hub/oauth/callback?code=", answer.headers["Location"])

    def test_tokens_are_stored_encrypted_and_never_read_back(self):
        self.assertTrue(self.zoho_backend.oauth_connected)
        self.assertIn("refresh_token", self.zoho_backend.secrets_set)
        values = self.zoho_backend.read(["refresh_token", "client_secret"])[0]
        self.assertEqual((values["refresh_token"], values["client_secret"]), (False, False))
        refresh = list(self.zoho.oauth.refresh)[0]
        self.env.cr.execute("SELECT ciphertext FROM sme_accounting_credential WHERE backend_id = %s",
                            (self.zoho_backend.id,))
        self.assertFalse([row for row in self.env.cr.fetchall() if refresh in row[0] or DEMO_CLIENT[1] in row[0]])

    def test_a_bad_code_says_so(self):
        wizard = self.env["sme.accounting.oauth.code"].create({"backend_id": self.zoho_backend.id, "code": "nope"})
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
        self.assertEqual((self.zoho_backend.state, self.zoho_backend.last_error), ("active", False))

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
        self.zoho_backend.sudo().write({"resume_at": fields.Datetime.to_string(datetime.utcnow() - timedelta(minutes=1))})
        self.env["sme.accounting.backend"]._cron_sme_enqueue_scheduled_syncs()
        self.assertEqual(self.zoho_backend.state, "active")


class TestSyncing(ZohoCase):

    def test_contacts_and_ledgers_are_one_customer_per_phone(self):
        (self.backend | self.zoho_backend)._enqueue_pulls(["customers"])
        self.run_everything()
        asha = self.Partner.search([("company_id", "=", self.company_a.id), ("sme_phone_normalized", "=", "+919876543210")])
        self.assertEqual(len(asha), 1)
        bound = self.env["sme.accounting.binding"].search([("model", "=", "res.partner"), ("res_id", "=", asha.id)])
        self.assertEqual(bound.mapped("backend_id"), self.backend | self.zoho_backend)
        patil = self.Partner.search([("company_id", "=", self.company_a.id), ("name", "=", "Patil Stores")])
        self.assertEqual((patil.vat, patil.city), ("27AABCM4321K1ZK", "Pune"))

    def test_validated_invoice_lands_once_in_tally_and_zoho(self):
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(1000, partner_id=customer.id)
        gst18 = self.env["account.tax"].search([("company_id", "=", self.company_a.id), ("type_tax_use", "=", "sale"),
                                                ("amount_type", "=", "group"), ("name", "ilike", "GST 18%")], limit=1)
        invoice.invoice_line_ids.write({"invoice_line_tax_ids": [(6, 0, gst18.ids)]})
        invoice.compute_taxes()
        invoice.action_invoice_open()
        self.run_everything()
        zoho_invoices = [r for r in self.zoho_rows("invoices") if r["invoice_number"] == invoice.number]
        self.assertEqual(len(zoho_invoices), 1)
        self.assertEqual(zoho_invoices[0]["total"], invoice.amount_total)
        self.assertEqual(zoho_invoices[0]["customer_name"], "Meera Iyer")
        self.zoho_backend._enqueue_export(invoice)
        self.backend._enqueue_export(invoice)
        self.run_everything()
        self.assertEqual(len([r for r in self.zoho_rows("invoices") if r["invoice_number"] == invoice.number]), 1)
        self.assertEqual(len([v for v in self.tally_vouchers() if v.get("VOUCHERNUMBER") == invoice.number]), 1)

    def test_payment_is_applied_to_the_invoice_in_zoho(self):
        self.backend.action_pause()  # Zoho alone here
        customer = self.customer("Meera Iyer", "9822077777")
        invoice = self.make_invoice(1000, partner_id=customer.id)
        invoice.action_invoice_open()
        self.run_everything()
        self.pay(invoice)
        self.run_everything()
        booked = [r for r in self.zoho_rows("invoices") if r["invoice_number"] == invoice.number][0]
        [payment] = [r for r in self.zoho_rows("customerpayments") if r["customer_name"] == "Meera Iyer"]
        self.assertEqual(payment["invoices"], [{"invoice_id": booked["invoice_id"], "amount_applied": 1000.0}])
        self.assertEqual(booked["balance"], 0.0)

    def test_zoho_invoice_comes_in_validated(self):
        self.zoho_backend._enqueue_pulls(["invoices"])
        results = self.run_everything()
        log = self.env["sme.accounting.sync.log"].search([("backend_id", "=", self.zoho_backend.id)])
        self.assertEqual(log.line_ids.mapped("reason"), [], results)
        invoice = self.env["account.invoice"].search([("reference", "=", "ZINV-0001"),
                                                      ("company_id", "=", self.company_a.id)])
        self.assertEqual((invoice.state, invoice.amount_total, invoice.partner_id.name),
                         ("open", 11800.0, "Patil Stores"))
