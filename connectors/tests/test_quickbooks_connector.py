# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The QuickBooks Online connector and Intuit's OAuth flow against the
QuickBooks sandbox, over real sockets: rotating refresh tokens, expiry,
revocation, query paging, SyncToken, duplicate DisplayName, requestid replay,
Fault envelopes, throttling; states, item names, discounts, receivables lines
and payment allocations (issue 13)."""
import unittest

import requests
from oauth_helpers import TokenJar

from sme_connectors.base import (
    Allocation,
    AuthError,
    Customer,
    TransientError,
    Voucher,
    VoucherItem,
    VoucherLine,
    imbalance,
)
from sme_connectors.oauth import BearerAuth, ConsentRevoked
from sme_connectors.quickbooks import QuickBooksClient, client as qbo, oauth_client
from sme_connectors.sandbox.quickbooks_server import DEMO_CLIENT
from sme_connectors.sandbox.testing import running_quickbooks

REALM = "9341452000000001"
REDIRECT = "http://odoo.example.in/sme_accounting_hub/oauth/callback"


class QuickBooksCase(unittest.TestCase):
    def setUp(self):
        server = running_quickbooks()
        self.url, self.sandbox = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.oauth = oauth_client(
            DEMO_CLIENT[0],
            DEMO_CLIENT[1],
            self.url + "connect/oauth2",
            self.url + "oauth2/v1/tokens/bearer",
            timeout=5,
        )
        self.jar = TokenJar(self.oauth, self.oauth.exchange_code(self.code(), REDIRECT))
        self.client = QuickBooksClient(
            REALM, BearerAuth(self.jar), base_url=self.url, timeout=5
        )

    def code(self):
        return requests.post(
            self.url + "_sandbox/code", json={"redirect_uri": REDIRECT}
        ).json()["code"]

    def rows(self, entity):
        return self.sandbox.books.companies[REALM][entity]


class TestOAuth(QuickBooksCase):
    def test_consent_comes_back_with_the_realm(self):
        answer = requests.get(
            self.oauth.authorization_url(REDIRECT, "s1"), allow_redirects=False
        )
        self.assertIn("realmId=%s" % REALM, answer.headers["Location"])
        self.assertIn("state=s1", answer.headers["Location"])

    def test_refresh_tokens_rotate_and_the_old_one_dies(self):
        old = self.jar.tokens.refresh_token
        fresh = self.oauth.refresh(old)
        self.assertTrue(fresh.refresh_token and fresh.refresh_token != old)
        with self.assertRaises(ConsentRevoked):
            self.oauth.refresh(old)
        self.oauth.refresh(fresh.refresh_token)

    def test_revoked_consent(self):
        self.sandbox.oauth.revoke_all()
        with self.assertRaises(ConsentRevoked):
            self.oauth.refresh(self.jar.tokens.refresh_token)

    def test_expired_token_in_the_middle_of_a_paged_read(self):
        for n in range(5):
            self.sandbox.books.add(REALM, "Customer", {"DisplayName": "Bulk %d" % n})
        saved, qbo.PAGE = qbo.PAGE, 2
        try:
            rows = []
            for row in self.client.query("Customer"):
                rows.append(row)
                if len(rows) == 3:
                    self.sandbox.oauth.expire_all_access_tokens()
        finally:
            qbo.PAGE = saved
        self.assertEqual(len(rows), 7)
        self.assertEqual(self.jar.refreshes, 1)


class TestReads(QuickBooksCase):
    def test_company_and_customers(self):
        self.assertIn("Sharma Traders", self.client.test_connection()[1])
        customers = {c.name: c for c in self.client.iter_customers()}
        rathi = customers["Rathi Textiles"]
        self.assertEqual(
            (rathi.phone, rathi.gstin, rathi.city, rathi.version),
            ("9822233344", "27AAACR5055K1Z7", "Ichalkaranji", "0"),
        )
        newest = max(c.position for c in customers.values())
        self.assertEqual(list(self.client.iter_customers(since=newest)), [])

    def test_names_with_quotes_are_quoted(self):
        self.sandbox.books.add(REALM, "Customer", {"DisplayName": "D'Souza & Sons"})
        self.assertEqual(
            self.client.find_customer("D'Souza & Sons").name, "D'Souza & Sons"
        )

    def test_invoice_in(self):
        [invoice] = list(self.client.iter_vouchers(kinds=["sales"]))
        self.assertEqual(
            (invoice.number, invoice.party, invoice.party_id),
            ("1001", "Rathi Textiles", "59"),
        )
        self.assertEqual(
            [(i.quantity, i.amount, i.tax_amount) for i in invoice.items],
            [(4.0, 2000.0, 100.0)],
        )

    def test_throttling(self):
        self.sandbox.settings["per_minute"] = 1
        self.client.test_connection()
        with self.assertRaises(TransientError) as error:
            self.client.test_connection()
        self.assertEqual(error.exception.retry_after, 60)

    def test_query_errors_are_faults(self):
        with self.assertRaises(Exception) as error:
            list(self.client.query("Nonsense"))
        self.assertIn("Error parsing query", str(error.exception))


class TestWrites(QuickBooksCase):
    def meera(self, **values):
        customer = Customer(
            name="Meera Iyer",
            mobile="9822077777",
            email="meera@example.in",
            street="1 Main St",
            city="Bengaluru",
        )
        return customer._replace(**values)

    def test_duplicate_display_name_links_to_the_existing_customer(self):
        result = self.client.push_customer(self.meera(name="Gupta Electricals"))
        self.assertEqual((result.action, result.external_id), ("linked", "58"))
        self.assertEqual(
            len(
                [
                    r
                    for r in self.rows("Customer")
                    if r["DisplayName"] == "Gupta Electricals"
                ]
            ),
            1,
        )

    def test_update_with_the_synctoken_and_stale_detection(self):
        created = self.client.push_customer(self.meera())
        self.assertEqual((created.action, created.version), ("created", "0"))
        updated = self.client.push_customer(
            self.meera(
                email="m@new.in",
                external_id=created.external_id,
                version=created.version,
            ),
            alter=True,
        )
        self.assertEqual((updated.action, updated.version), ("altered", "1"))
        # Someone edits it in QuickBooks: the hub's SyncToken "1" is now stale.
        self.sandbox.books.touch(
            self.sandbox.books.find(REALM, "Customer", created.external_id),
            Notes="edited",
        )
        stale = self.client.push_customer(
            self.meera(
                email="again@new.in", external_id=created.external_id, version="1"
            ),
            alter=True,
        )
        self.assertEqual(stale.action, "stale")
        self.assertIn("Stale Object Error", stale.error)

    def test_a_retried_write_does_not_book_twice(self):
        party = self.client.push_customer(self.meera()).external_id
        sale = Voucher(
            kind="sales",
            remote_id="odoo-inv-9-ab12",
            number="INV/2026/0009",
            date="2026-02-01",
            party="Meera Iyer",
            party_id=party,
            narration=None,
            lines=[],
            items=[VoucherItem("LED bulb", 10, 100.0, 1000.0, 180.0)],
        )
        first = self.client.push_voucher(sale)
        writes = self.sandbox.writes
        again = self.client.push_voucher(
            sale
        )  # the same request (same requestid): the first answer
        self.assertEqual(
            (again.action, again.external_id), ("created", first.external_id)
        )
        self.assertEqual(
            self.sandbox.writes,
            writes,
            "the replay was answered without a second write",
        )
        self.assertEqual(
            len([r for r in self.rows("Invoice") if r["DocNumber"] == "INV/2026/0009"]),
            1,
        )
        invoice = self.sandbox.books.find(REALM, "Invoice", first.external_id)
        self.assertEqual(
            (invoice["TotalAmt"], invoice["PrivateNote"]), (1180.0, "odoo-inv-9-ab12")
        )
        self.assertEqual(
            self.client.find_voucher(
                "odoo-inv-9-ab12", "2026-02-01", "INV/2026/0009"
            ).external_id,
            first.external_id,
        )

    def test_payment_linked_to_its_invoice_and_journal(self):
        receipt = Voucher(
            kind="receipt",
            remote_id="odoo-pay-1",
            number="PAY-1",
            date="2026-02-02",
            party="Rathi Textiles",
            party_id="59",
            narration=None,
            lines=[
                VoucherLine("Bank", 600.0, True),
                VoucherLine("Rathi Textiles", 600.0, False, "1001"),
            ],
        )
        self.assertEqual(self.client.push_voucher(receipt).action, "created")
        self.assertEqual(
            self.sandbox.books.find(REALM, "Invoice", "130")["Balance"], 1500.0
        )
        journal = Voucher(
            kind="journal",
            remote_id="odoo-move-2",
            number="MISC/2",
            date="2026-02-03",
            party=None,
            narration="Capital",
            lines=[
                VoucherLine("Bank", 900.0, True),
                VoucherLine("Capital", 900.0, False),
            ],
        )
        self.assertEqual(self.client.push_voucher(journal).action, "created")
        balances = {
            line.account: (line.debit, line.credit)
            for line in self.client.trial_balance("2026-01-01", "2026-03-31")
        }
        self.assertEqual(balances["Capital"], (0.0, 900.0))
        unbalanced = self.client.push_voucher(
            journal._replace(
                remote_id="x",
                lines=[
                    VoucherLine("Bank", 900.0, True),
                    VoucherLine("Capital", 800.0, False),
                ],
            )
        )
        self.assertEqual(unbalanced.action, "failed")
        self.assertIn("Transaction Not Balanced", unbalanced.error)

    def test_unknown_customer_is_a_clear_failure(self):
        result = self.client.push_voucher(
            Voucher(
                kind="sales",
                remote_id="r",
                number="INV/X",
                date="2026-02-01",
                party="Ghost",
                party_id="999",
                narration=None,
                lines=[],
                items=[VoucherItem("Thing", 1, 10.0, 10.0, 0.0)],
            )
        )
        self.assertEqual(result.action, "failed")
        self.assertIn("Invalid Reference Id", result.error)

    def test_wrong_realm_is_refused(self):
        with self.assertRaises(AuthError):
            QuickBooksClient(
                "123", BearerAuth(self.jar), base_url=self.url, timeout=5
            ).test_connection()


class TestWhatQuickBooksKeeps(QuickBooksCase):
    """Issue 13: the customer's state, item names, discounts, journal lines
    on Accounts Receivable and what payments paid, through the sandbox."""

    def test_the_customers_state_both_ways(self):
        self.assertEqual(self.client.find_customer("Rathi Textiles").state, "MH")
        created = self.client.push_customer(
            Customer(
                name="Nair Stores",
                mobile="9845012345",
                city="Bengaluru",
                state="KA",
                country="India",
            )
        )
        row = self.sandbox.books.find(REALM, "Customer", created.external_id)
        self.assertEqual(
            (row["BillAddr"]["CountrySubDivisionCode"], row["BillAddr"]["Country"]),
            ("KA", "India"),
        )
        self.assertEqual(
            (
                self.client.find_customer("Nair Stores").state,
                self.client.find_customer("Nair Stores").country,
            ),
            ("KA", "India"),
        )

    def test_a_line_without_description_is_named_by_its_item(self):
        self.sandbox.books.add(
            REALM,
            "Invoice",
            self.sandbox.books.complete(
                REALM,
                "Invoice",
                {
                    "DocNumber": "1002",
                    "TxnDate": "2026-01-21",
                    "CustomerRef": {"value": "58"},
                    "Line": [
                        {
                            "DetailType": "SalesItemLineDetail",
                            "Amount": 300.0,
                            "SalesItemLineDetail": {
                                "ItemRef": {"value": "1"},
                                "Qty": 3,
                                "UnitPrice": 100.0,
                            },
                        }
                    ],
                },
                None,
            ),
        )
        invoice = [
            v for v in self.client.iter_vouchers(kinds=["sales"]) if v.number == "1002"
        ][0]
        self.assertEqual(
            [(i.name, i.quantity, i.price, i.amount) for i in invoice.items],
            [("Sales", 3.0, 100.0, 300.0)],
        )

    def test_a_discounted_line_keeps_qty_times_price_and_the_discount_is_a_discount_line(
        self,
    ):
        sale = Voucher(
            kind="sales",
            remote_id="odoo-inv-10",
            number="INV/2026/0010",
            date="2026-02-01",
            party="Rathi Textiles",
            party_id="59",
            narration=None,
            lines=[],
            items=[
                VoucherItem("LED bulb", 10, 100.0, 900.0, 162.0),  # 10% off, GST 18%
                VoucherItem("Switch", 4, 50.0, 180.0, 32.4),
            ],
        )  # 10% off, GST 18%
        result = self.client.push_voucher(sale)
        self.assertEqual(result.action, "created", result.error)
        row = self.sandbox.books.find(REALM, "Invoice", result.external_id)
        items = [
            line for line in row["Line"] if line["DetailType"] == "SalesItemLineDetail"
        ]
        self.assertEqual(
            [
                (
                    line["Amount"],
                    line["SalesItemLineDetail"]["Qty"],
                    line["SalesItemLineDetail"]["UnitPrice"],
                )
                for line in items
            ],
            [(1000.0, 10, 100.0), (200.0, 4, 50.0)],
        )
        [discount] = [
            line for line in row["Line"] if line["DetailType"] == "DiscountLineDetail"
        ]
        self.assertEqual(
            (discount["Amount"], discount["DiscountLineDetail"]["PercentBased"]),
            (120.0, False),
        )
        self.assertTrue(row["ApplyTaxAfterDiscount"])
        self.assertEqual(
            (row["TxnTaxDetail"]["TotalTax"], row["TotalAmt"]), (194.4, 1274.4)
        )
        back = self.client.find_voucher("odoo-inv-10", "2026-02-01", "INV/2026/0010")
        self.assertEqual(
            [(i.name, i.quantity, i.price, i.amount, i.tax_amount) for i in back.items],
            [
                ("LED bulb", 10.0, 100.0, 900.0, 162.0),
                ("Switch", 4.0, 50.0, 180.0, 32.4),
            ],
        )
        self.assertEqual(
            round(sum(i.amount + i.tax_amount for i in back.items), 2),
            back.lines[0].amount,
        )
        self.assertEqual(imbalance(back), 0.0)

    def test_unequal_discounts_at_different_rates_go_at_the_discounted_price(self):
        # One transaction discount would move tax from the 5% line to the 18% one: QuickBooks
        # would charge 174.17 where the invoice charges 172.00.
        sale = Voucher(
            kind="sales",
            remote_id="odoo-inv-11",
            number="INV/2026/0011",
            date="2026-02-01",
            party="Rathi Textiles",
            party_id="59",
            narration=None,
            lines=[],
            items=[
                VoucherItem("LED bulb", 10, 100.0, 900.0, 162.0),  # 10% off, GST 18%
                VoucherItem("Switch", 4, 50.0, 200.0, 10.0),
            ],
        )  # no discount, GST 5%
        result = self.client.push_voucher(sale)
        row = self.sandbox.books.find(REALM, "Invoice", result.external_id)
        self.assertFalse(
            [line for line in row["Line"] if line["DetailType"] == "DiscountLineDetail"]
        )
        items = [
            line for line in row["Line"] if line["DetailType"] == "SalesItemLineDetail"
        ]
        self.assertEqual(
            [
                (
                    line["Amount"],
                    line["SalesItemLineDetail"]["Qty"],
                    line["SalesItemLineDetail"]["UnitPrice"],
                    line["Description"],
                )
                for line in items
            ],
            [
                (900.0, 10, 90.0, "LED bulb (10 at 100.00, less 100.00)"),
                (200.0, 4, 50.0, "Switch"),
            ],
        )
        self.assertEqual(
            (row["TxnTaxDetail"]["TotalTax"], row["TotalAmt"]), (172.0, 1272.0)
        )

    def test_quickbooks_refuses_an_amount_that_is_not_qty_times_price(self):
        answer = requests.post(
            self.url + "v3/company/%s/invoice" % REALM,
            headers=self.bearer(),
            json={
                "CustomerRef": {"value": "59"},
                "Line": [
                    {
                        "DetailType": "SalesItemLineDetail",
                        "Amount": 900.0,
                        "SalesItemLineDetail": {
                            "ItemRef": {"value": "1"},
                            "Qty": 10,
                            "UnitPrice": 100.0,
                        },
                    }
                ],
            },
        )
        self.assertEqual(
            (answer.status_code, answer.json()["Fault"]["Error"][0]["code"]),
            (400, "6070"),
        )

    def bearer(self):
        return {
            "Authorization": "Bearer %s" % self.jar.tokens.access_token,
            "Accept": "application/json",
        }

    def test_journal_lines_on_receivables_carry_the_customer(self):
        journal = Voucher(
            kind="journal",
            remote_id="odoo-move-7",
            number="MISC/7",
            date="2026-02-04",
            party=None,
            narration="Opening balance",
            lines=[
                VoucherLine("Rathi Textiles", 500.0, True),
                VoucherLine("Capital", 500.0, False),
            ],
        )
        result = self.client.push_voucher(journal)
        self.assertEqual(result.action, "created", result.error)
        row = self.sandbox.books.find(REALM, "JournalEntry", result.external_id)
        detail = row["Line"][0]["JournalEntryLineDetail"]
        self.assertEqual(
            (detail["AccountRef"]["name"], detail["Entity"]),
            (
                "Accounts Receivable (A/R)",
                {
                    "Type": "Customer",
                    "EntityRef": {"value": "59", "name": "Rathi Textiles"},
                },
            ),
        )
        [back] = [
            v
            for v in self.client.iter_vouchers(kinds=["journal"])
            if v.external_id == result.external_id
        ]
        self.assertEqual(
            [(line.account, line.amount, line.debit) for line in back.lines],
            [("Rathi Textiles", 500.0, True), ("Capital", 500.0, False)],
        )
        self.assertEqual((back.party, back.party_id), ("Rathi Textiles", "59"))
        # A line on the receivables account itself needs the journal's party.
        on_ar = journal._replace(
            remote_id="odoo-move-8",
            lines=[
                VoucherLine("Accounts Receivable (A/R)", 500.0, True),
                VoucherLine("Capital", 500.0, False),
            ],
        )
        refused = self.client.push_voucher(on_ar)
        self.assertEqual(refused.action, "failed")
        self.assertIn("needs the customer", refused.error)
        self.assertEqual(
            self.client.push_voucher(on_ar._replace(party_id="58")).action, "created"
        )

    def test_quickbooks_refuses_a_receivables_line_without_a_customer(self):
        answer = requests.post(
            self.url + "v3/company/%s/journalentry" % REALM,
            headers=self.bearer(),
            json={
                "Line": [
                    {
                        "DetailType": "JournalEntryLineDetail",
                        "Amount": 10.0,
                        "JournalEntryLineDetail": {
                            "PostingType": "Debit",
                            "AccountRef": {"value": "33"},
                        },
                    },
                    {
                        "DetailType": "JournalEntryLineDetail",
                        "Amount": 10.0,
                        "JournalEntryLineDetail": {
                            "PostingType": "Credit",
                            "AccountRef": {"value": "36"},
                        },
                    },
                ]
            },
        )
        self.assertEqual(answer.status_code, 400)
        self.assertIn(
            "you must choose a customer", answer.json()["Fault"]["Error"][0]["Detail"]
        )

    def test_a_pulled_payment_keeps_what_it_paid(self):
        receipt = Voucher(
            kind="receipt",
            remote_id="odoo-pay-3",
            number="PAY-3",
            date="2026-02-02",
            party="Rathi Textiles",
            party_id="59",
            narration=None,
            lines=[
                VoucherLine("Bank", 800.0, True),
                VoucherLine("Rathi Textiles", 800.0, False, "1001"),
            ],
        )
        self.assertEqual(self.client.push_voucher(receipt).action, "created")
        [payment] = list(self.client.iter_vouchers(kinds=["receipt"]))
        self.assertEqual(
            payment.allocations, [Allocation("130", "1001", 800.0)]
        )  # a part of 2100
        self.assertEqual(
            self.sandbox.books.find(REALM, "Invoice", "130")["LinkedTxn"],
            [{"TxnId": payment.external_id, "TxnType": "Payment"}],
        )

    def test_allocations_given_are_what_the_payment_applies(self):
        receipt = Voucher(
            kind="receipt",
            remote_id="odoo-pay-4",
            number="PAY-4",
            date="2026-02-02",
            party="Rathi Textiles",
            party_id="59",
            narration=None,
            lines=[
                VoucherLine("Bank", 1000.0, True),
                VoucherLine("Rathi Textiles", 1000.0, False),
            ],
            allocations=[Allocation(None, "1001", 700.0)],
        )
        result = self.client.push_voucher(receipt)
        row = self.sandbox.books.find(REALM, "Payment", result.external_id)
        self.assertEqual(
            [(line["Amount"], line["LinkedTxn"]) for line in row["Line"]],
            [(700.0, [{"TxnId": "130", "TxnType": "Invoice"}])],
        )
        self.assertEqual((row["TotalAmt"], row["UnappliedAmt"]), (1000.0, 300.0))

    def test_minor_version_75_is_asked_and_served(self):
        self.client.test_connection()
        self.assertEqual(self.sandbox.minor_versions[-1], ("75", 75))
