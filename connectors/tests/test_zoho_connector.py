# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Zoho Books connector and the OAuth client against the Zoho sandbox,
over real sockets: tokens, expiry mid-read, revocation, limits, envelopes,
paging, writes."""
import unittest

import requests
from oauth_helpers import TokenJar

from sme_connectors.base import (
    AuthError,
    Customer,
    TransientError,
    Voucher,
    VoucherItem,
    VoucherLine,
    imbalance,
)
from sme_connectors.oauth import BearerAuth, ConsentRevoked, OAuthClient
from sme_connectors.sandbox.testing import running_zoho
from sme_connectors.sandbox.zoho_server import DEMO_CLIENT
from sme_connectors.zoho import DailyLimitReached, ZohoClient, oauth_client

ORG = "60012345678"
REDIRECT = "http://odoo.example.in/sme_accounting_hub/oauth/callback"


class ZohoCase(unittest.TestCase):
    def setUp(self):
        server = running_zoho()
        self.url, self.sandbox = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.oauth = oauth_client(
            DEMO_CLIENT[0], DEMO_CLIENT[1], accounts_url=self.url, timeout=5
        )
        self.jar = TokenJar(self.oauth, self.oauth.exchange_code(self.code(), REDIRECT))
        self.client = ZohoClient(
            ORG, BearerAuth(self.jar), base_url=self.url + "books/v3/", timeout=5
        )

    def code(self):
        return requests.post(
            self.url + "_sandbox/code", json={"redirect_uri": REDIRECT}
        ).json()["code"]


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
        requests.post(
            self.url + "oauth/v2/token/revoke",
            params={"token": self.jar.tokens.refresh_token},
        )
        with self.assertRaises(ConsentRevoked) as error:
            self.oauth.refresh(self.jar.tokens.refresh_token)
        self.assertIn("reconnect", str(error.exception))
        wrong = OAuthClient(
            None,
            self.url + "oauth/v2/token",
            DEMO_CLIENT[0],
            "not-the-secret",
            "",
            timeout=5,
        )
        with self.assertRaises(AuthError):
            wrong.exchange_code(self.code(), REDIRECT)


class TestReads(ZohoCase):
    def test_connection_names_the_organization(self):
        self.assertIn("Sharma Traders", self.client.test_connection()[1])
        with self.assertRaises(Exception) as error:
            ZohoClient(
                "999", BearerAuth(self.jar), base_url=self.url + "books/v3/"
            ).test_connection()
        self.assertIn("not one of this Zoho account's", str(error.exception))

    def test_customers_paged_and_incremental(self):
        self.sandbox.settings["max_per_page"] = 1
        customers = list(self.client.iter_customers())
        self.assertEqual(
            sorted(c.name for c in customers),
            ["Asha Rao", "Patil Stores"],
            "vendors are not customers",
        )
        patil = [c for c in customers if c.name == "Patil Stores"][0]
        self.assertEqual(
            (patil.mobile, patil.gstin, patil.city),
            ("9890098765", "27AABCM4321K1ZK", "Pune"),
        )
        newest = max(c.version for c in customers)
        self.assertEqual(list(self.client.iter_customers(since=newest)), [])
        asha = self.sandbox.books.find(ORG, "contacts", "460000000000301")
        # Adapted: a contact's email is its primary person's (contact_persons), not
        # a top-level field.
        self.sandbox.books.touch(
            asha,
            contact_persons=[
                dict(asha["contact_persons"][0], email="asha@new.example.in")
            ],
        )
        self.assertEqual(
            [c.email for c in self.client.iter_customers(since=newest)],
            ["asha@new.example.in"],
        )

    def test_token_expiring_in_the_middle_of_a_paged_read(self):
        self.sandbox.settings.update(
            max_per_page=1, expire_tokens_after=2
        )  # dies on page 2
        customers = list(self.client.iter_customers())
        self.assertEqual(len(customers), 2)
        self.assertEqual(
            self.jar.refreshes, 1, "one renewal after the 401, then the read went on"
        )

    def test_a_burst_hits_the_per_minute_limit(self):
        # Adapted: reading the customers is now the list and each customer's detail
        # (3 calls, not 1).
        self.sandbox.settings["per_minute"] = 4
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
        self.assertEqual(
            (invoice.number, invoice.party, invoice.party_id, invoice.date),
            ("ZINV-0001", "Patil Stores", "460000000000302", "2026-01-18"),
        )
        self.assertEqual(
            [(i.name, i.quantity, i.amount, i.tax_amount) for i in invoice.items],
            [("Steel almirah", 2.0, 10000.0, 1800.0)],
        )
        self.assertEqual(
            [(line.account, line.amount, line.debit) for line in invoice.lines],
            [
                ("Patil Stores", 11800.0, True),
                ("Sales", 10000.0, False),
                ("GST18", 1800.0, False),
            ],
            "the lines balance",
        )

    def test_chart_of_accounts(self):
        accounts = {a.name: a for a in self.client.iter_accounts()}
        self.assertEqual(
            (accounts["Bank"].groups, accounts["Bank"].code), (("bank",), "1100")
        )


class TestWrites(ZohoCase):
    def meera(self):
        return Customer(
            name="Meera Iyer",
            mobile="9822077777",
            email="meera@example.in",
            gstin="29AABCM4321K1ZG",
            street="1 Main St",
            city="Bengaluru",
        )

    def test_customer_created_with_gst_details_then_linked_not_duplicated(self):
        created = self.client.push_customer(self.meera()._replace(gstin=None))
        self.assertEqual(created.action, "created")
        contact = self.sandbox.books.find(ORG, "contacts", created.external_id)
        # Adapted: email and phones are sent on the primary contact person, not as
        # top-level fields.
        [person] = contact["contact_persons"]
        self.assertEqual(
            (
                contact["gst_treatment"],
                person["email"],
                person["mobile"],
                person["is_primary_contact"],
            ),
            ("consumer", "meera@example.in", "9822077777", True),
        )
        self.assertNotIn("mobile", contact)
        again = self.client.push_customer(self.meera()._replace(gstin=None))
        self.assertEqual(
            (again.action, again.external_id), ("linked", created.external_id)
        )
        altered = self.client.push_customer(
            self.meera()._replace(
                gstin=None, mobile="9822000000", external_id=created.external_id
            ),
            alter=True,
        )
        self.assertEqual(altered.action, "altered")
        [again_person] = self.sandbox.books.find(ORG, "contacts", created.external_id)[
            "contact_persons"
        ]
        self.assertEqual(
            (again_person["mobile"], again_person["contact_person_id"]),
            ("9822000000", person["contact_person_id"]),
            "the same person, updated",
        )

    def test_invoice_out_with_gst_and_payment_applied(self):
        party = self.client.push_customer(self.meera()._replace(gstin=None)).external_id
        sale = Voucher(
            kind="sales",
            remote_id="odoo-inv-7-ab12",
            number="INV/2026/0007",
            date="2026-02-01",
            party="Meera Iyer",
            party_id=party,
            narration=None,
            items=[VoucherItem("LED bulb", 10, 100.0, 1000.0, 180.0)],
            lines=[VoucherLine("Meera Iyer", 1180.0, True, "INV/2026/0007")],
        )
        created = self.client.push_voucher(sale)
        self.assertEqual(created.action, "created")
        invoice = self.sandbox.books.find(ORG, "invoices", created.external_id)
        self.assertEqual(
            (invoice["total"], invoice["invoice_number"]), (1180.0, "INV/2026/0007")
        )
        self.assertEqual(
            self.client.find_voucher("odoo-inv-7-ab12", "2026-02-01").external_id,
            created.external_id,
        )
        duplicate = self.client.push_voucher(sale._replace(remote_id="odoo-inv-8-ab12"))
        self.assertEqual(duplicate.action, "failed")
        self.assertIn("already exists", duplicate.error)
        receipt = Voucher(
            kind="receipt",
            remote_id="odoo-pay-3",
            number="CUST.IN/2026/0001",
            date="2026-02-05",
            party="Meera Iyer",
            party_id=party,
            narration=None,
            lines=[
                VoucherLine("Bank", 500.0, True),
                VoucherLine("Meera Iyer", 500.0, False, "INV/2026/0007"),
            ],
        )
        self.assertEqual(self.client.push_voucher(receipt).action, "created")
        self.assertEqual(
            self.sandbox.books.find(ORG, "invoices", created.external_id)["balance"],
            680.0,
        )

    def test_credit_note_out(self):
        party = self.client.push_customer(self.meera()._replace(gstin=None)).external_id
        note = Voucher(
            kind="credit_note",
            remote_id="odoo-refund-4",
            number="RINV/2026/0004",
            date="2026-02-03",
            party="Meera Iyer",
            party_id=party,
            narration=None,
            lines=[],
            items=[VoucherItem("Returned bulb", 1, 100.0, 100.0, 18.0)],
        )
        created = self.client.push_voucher(note)
        saved = self.sandbox.books.find(ORG, "creditnotes", created.external_id)
        self.assertEqual(
            (saved["creditnote_number"], saved["total"]), ("RINV/2026/0004", 118.0)
        )
        self.assertEqual(
            self.client.find_voucher(
                "odoo-refund-4", "2026-02-03", kind="credit_note"
            ).external_id,
            created.external_id,
        )

    def test_unknown_tax_rate_fails_that_record_only(self):
        party = self.client.push_customer(self.meera()._replace(gstin=None)).external_id
        odd = Voucher(
            kind="sales",
            remote_id="r",
            number="INV/9",
            date="2026-02-01",
            party="Meera Iyer",
            party_id=party,
            narration=None,
            lines=[],
            items=[VoucherItem("Thing", 1, 100.0, 100.0, 7.0)],
        )
        result = self.client.push_voucher(odd)
        self.assertEqual(result.action, "failed")
        self.assertIn("no tax of 7.00%", result.error)

    def test_balanced_journal_by_account_names(self):
        journal = Voucher(
            kind="journal",
            remote_id="odoo-move-1",
            number="MISC/1",
            date="2026-02-02",
            party=None,
            narration="Capital brought in",
            lines=[
                VoucherLine("Bank", 5000.0, True),
                VoucherLine("Capital", 5000.0, False),
            ],
        )
        created = self.client.push_voucher(journal)
        self.assertEqual(created.action, "created")
        balances = {
            line.account: (line.debit, line.credit)
            for line in self.client.trial_balance("2026-01-01", "2026-03-31")
        }
        self.assertEqual(balances["Capital"], (0.0, 5000.0))
        self.assertEqual(balances["Bank"], (5000.0, 0.0))


# ----------------------------------------------------------------------
# Issue 13: the connector and the sandbox as the real service behaves
# ----------------------------------------------------------------------
def item(name, quantity, price, tax_rate, code=None):
    amount = round(quantity * price, 2)
    return VoucherItem(
        name, quantity, price, amount, round(amount * tax_rate / 100.0, 2), code
    )


class TestIncrementalReads(ZohoCase):
    """Edits after the cursor are read again, whatever the list's order."""

    def setUp(self):
        super(TestIncrementalReads, self).setUp()
        self.client.company_state = "MH"  # the sandbox organization is in Pune

    def sale(self, number, party, amount=1000.0):
        voucher = Voucher(
            kind="sales",
            remote_id="r-" + number,
            number=number,
            date="2026-02-01",
            party=None,
            party_id=party,
            narration=None,
            lines=[],
            items=[item("Steel almirah", 1, amount, 18)],
        )
        result = self.client.push_voucher(voucher)
        self.assertEqual(result.action, "created", result.error)
        return result.external_id

    def test_an_older_invoice_edited_after_the_cursor_is_read_again(self):
        older = self.sale("INV/A", "460000000000302")
        self.sale("INV/B", "460000000000302")
        first = list(self.client.iter_vouchers(kinds=["sales"]))
        cursor = max(v.position for v in first)
        self.assertEqual(
            list(self.client.iter_vouchers(kinds=["sales"], since=cursor)), []
        )
        # A payment applied to the older invoice changes it (balance, status,
        # last_modified_time) ...
        paid = Voucher(
            kind="receipt",
            remote_id="r-pay",
            number="PAY/1",
            date="2026-02-03",
            party=None,
            party_id="460000000000302",
            narration="part payment",
            lines=[
                VoucherLine("Bank", 500.0, True),
                VoucherLine("Patil Stores", 500.0, False, "INV/A"),
            ],
        )
        self.assertEqual(self.client.push_voucher(paid).action, "created")
        # ... and Zoho lists documents newest created first: the edited one comes
        # after an unchanged newer one.
        listed = [
            row["invoice_number"]
            for row in self.sandbox.books.organizations[ORG].rows["invoices"]
        ]
        self.assertEqual(listed[-2:], ["INV/A", "INV/B"])
        again = list(self.client.iter_vouchers(kinds=["sales"], since=cursor))
        self.assertEqual([v.external_id for v in again], [older])
        cursor = max(v.position for v in again)
        # A line changed in Zoho: read again too.
        invoice = self.sandbox.books.find(ORG, "invoices", older)
        self.sandbox.books.touch(invoice, notes="line changed")
        self.assertEqual(
            [
                v.narration
                for v in self.client.iter_vouchers(kinds=["sales"], since=cursor)
            ],
            ["line changed"],
        )

    def test_the_sandbox_ignores_an_undocumented_sort_and_honours_the_filter(self):
        older = self.sale("INV/A", "460000000000302")
        self.sale("INV/B", "460000000000302")
        invoice = self.sandbox.books.find(ORG, "invoices", older)
        self.sandbox.books.touch(invoice, notes="edited")
        listing = self.client._read(
            "invoices", {"sort_column": "last_modified_time", "sort_order": "D"}
        )
        self.assertEqual(
            listing["invoices"][0]["invoice_number"], "INV/B", "still the default order"
        )
        self.assertNotIn(
            "line_items", listing["invoices"][0], "lines are in the detail only"
        )
        since = self.sandbox.books.find(
            ORG, "invoices", listing["invoices"][0]["invoice_id"]
        )["last_modified_time"]
        filtered = self.client._read("invoices", {"last_modified_time": since})[
            "invoices"
        ]
        self.assertEqual([row["invoice_number"] for row in filtered], ["INV/A"])

    def test_lists_without_a_documented_filter_are_read_whole(self):
        party = "460000000000302"
        self.sale("INV/A", party)
        receipt = Voucher(
            kind="receipt",
            remote_id="r-pay",
            number="PAY/1",
            date="2026-02-03",
            party=None,
            party_id=party,
            narration=None,
            lines=[
                VoucherLine("Bank", 100.0, True),
                VoucherLine("Patil Stores", 100.0, False, "INV/A"),
            ],
        )
        self.client.push_voucher(receipt)
        [payment] = list(self.client.iter_vouchers(kinds=["receipt"]))
        self.assertEqual(
            list(self.client.iter_vouchers(kinds=["receipt"], since=payment.position)),
            [],
        )
        row = self.sandbox.books.find(ORG, "customerpayments", payment.external_id)
        self.sandbox.books.touch(row, description="corrected")
        [changed] = list(
            self.client.iter_vouchers(kinds=["receipt"], since=payment.position)
        )
        self.assertEqual(changed.narration, "corrected")

    def test_cursor_comparison_is_by_instant_not_by_text(self):
        from sme_connectors.zoho.client import modified_after

        self.assertTrue(
            modified_after("2026-01-01T09:00:00+0530", "2026-01-01T03:29:59+0000")
        )
        self.assertFalse(
            modified_after("2026-01-01T09:00:00+0530", "2026-01-01T03:30:00+0000")
        )
        self.assertTrue(
            modified_after("2013-11-18T02:02:51-0800", "2013-11-18T15:00:00+0530")
        )


