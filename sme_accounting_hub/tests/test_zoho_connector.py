"""The Zoho Books connector and the OAuth client against the Zoho sandbox,
over real sockets: tokens, expiry mid-read, revocation, limits, envelopes,
paging, writes."""
import unittest

import requests

from odoo.addons.sme_accounting_hub.connectors.base import (
    AuthError, Customer, TransientError, Voucher, VoucherItem, VoucherLine)
from odoo.addons.sme_accounting_hub.connectors.oauth import BearerAuth, ConsentRevoked, OAuthClient
from odoo.addons.sme_accounting_hub.connectors.zoho import DailyLimitReached, ZohoClient, oauth_client

from sandbox.testing import running_zoho
from sandbox.zoho_server import DEMO_CLIENT

from .oauth_helpers import TokenJar

ORG = "60012345678"
REDIRECT = "http://odoo.example.in/sme_accounting_hub/oauth/callback"


class ZohoCase(unittest.TestCase):

    def setUp(self):
        server = running_zoho()
        self.url, self.sandbox = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.oauth = oauth_client(DEMO_CLIENT[0], DEMO_CLIENT[1], accounts_url=self.url, timeout=5)
        self.jar = TokenJar(self.oauth, self.oauth.exchange_code(self.code(), REDIRECT))
        self.client = ZohoClient(ORG, BearerAuth(self.jar), base_url=self.url + "books/v3/", timeout=5)

    def code(self):
        return requests.post(self.url + "_sandbox/code", json={"redirect_uri": REDIRECT}).json()["code"]


class TestOAuth(ZohoCase):

    def test_consent_page_redirects_back_with_a_code_and_the_state(self):
        url = self.oauth.authorization_url(REDIRECT, "st4te")
        self.assertIn("access_type=offline", url)
        answer = requests.get(url, allow_redirects=False)
        self.assertEqual(answer.status_code, 302)
        self.assertTrue(answer.headers["Location"].startswith(REDIRECT + "?code="))
        self.assertIn("state=st4te", answer.headers["Location"])

    def test_codes_are_single_use(self):
        code = self.code()
        self.oauth.exchange_code(code, REDIRECT)
        with self.assertRaises(ConsentRevoked):
            self.oauth.exchange_code(code, REDIRECT)

    def test_zoho_keeps_the_refresh_token(self):
        tokens = self.oauth.refresh(self.jar.tokens.refresh_token)
        self.assertIsNone(tokens.refresh_token)
        self.assertNotEqual(tokens.access_token, self.jar.tokens.access_token)

    def test_revoked_consent_and_wrong_secret(self):
        requests.post(self.url + "oauth/v2/token/revoke", params={"token": self.jar.tokens.refresh_token})
        with self.assertRaises(ConsentRevoked) as error:
            self.oauth.refresh(self.jar.tokens.refresh_token)
        self.assertIn("reconnect", str(error.exception))
        wrong = OAuthClient(None, self.url + "oauth/v2/token", DEMO_CLIENT[0], "not-the-secret", "", timeout=5)
        with self.assertRaises(AuthError):
            wrong.exchange_code(self.code(), REDIRECT)


class TestReads(ZohoCase):

    def test_connection_names_the_organization(self):
        self.assertIn("Sharma Traders", self.client.test_connection()[1])
        with self.assertRaises(Exception) as error:
            ZohoClient("999", BearerAuth(self.jar), base_url=self.url + "books/v3/").test_connection()
        self.assertIn("not one of this Zoho account's", str(error.exception))

    def test_customers_paged_and_incremental(self):
        self.sandbox.settings["max_per_page"] = 1
        customers = list(self.client.iter_customers())
        self.assertEqual(sorted(c.name for c in customers), ["Asha Rao", "Patil Stores"], "vendors are not customers")
        patil = [c for c in customers if c.name == "Patil Stores"][0]
        self.assertEqual((patil.mobile, patil.gstin, patil.city), ("9890098765", "27AABCM4321K1ZK", "Pune"))
        newest = max(c.version for c in customers)
        self.assertEqual(list(self.client.iter_customers(since=newest)), [])
        asha = self.sandbox.books.find(ORG, "contacts", "460000000000301")
        self.sandbox.books.touch(asha, email="asha@new.example.in")
        self.assertEqual([c.email for c in self.client.iter_customers(since=newest)], ["asha@new.example.in"])

    def test_token_expiring_in_the_middle_of_a_paged_read(self):
        self.sandbox.settings.update(max_per_page=1, expire_tokens_after=2)  # dies on page 2
        customers = list(self.client.iter_customers())
        self.assertEqual(len(customers), 2)
        self.assertEqual(self.jar.refreshes, 1, "one renewal after the 401, then the read went on")

    def test_a_burst_hits_the_per_minute_limit(self):
        self.sandbox.settings["per_minute"] = 2
        self.client.test_connection()  # /organizations is not counted per organization
        list(self.client.iter_customers())
        list(self.client.iter_accounts())
        with self.assertRaises(TransientError) as error:
            list(self.client.iter_accounts())
        self.assertNotIsInstance(error.exception, DailyLimitReached)
        self.assertEqual(error.exception.retry_after, 60)

    def test_daily_limit(self):
        self.sandbox.settings["per_day"] = 1
        list(self.client.iter_accounts())
        with self.assertRaises(DailyLimitReached) as error:
            list(self.client.iter_accounts())
        self.assertGreater(error.exception.retry_after, 0)
        self.assertLessEqual(error.exception.retry_after, 86400 + 600)

    def test_invoice_in_with_its_items(self):
        [invoice] = list(self.client.iter_vouchers(kinds=["sales"]))
        self.assertEqual((invoice.number, invoice.party, invoice.party_id, invoice.date),
                         ("ZINV-0001", "Patil Stores", "460000000000302", "2026-01-18"))
        self.assertEqual([(i.name, i.quantity, i.amount, i.tax_amount) for i in invoice.items],
                         [("Steel almirah", 2.0, 10000.0, 1800.0)])

    def test_chart_of_accounts(self):
        accounts = {a.name: a for a in self.client.iter_accounts()}
        self.assertEqual((accounts["Bank"].groups, accounts["Bank"].code), (("bank",), "1100"))