class TestWholeCustomers(ZohoCase):
    def test_list_rows_lack_address_and_gst_the_detail_has_them(self):
        rows = self.client._read("contacts")["contacts"]
        patil = [row for row in rows if row["contact_name"] == "Patil Stores"][0]
        for field in ("billing_address", "gst_no", "gst_treatment", "place_of_contact"):
            self.assertNotIn(field, patil)
        self.assertEqual(
            patil["mobile"], "9890098765", "the primary person's phones are on the row"
        )
        detail = self.client._read("contacts/460000000000302")["contact"]
        self.assertNotIn("mobile", detail, "the detail keeps phones in contact_persons")
        self.assertEqual(detail["contact_persons"][0]["mobile"], "9890098765")

    def test_a_b2b_contact_arrives_with_gstin_address_and_place_of_supply(self):
        customers = {c.name: c for c in self.client.iter_customers()}
        patil, asha = customers["Patil Stores"], customers["Asha Rao"]
        self.assertEqual(
            (patil.gstin, patil.gst_treatment, patil.place_of_supply),
            ("27AABCM4321K1ZK", "business_gst", "MH"),
        )
        self.assertEqual(
            (patil.street, patil.city, patil.zip, patil.state, patil.country),
            ("5 Tilak Road", "Pune", "411030", "Maharashtra", "India"),
        )
        self.assertEqual(
            (patil.mobile, patil.external_id), ("9890098765", "460000000000302")
        )
        self.assertEqual(
            (asha.email, asha.mobile, asha.gst_treatment, asha.gstin),
            ("asha.rao@example.in", "+91 98765 43210", "consumer", None),
        )
        self.assertNotIn("Office Supplies Co", customers, "vendors are not customers")

    def test_find_customer_reads_the_detail(self):
        found = self.client.find_customer("Patil Stores")
        self.assertEqual(
            (found.gstin, found.place_of_supply), ("27AABCM4321K1ZK", "MH")
        )
        self.assertEqual(self.client.find_customer("460000000000302").city, "Pune")

    def test_a_customer_sent_with_its_gst_and_place_of_supply(self):
        result = self.client.push_customer(
            Customer(
                name="Kaveri Traders",
                mobile="9845012345",
                gstin="29AAACK1234L1Z5",
                street="2 MG Road",
                city="Bengaluru",
                state="Karnataka",
            )
        )
        contact = self.sandbox.books.find(ORG, "contacts", result.external_id)
        self.assertEqual(
            (contact["gst_treatment"], contact["gst_no"], contact["place_of_contact"]),
            ("business_gst", "29AAACK1234L1Z5", "KA"),
        )
        self.assertEqual(contact["contact_persons"][0]["mobile"], "9845012345")
        b2c = self.client.push_customer(
            Customer(name="Ravi Kumar", phone="02024441111", state="Maharashtra")
        )
        contact = self.sandbox.books.find(ORG, "contacts", b2c.external_id)
        self.assertEqual(
            (contact["gst_treatment"], contact["place_of_contact"]), ("consumer", "MH")
        )
        self.assertEqual(contact["contact_persons"][0]["phone"], "02024441111")

    def test_altering_keeps_the_other_contact_persons(self):
        patil = self.sandbox.books.find(ORG, "contacts", "460000000000302")
        self.sandbox.books.touch(
            patil,
            contact_persons=patil["contact_persons"]
            + [
                {
                    "contact_person_id": "999",
                    "first_name": "Accounts",
                    "email": "accounts@patil.example.in",
                }
            ],
        )
        result = self.client.push_customer(
            Customer(
                external_id="460000000000302",
                name="Patil Stores",
                mobile="9890000000",
                gstin="27AABCM4321K1ZK",
            ),
            alter=True,
        )
        self.assertEqual(result.action, "altered")
        persons = self.sandbox.books.find(ORG, "contacts", "460000000000302")[
            "contact_persons"
        ]
        self.assertEqual(
            [(p["first_name"], p.get("mobile")) for p in persons],
            [("Ravi", "9890000000"), ("Accounts", None)],
        )

    def test_duplicate_name_that_is_no_customer_is_a_clear_failure(self):
        result = self.client.push_customer(
            Customer(name="Office Supplies Co", mobile="9822011111")
        )
        self.assertEqual(result.action, "failed")
        self.assertIn("already has a contact named 'Office Supplies Co'", result.error)
        self.assertIn("3062", result.error)