class TestWrites(ZohoCase):

    def meera(self):
        return Customer(name="Meera Iyer", mobile="9822077777", email="meera@example.in", gstin="29AABCM4321K1ZG",
                        street="1 Main St", city="Bengaluru")

    def test_customer_created_with_gst_details_then_linked_not_duplicated(self):
        created = self.client.push_customer(self.meera()._replace(gstin=None))
        self.assertEqual(created.action, "created")
        contact = self.sandbox.books.find(ORG, "contacts", created.external_id)
        self.assertEqual((contact["gst_treatment"], contact["email"]), ("consumer", "meera@example.in"))
        again = self.client.push_customer(self.meera()._replace(gstin=None))
        self.assertEqual((again.action, again.external_id), ("linked", created.external_id))
        altered = self.client.push_customer(self.meera()._replace(gstin=None, mobile="9822000000",
                                                                   external_id=created.external_id), alter=True)
        self.assertEqual(altered.action, "altered")
        self.assertEqual(self.sandbox.books.find(ORG, "contacts", created.external_id)["mobile"], "9822000000")

    def test_invoice_out_with_gst_and_payment_applied(self):
        party = self.client.push_customer(self.meera()._replace(gstin=None)).external_id
        sale = Voucher(kind="sales", remote_id="odoo-inv-7-ab12", number="INV/2026/0007", date="2026-02-01",
                       party="Meera Iyer", party_id=party, narration=None, items=[
                           VoucherItem("LED bulb", 10, 100.0, 1000.0, 180.0)],
                       lines=[VoucherLine("Meera Iyer", 1180.0, True, "INV/2026/0007")])
        created = self.client.push_voucher(sale)
        self.assertEqual(created.action, "created")
        invoice = self.sandbox.books.find(ORG, "invoices", created.external_id)
        self.assertEqual((invoice["total"], invoice["invoice_number"]), (1180.0, "INV/2026/0007"))
        self.assertEqual(self.client.find_voucher("odoo-inv-7-ab12", "2026-02-01").external_id, created.external_id)
        duplicate = self.client.push_voucher(sale._replace(remote_id="odoo-inv-8-ab12"))
        self.assertEqual(duplicate.action, "failed")
        self.assertIn("already exists", duplicate.error)
        receipt = Voucher(kind="receipt", remote_id="odoo-pay-3", number="CUST.IN/2026/0001", date="2026-02-05",
                          party="Meera Iyer", party_id=party, narration=None, lines=[
                              VoucherLine("Bank", 500.0, True), VoucherLine("Meera Iyer", 500.0, False, "INV/2026/0007")])
        self.assertEqual(self.client.push_voucher(receipt).action, "created")
        self.assertEqual(self.sandbox.books.find(ORG, "invoices", created.external_id)["balance"], 680.0)

    def test_credit_note_out(self):
        party = self.client.push_customer(self.meera()._replace(gstin=None)).external_id
        note = Voucher(kind="credit_note", remote_id="odoo-refund-4", number="RINV/2026/0004", date="2026-02-03",
                       party="Meera Iyer", party_id=party, narration=None, lines=[],
                       items=[VoucherItem("Returned bulb", 1, 100.0, 100.0, 18.0)])
        created = self.client.push_voucher(note)
        saved = self.sandbox.books.find(ORG, "creditnotes", created.external_id)
        self.assertEqual((saved["creditnote_number"], saved["total"]), ("RINV/2026/0004", 118.0))
        self.assertEqual(self.client.find_voucher("odoo-refund-4", "2026-02-03", kind="credit_note").external_id,
                         created.external_id)

    def test_unknown_tax_rate_fails_that_record_only(self):
        party = self.client.push_customer(self.meera()._replace(gstin=None)).external_id
        odd = Voucher(kind="sales", remote_id="r", number="INV/9", date="2026-02-01", party="Meera Iyer",
                      party_id=party, narration=None, lines=[], items=[VoucherItem("Thing", 1, 100.0, 100.0, 7.0)])
        result = self.client.push_voucher(odd)
        self.assertEqual(result.action, "failed")
        self.assertIn("no tax of 7.00%", result.error)

    def test_balanced_journal_by_account_names(self):
        journal = Voucher(kind="journal", remote_id="odoo-move-1", number="MISC/1", date="2026-02-02", party=None,
                          narration="Capital brought in", lines=[VoucherLine("Bank", 5000.0, True),
                                                                 VoucherLine("Capital", 5000.0, False)])
        created = self.client.push_voucher(journal)
        self.assertEqual(created.action, "created")
        balances = {line.account: (line.debit, line.credit) for line in self.client.trial_balance("2026-01-01", "2026-03-31")}
        self.assertEqual(balances["Capital"], (0.0, 5000.0))
        self.assertEqual(balances["Bank"], (5000.0, 0.0))