class TestTokenThrottle(ZohoCase):
    def test_the_eleventh_token_in_ten_minutes_is_refused_with_http_400(self):
        self.sandbox.settings.update(token_limit=2)
        self.oauth.refresh(self.jar.tokens.refresh_token)
        self.oauth.refresh(self.jar.tokens.refresh_token)
        answer = requests.post(
            self.url + "oauth/v2/token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": self.jar.tokens.refresh_token,
                "client_id": DEMO_CLIENT[0],
                "client_secret": DEMO_CLIENT[1],
            },
        )
        self.assertEqual(
            (answer.status_code, answer.json()["error"]), (400, "Access Denied")
        )
        requests.post(self.url + "_sandbox/token_window_reset")
        self.assertTrue(self.oauth.refresh(self.jar.tokens.refresh_token).access_token)

    def test_throttled_refresh_is_transient_not_a_revoked_consent(self):
        self.sandbox.settings.update(token_limit=0)
        with self.assertRaises(TransientError) as error:
            self.oauth.refresh(self.jar.tokens.refresh_token)
        self.assertNotIsInstance(error.exception, AuthError)
        self.assertGreaterEqual(error.exception.retry_after, 60)
        self.assertNotIn("reconnect", str(error.exception))

    def test_a_read_whose_token_renewal_is_throttled_waits(self):
        self.client.test_connection()
        self.sandbox.oauth.expire_all_access_tokens()
        self.sandbox.settings.update(token_limit=0)
        with self.assertRaises(TransientError) as error:
            self.client.test_connection()
        self.assertNotIsInstance(error.exception, AuthError)
        self.sandbox.settings.update(token_limit=10)
        self.assertIn("Sharma Traders", self.client.test_connection()[1])

    def test_a_burst_of_jobs_asks_for_no_new_token(self):
        self.sandbox.settings.update(token_limit=1)
        for _job in range(15):  # each job its own client, as the hub makes them
            client = ZohoClient(
                ORG, BearerAuth(self.jar), base_url=self.url + "books/v3/", timeout=5
            )
            list(client.iter_accounts())
        self.assertEqual(
            (self.jar.refreshes, self.sandbox.oauth.throttled_calls), (0, 0)
        )

    def test_invalid_code_stays_a_revoked_consent(self):
        requests.post(
            self.url + "oauth/v2/token/revoke",
            params={"token": self.jar.tokens.refresh_token},
        )
        with self.assertRaises(ConsentRevoked):
            self.oauth.refresh(self.jar.tokens.refresh_token)


class TestTrialBalance(ZohoCase):
    def test_trial_balance_is_the_report_for_the_dates_and_balances(self):
        lines = self.client.trial_balance("2026-01-01", "2026-03-31")
        self.assertTrue(lines)
        balances = {line.account: (line.debit, line.credit) for line in lines}
        self.assertEqual(balances["Accounts Receivable"], (11800.0, 0.0))
        self.assertEqual(balances["Sales"], (0.0, 10000.0))
        self.assertAlmostEqual(
            sum(line.debit for line in lines),
            sum(line.credit for line in lines),
            places=2,
        )
        self.assertEqual(
            self.client.trial_balance("2025-04-01", "2025-12-31"),
            [],
            "nothing booked then",
        )
        report = self.client._read(
            "reports/trialbalance",
            {
                "filter_by": "TransactionDate.CustomDate",
                "from_date": "2026-01-01",
                "to_date": "2026-03-31",
            },
        )
        self.assertIn("account_transactions", report["trialbalance"][0])


class TestDocumentedWrites(ZohoCase):
    """Invoice lines carry items; GST is CGST + SGST or IGST by place of supply."""

    def setUp(self):
        super(TestDocumentedWrites, self).setUp()
        self.client = ZohoClient(
            ORG,
            BearerAuth(self.jar),
            base_url=self.url + "books/v3/",
            timeout=5,
            company_state="MH",
        )
        self.karnataka = self.client.push_customer(
            Customer(
                name="Kaveri Traders", mobile="9845012345", gstin="29AAACK1234L1Z5"
            )
        ).external_id

    def sale(self, number, party, items):
        return Voucher(
            kind="sales",
            remote_id="r-" + number,
            number=number,
            date="2026-02-01",
            party=None,
            party_id=party,
            narration=None,
            lines=[],
            items=items,
        )

    def test_item_id_sent_found_by_sku_or_name_created_once(self):
        result = self.client.push_voucher(
            self.sale(
                "INV/1",
                "460000000000302",
                [
                    item(
                        "Steel almirah (large)", 1, 5000.0, 18, code="ALM-01"
                    ),  # by SKU
                    item("LED bulb", 10, 100.0, 18),
                    item("LED bulb", 5, 100.0, 18),
                ],
            )
        )  # created once, then found
        self.assertEqual(result.action, "created", result.error)
        lines = self.sandbox.books.find(ORG, "invoices", result.external_id)[
            "line_items"
        ]
        items = self.sandbox.books.organizations[ORG].rows["items"]
        bulb = [i for i in items if i["name"] == "LED bulb"]
        self.assertEqual(len(bulb), 1)
        self.assertEqual(
            [line["item_id"] for line in lines],
            ["460000000000501", bulb[0]["item_id"], bulb[0]["item_id"]],
        )
        self.assertEqual(lines[0]["description"], "Steel almirah (large)")
        again = ZohoClient(
            ORG,
            BearerAuth(self.jar),
            base_url=self.url + "books/v3/",
            timeout=5,
            company_state="MH",
        )
        again.push_voucher(
            self.sale("INV/2", "460000000000302", [item("LED bulb", 1, 100.0, 18)])
        )
        self.assertEqual(
            len(
                [
                    i
                    for i in self.sandbox.books.organizations[ORG].rows["items"]
                    if i["name"] == "LED bulb"
                ]
            ),
            1,
            "a new run finds the item made by the last",
        )

    def test_the_sandbox_refuses_an_invoice_line_without_item(self):
        status, envelope = self.client._call(
            "POST",
            "invoices",
            None,
            {
                "customer_id": "460000000000302",
                "line_items": [{"name": "Loose", "rate": 10, "quantity": 1}],
            },
        )
        self.assertEqual(
            (status, envelope["code"], envelope["message"]),
            (400, 4, "Invalid value passed for item_id"),
        )

    def test_cgst_sgst_within_the_state_igst_across(self):
        local = self.client.push_voucher(
            self.sale("INV/MH", "460000000000302", [item("LED bulb", 10, 100.0, 18)])
        )
        inter = self.client.push_voucher(
            self.sale("INV/KA", self.karnataka, [item("LED bulb", 10, 100.0, 18)])
        )
        self.assertEqual(
            (local.action, inter.action),
            ("created", "created"),
            (local.error, inter.error),
        )
        local = self.sandbox.books.find(ORG, "invoices", local.external_id)
        inter = self.sandbox.books.find(ORG, "invoices", inter.external_id)
        self.assertEqual(
            (local["line_items"][0]["tax_name"], local["place_of_supply"]),
            ("GST18", "MH"),
        )
        self.assertEqual(
            (inter["line_items"][0]["tax_name"], inter["place_of_supply"]),
            ("IGST18", "KA"),
        )
        self.assertEqual((local["total"], inter["total"]), (1180.0, 1180.0))
        pulled = {v.number: v for v in self.client.iter_vouchers(kinds=["sales"])}
        self.assertEqual(
            [
                (line.account, line.amount, line.debit)
                for line in pulled["INV/KA"].lines
            ],
            [
                ("Kaveri Traders", 1180.0, True),
                ("Sales", 1000.0, False),
                ("IGST18", 180.0, False),
            ],
        )
        self.assertEqual(imbalance(pulled["INV/MH"]), 0.0)

    def test_a_consumer_without_place_of_supply_is_taxed_within_the_state(self):
        walk_in = self.client.push_customer(
            Customer(name="Walk-in", mobile="9822099999")
        ).external_id
        result = self.client.push_voucher(
            self.sale("INV/W", walk_in, [item("LED bulb", 1, 100.0, 5)])
        )
        self.assertEqual(
            self.sandbox.books.find(ORG, "invoices", result.external_id)["line_items"][
                0
            ]["tax_name"],
            "GST5",
        )

    def test_no_company_state_no_guess(self):
        blind = ZohoClient(
            ORG, BearerAuth(self.jar), base_url=self.url + "books/v3/", timeout=5
        )
        result = blind.push_voucher(
            self.sale("INV/X", self.karnataka, [item("LED bulb", 1, 100.0, 18)])
        )
        self.assertEqual(result.action, "failed")
        self.assertIn("company's state", result.error)

    def test_a_payment_text_is_its_description(self):
        sale = self.client.push_voucher(
            self.sale("INV/P", "460000000000302", [item("LED bulb", 10, 100.0, 18)])
        )
        receipt = Voucher(
            kind="receipt",
            remote_id="r-p",
            number="PAY/9",
            date="2026-02-05",
            party=None,
            party_id="460000000000302",
            narration="NEFT UTR 1234",
            lines=[
                VoucherLine("Bank", 500.0, True),
                VoucherLine("Patil Stores", 500.0, False, "INV/P"),
            ],
        )
        saved = self.client.push_voucher(receipt)
        payment = self.sandbox.books.find(ORG, "customerpayments", saved.external_id)
        self.assertEqual(
            (payment["description"], payment["invoices"][0]["invoice_id"]),
            ("NEFT UTR 1234", sale.external_id),
        )
        self.assertNotIn("notes", payment)

    def test_a_pulled_payment_keeps_what_it_paid_partial_included(self):
        first = self.client.push_voucher(
            self.sale("INV/P1", "460000000000302", [item("LED bulb", 10, 100.0, 18)])
        )
        second = self.client.push_voucher(
            self.sale("INV/P2", "460000000000302", [item("LED bulb", 5, 100.0, 18)])
        )
        receipt = Voucher(
            kind="receipt",
            remote_id="r-p2",
            number="PAY/10",
            date="2026-02-05",
            party=None,
            party_id="460000000000302",
            narration=None,
            lines=[
                VoucherLine("Bank", 1500.0, True),
                VoucherLine("Patil Stores", 1500.0, False, "INV/P1, INV/P2"),
            ],
        )
        self.client.push_voucher(receipt)
        [payment] = [
            v
            for v in self.client.iter_vouchers(kinds=["receipt"])
            if v.remote_id == "r-p2"
        ]
        self.assertEqual(
            [
                (a.invoice_external_id, a.invoice_number, a.amount)
                for a in payment.allocations
            ],
            [
                (first.external_id, "INV/P1", 1180.0),
                (second.external_id, "INV/P2", 320.0),
            ],
        )
