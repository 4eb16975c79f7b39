# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Tally connector against the Tally sandbox answering in the shapes of
real TallyPrime files (sme_connectors/sandbox/data/tally_prime3.json: a TallyPrime 3
company with renamed voucher types, dated ledger lists, invoice-view
vouchers), over a real socket: the counter block, line sides, reserved
voucher types, both ledger shapes, invoice-view vouchers and unreadable
ones, cut answers, EXCEPTIONS-only rejects, and looking a record up after
a timeout instead of sending it twice."""
import os
import unittest

import requests

from sme_connectors.base import (
    ConnectorError,
    Customer,
    TransientError,
    Voucher,
    VoucherLine,
)
from sme_connectors.sandbox import tally_server
from sme_connectors.sandbox.testing import DATA, running, running_tally
from sme_connectors.tally import TallyClient, envelopes, responses

PRIME3_SEED = os.path.join(DATA, "tally_prime3.json")
COMPANY = "Agra Footwear Co"


def sides(voucher):
    return [
        (line.account, line.amount, "Dr" if line.debit else "Cr")
        for line in voucher.lines
    ]


def sale(remote_id, number, party="Meera Footwear", kind="sales"):
    return Voucher(
        kind=kind,
        remote_id=remote_id,
        number=number,
        date="2025-03-20",
        party=party,
        narration="Odoo invoice",
        lines=[
            VoucherLine(party, 1180.0, kind == "sales"),
            VoucherLine("Local Sale @18%", 1000.0, kind != "sales"),
            VoucherLine("CGST", 90.0, kind != "sales"),
            VoucherLine("SGST", 90.0, kind != "sales"),
        ],
    )


class PrimeCase(unittest.TestCase):
    seed = PRIME3_SEED

    def setUp(self):
        server = running(tally_server.make_server, self.seed)
        self.url, self.sandbox = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.client = TallyClient(self.url, COMPANY, timeout=5)
        self.books = self.sandbox.books.companies[COMPANY]

    def raw(self, request):
        return requests.post(self.url, data=request, timeout=5).content

    def vouchers(self, **kwargs):
        return {v.number: v for v in self.client.iter_vouchers(**kwargs)}


class TestCounterBlock(PrimeCase):
    """1. <DESC><CMPINFO> is not data."""

    def test_every_collection_answer_carries_counters(self):
        answer = self.raw(envelopes.ledgers_request(COMPANY, "Sundry Debtors"))
        self.assertIn(b"<CMPINFO>", answer)
        self.assertIn(
            b"<LEDGER>14</LEDGER>", answer, "the company's 14 ledgers, counted"
        )
        self.assertIn(b"<VOUCHER>8</VOUCHER>", answer)
        self.assertIn(b"<GROUP>0</GROUP>", answer)

    def test_records_are_the_collections_own(self):
        customers = list(self.client.iter_customers())
        self.assertEqual(
            sorted(c.name for c in customers),
            ["L Artisan Products", "Meera Footwear", "Nair Exports FZE"],
            "no nameless customer",
        )
        groups = self.client.groups()
        self.assertNotIn(None, groups, "no phantom group")
        self.assertEqual(len(groups), 18)
        vouchers = list(self.client.iter_vouchers())
        self.assertEqual(
            len(vouchers),
            7,
            "8 vouchers, one cancelled; no empty voucher from <VOUCHER>8</VOUCHER>",
        )
        self.assertTrue(all(v.number and v.external_id for v in vouchers))
        self.assertNotIn(None, self.client.voucher_type_masters())

    def test_demo_company_too(self):
        with running_tally() as (url, _sandbox):
            client = TallyClient(url, "Sharma Traders", timeout=5)
            self.assertEqual(len(list(client.iter_customers())), 4)
            self.assertEqual(
                [(v.kind, v.number) for v in client.iter_vouchers()],
                [("sales", "TS/001"), ("receipt", "TR/001")],
            )


class TestSides(PrimeCase):
    """2. The side of a line is the sign of its amount."""

    def test_tds_line_deemed_positive_is_a_credit(self):
        expense = self.vouchers()["V-02"]
        answer = self.raw(envelopes.vouchers_request(COMPANY, "20250308", "20250308"))
        self.assertRegex(
            answer,
            rb"U/s 94C</LEDGERNAME>\s*<ISDEEMEDPOSITIVE[^>]*>Yes</ISDEEMEDPOSITIVE>"
            rb"(\s*<[A-Z]+ [^>]*>\w+</[A-Z]+>)*\s*<AMOUNT[^>]*>260.00</AMOUNT>",
        )
        self.assertEqual(
            sides(expense),
            [
                ("Virendra Singh", 25785.0, "Cr"),
                ("Job Work-Expenses", 26045.0, "Dr"),
                ("TDS - Contractors' Payment U/s 94C", 260.0, "Cr"),
            ],
        )
        self.assertTrue(responses.voucher_is_balanced(expense))

    def test_every_readable_voucher_balances(self):
        for number, voucher in self.vouchers().items():
            if number != "UP3/24-25/1321":
                self.assertIsNone(responses.voucher_problem(voucher), number)
                self.assertTrue(all(line.amount > 0 for line in voucher.lines), number)


class TestReservedTypes(PrimeCase):
    """3. Kinds by reserved type, whatever the company calls it."""

    def test_masters_resolve_renamed_and_child_types(self):
        types = self.client.voucher_types()
        self.assertEqual(
            (
                types["GST Sale Invoice"],
                types["Cash Sale"],
                types["Sales Return"],
                types["Expense"],
            ),
            ("Sales", "Sales", "Credit Note", "Purchase"),
        )
        self.assertNotIn("Sales", types, "Sales was renamed")
        answer = self.raw(envelopes.voucher_types_request(COMPANY))
        self.assertIn(
            b'<VOUCHERTYPE NAME="GST Sale Invoice" RESERVEDNAME="Sales">', answer
        )
        self.assertIn(b'<PARENT TYPE="String">GST Sale Invoice</PARENT>', answer)

    def test_kinds(self):
        kinds = {number: v.kind for number, v in self.vouchers().items()}
        self.assertEqual(
            kinds,
            {
                "UP3/24-25/1319": "sales",
                "V-02": "purchase",
                "CS/1": "sales",
                "SR/1": "credit_note",
                "R/1": "receipt",
                "UP3/24-25/1321": "sales",
                "CS/2": "sales",
            },
        )
        wanted = [
            v.number for v in self.client.iter_vouchers(kinds=["sales", "credit_note"])
        ]
        self.assertEqual(
            wanted, ["UP3/24-25/1319", "CS/1", "SR/1", "UP3/24-25/1321", "CS/2"]
        )

    def test_types_are_read_once_per_client(self):
        before = self.sandbox.requests_seen
        list(self.client.iter_vouchers())
        list(self.client.iter_vouchers(kinds=["receipt"]))
        self.assertEqual(
            self.sandbox.requests_seen - before,
            3,
            "one voucher-type read, two voucher reads",
        )

    def test_writes_use_the_companys_name_for_the_type(self):
        self.assertEqual(
            (
                self.client.voucher_type_name("sales"),
                self.client.voucher_type_name("credit_note"),
                self.client.voucher_type_name("receipt"),
            ),
            ("GST Sale Invoice", "Sales Return", "Receipt"),
        )
        created = self.client.push_voucher(sale("odoo-1", "INV/1"))
        self.assertEqual(created.action, "created")
        note = self.client.push_voucher(sale("odoo-2", "RINV/1", kind="credit_note"))
        self.assertEqual(note.action, "created")
        stored = {
            v["REMOTEID"]: v["VOUCHERTYPENAME"]
            for v in self.books.vouchers
            if v.get("REMOTEID")
        }
        self.assertEqual(
            stored, {"odoo-1": "GST Sale Invoice", "odoo-2": "Sales Return"}
        )
        self.assertEqual(self.vouchers()["INV/1"].kind, "sales")
        # What Tally says to a voucher sent with the reserved name itself:
        answer = self.raw(envelopes.voucher_import(COMPANY, sale("odoo-3", "INV/2")))
        self.assertIn(
            "Voucher Type 'Sales' does not exist!",
            responses.write_result("odoo-3", answer).error,
        )


class TestLedgerShapes(PrimeCase):
    """4. TallyPrime 3's dated lists first, then the flat fields."""

    def customers(self):
        return {c.name: c for c in self.client.iter_customers()}

    def test_prime3_latest_applicable_from_wins(self):
        answer = self.raw(envelopes.ledgers_request(COMPANY, "Sundry Debtors"))
        self.assertIn(b"<LEDMAILINGDETAILS.LIST>", answer)
        self.assertIn(b"<LEDGSTREGDETAILS.LIST>", answer)
        self.assertNotIn(b"<LEDSTATENAME>", answer)
        artisan = self.customers()["L Artisan Products"]
        # The Haryana address is listed first, the Haryana registration last:
        # the latest date wins, wherever it is listed.
        self.assertEqual(
            (
                artisan.street,
                artisan.city,
                artisan.state,
                artisan.zip,
                artisan.country,
                artisan.gstin,
            ),
            (
                "Plot No. 702, Pace City-II,",
                "Sector-37, Gurgaon-122001",
                "Haryana",
                "122001",
                "India",
                "06AFAPM5726L1ZB",
            ),
        )
        self.assertEqual(
            (artisan.mobile, artisan.email),
            ("+91 9871099788", "accounts@lartisan.example.in"),
            "the number from CONTACTDETAILS.LIST",
        )

    def test_prime3_country_abroad(self):
        nair = self.customers()["Nair Exports FZE"]
        self.assertEqual(
            (nair.country, nair.state, nair.gstin, nair.city, nair.mobile),
            ("United Arab Emirates", None, None, "Dubai", "+971 4 321 7788"),
        )

    def test_prime3_from_flat_values_and_after_an_alteration(self):
        meera = self.customers()["Meera Footwear"]
        self.assertEqual(
            (meera.mobile, meera.state, meera.zip, meera.country, meera.gstin),
            ("9822077777", "Uttar Pradesh", "282001", "India", "09AAACM1234F1ZW"),
        )
        altered = self.client.push_customer(
            Customer(name="Meera Footwear", email="meera@example.in"), alter=True
        )
        self.assertEqual(altered.action, "altered")
        again = self.client.find_customer("Meera Footwear")
        self.assertEqual(
            (again.email, again.country, again.gstin),
            ("meera@example.in", "India", "09AAACM1234F1ZW"),
        )

    def test_gst_treatment_and_place_of_supply(self):
        found = {
            c.name: (c.gst_treatment, c.place_of_supply)
            for c in self.client.iter_customers()
        }
        self.assertEqual(
            found,
            {
                "L Artisan Products": ("business_gst", "HR"),
                "Nair Exports FZE": (
                    "overseas",
                    None,
                ),  # "Unregistered/Consumer", abroad
                "Meera Footwear": ("business_gst", "UP"),
            },
        )
        self.sandbox.settings["ledger_shape"] = "flat"  # the type is flat there
        self.assertEqual(
            {
                c.name: (c.gst_treatment, c.place_of_supply)
                for c in self.client.iter_customers()
            },
            found,
        )

    def test_flat_shape_of_older_releases(self):
        self.sandbox.settings["ledger_shape"] = "flat"
        answer = self.raw(envelopes.ledgers_request(COMPANY, "Sundry Debtors"))
        self.assertNotIn(b"LEDMAILINGDETAILS", answer)
        artisan = self.customers()["L Artisan Products"]
        self.assertEqual(
            (artisan.state, artisan.zip, artisan.country, artisan.gstin),
            ("Haryana", "122001", "India", "06AFAPM5726L1ZB"),
        )

    def test_utf16_answers(self):
        self.sandbox.settings["utf16"] = True
        self.assertEqual(self.customers()["L Artisan Products"].country, "India")


class TestInvoiceView(PrimeCase):
    """5. Invoice-view vouchers: lines from LEDGERENTRIES and the stock
    lines' ledgers, stock lines as items; an unreadable voucher is a
    failure of its own."""

    def test_day_book_style_lists(self):
        self.sandbox.settings["voucher_lists"] = "invoice_view"
        answer = self.raw(envelopes.vouchers_request(COMPANY, "20250308", "20250308"))
        invoice_part = answer.split(b"<VOUCHER REMOTEID=")[1].split(b"</VOUCHER>")[0]
        self.assertNotIn(b"<ALLLEDGERENTRIES.LIST>", invoice_part)
        self.assertIn(b"<LEDGERENTRIES.LIST>", invoice_part)
        self.assertIn(b"<ACCOUNTINGALLOCATIONS.LIST>", invoice_part)
        invoice = self.vouchers()["UP3/24-25/1319"]
        self.assertEqual(
            sides(invoice),
            [
                ("L Artisan Products", 48091.0, "Dr"),
                ("IGST", 7335.9, "Cr"),
                ("Round Off", 0.1, "Cr"),
                ("Interstate Sale (IGST) @18%", 38190.0, "Cr"),
                ("Interstate Sale (IGST) @18%", 2565.0, "Cr"),
            ],
        )
        self.assertEqual(
            [
                (i.name, i.quantity, i.price, i.amount, i.tax_amount)
                for i in invoice.items
            ],
            [
                ("TPR Sole UPI-0014", 670.0, 57.0, 38190.0, 6874.2),
                ("TPR Sole UPI-0014", 45.0, 57.0, 2565.0, 461.7),
            ],
        )
        self.assertIsNone(responses.voucher_problem(invoice))

    def test_complete_lists_when_fetched(self):
        invoice = self.vouchers()["UP3/24-25/1319"]
        self.assertEqual(responses.voucher_totals(invoice), (48091.0, 48091.0))
        self.assertEqual(len(invoice.lines), 4, "ALLLEDGERENTRIES: one line per ledger")
        self.assertEqual(len(invoice.items), 2)

    def test_credit_note_items_share_its_gst_ledgers(self):
        self.sandbox.settings["voucher_lists"] = "invoice_view"
        note = self.vouchers()["SR/1"]
        self.assertEqual(
            sides(note),
            [
                ("Meera Footwear", 590.0, "Cr"),
                ("CGST", 45.0, "Dr"),
                ("SGST", 45.0, "Dr"),
                ("Local Sale @18%", 500.0, "Dr"),
            ],
        )
        self.assertEqual(
            [(i.name, i.amount, i.tax_amount) for i in note.items],
            [("TPR Compound Sole", 500.0, 90.0)],
        )

    def test_unreadable_voucher_fails_alone(self):
        for mode in ("fetched", "invoice_view"):
            self.sandbox.settings["voucher_lists"] = mode
            numbers = [v.number for v in self.client.iter_vouchers(kinds=["sales"])]
            self.assertEqual(
                numbers,
                ["UP3/24-25/1319", "CS/1", "UP3/24-25/1321", "CS/2"],
                "the iteration goes on after it (%s)" % mode,
            )
            broken = self.vouchers()["UP3/24-25/1321"]
            self.assertEqual(broken.lines, [])
            self.assertIn(
                "no debit or credit line could be read",
                responses.voucher_problem(broken),
            )
            self.assertIn("UP3/24-25/1321", responses.voucher_problem(broken))
            self.assertFalse(responses.voucher_is_balanced(broken))

    def test_sandbox_takes_invoice_view_imports(self):
        # A backslash at the end of a line joins it to the next (same text).
        body = """<ENVELOPE><HEADER><TALLYREQUEST>Import Data</TALLYREQUEST></HEADER>\
<BODY><IMPORTDATA>
          <REQUESTDESC><REPORTNAME>Vouchers</REPORTNAME><STATICVARIABLES>
          <SVCURRENTCOMPANY>Agra Footwear Co</SVCURRENTCOMPANY></STATICVARIABLES></REQUESTDESC>
          <REQUESTDATA><TALLYMESSAGE xmlns:UDF="TallyUDF">
          <VOUCHER VCHTYPE="Cash Sale" ACTION="Create" OBJVIEW="Invoice Voucher View">
            <DATE>20250321</DATE><VOUCHERTYPENAME>Cash Sale</VOUCHERTYPENAME>\
<VOUCHERNUMBER>CS/9</VOUCHERNUMBER>
            <PARTYLEDGERNAME>Meera Footwear</PARTYLEDGERNAME><ISINVOICE>Yes</ISINVOICE>
            <ALLINVENTORYENTRIES.LIST><STOCKITEMNAME>TPR Sole UPI-0014</STOCKITEMNAME>
              <ISDEEMEDPOSITIVE>No</ISDEEMEDPOSITIVE><RATE>57.00/Pair</RATE>\
<AMOUNT>570.00</AMOUNT>
              <ACTUALQTY> 10 Pair</ACTUALQTY><BILLEDQTY> 10 Pair</BILLEDQTY>
              <ACCOUNTINGALLOCATIONS.LIST><LEDGERNAME>Local Sale @18%</LEDGERNAME>
                <ISDEEMEDPOSITIVE>No</ISDEEMEDPOSITIVE><AMOUNT>570.00</AMOUNT>\
</ACCOUNTINGALLOCATIONS.LIST>
            </ALLINVENTORYENTRIES.LIST>
            <LEDGERENTRIES.LIST><LEDGERNAME>Meera Footwear</LEDGERNAME>\
<ISDEEMEDPOSITIVE>Yes</ISDEEMEDPOSITIVE>
              <AMOUNT>-672.60</AMOUNT></LEDGERENTRIES.LIST>
            <LEDGERENTRIES.LIST><LEDGERNAME>CGST</LEDGERNAME>\
<ISDEEMEDPOSITIVE>No</ISDEEMEDPOSITIVE>
              <AMOUNT>51.30</AMOUNT></LEDGERENTRIES.LIST>
            <LEDGERENTRIES.LIST><LEDGERNAME>SGST</LEDGERNAME>\
<ISDEEMEDPOSITIVE>No</ISDEEMEDPOSITIVE>
              <AMOUNT>51.30</AMOUNT></LEDGERENTRIES.LIST>
          </VOUCHER></TALLYMESSAGE></REQUESTDATA></IMPORTDATA></BODY></ENVELOPE>""".encode(
            "utf-16"
        )
        self.assertEqual(
            responses.write_result("CS/9", self.raw(body)).action, "created"
        )
        self.sandbox.settings["voucher_lists"] = "invoice_view"
        cash_sale = self.vouchers()["CS/9"]
        self.assertEqual(
            (cash_sale.kind, responses.voucher_totals(cash_sale)),
            ("sales", (672.6, 672.6)),
        )
        self.assertEqual(
            [(i.name, i.amount, i.tax_amount) for i in cash_sale.items],
            [("TPR Sole UPI-0014", 570.0, 102.6)],
        )


class TestWholeAnswers(PrimeCase):
    """7. An answer that does not parse whole is retried, never read short;
    Tally's own characters still parse."""

    def test_tallys_characters(self):
        answer = self.raw(envelopes.vouchers_request(COMPANY, "20250308", "20250308"))
        self.assertIn(b"&#4; Not Applicable", answer)
        self.assertIn(b"Default\x05Voucher\x05Class", answer)
        self.assertEqual(
            len(self.vouchers(date_from="2025-03-08", date_to="2025-03-08")), 2
        )
        groups = self.raw(envelopes.groups_request(COMPANY))
        self.assertIn(b"&#4; Primary", groups)
        groups = self.client.groups()
        self.assertEqual(
            (groups["Sundry Debtors"], groups["Capital Account"]),
            ("Current Assets", None),
        )

    def test_cut_answers_are_transient(self):
        for fault in ("truncated", "cut_connection", "malformed"):
            for utf16 in (False, True):
                self.sandbox.settings["utf16"] = utf16
                self.sandbox.faults.append(fault)
                with self.assertRaises(
                    TransientError, msg="%s utf16=%s" % (fault, utf16)
                ):
                    list(self.client.iter_customers())
                self.assertEqual(
                    len(list(self.client.iter_customers())),
                    3,
                    "the retry reads it whole",
                )

    def test_a_cut_voucher_answer_gives_no_voucher(self):
        self.client.voucher_types()
        self.sandbox.faults.append("truncated")
        read = []
        with self.assertRaises(TransientError):
            for voucher in self.client.iter_vouchers():
                read.append(voucher)
        self.assertEqual(read, [], "nothing from a broken answer reaches the hub")

    def test_cut_import_answer_then_look_up_before_resending(self):
        self.client.voucher_types()  # read before: the cut answer is the voucher's
        self.sandbox.faults.append("truncated")
        with self.assertRaises(TransientError):
            self.client.push_voucher(sale("odoo-5", "INV/5"))
        found = self.client.find_voucher(
            "odoo-5", "2025-03-20", number="INV/5", kind="sales"
        )
        self.assertEqual(
            (found.remote_id, found.number, found.kind), ("odoo-5", "INV/5", "sales")
        )


class TestImportOutcomes(PrimeCase):
    """8. EXCEPTIONS-only is a failure; LINEERROR carries its text; after a
    timeout the record is looked up, not sent twice."""

    def test_exceptions_only_in_both_shapes(self):
        for shape in ("envelope", "flat"):
            self.sandbox.settings["response_shape"] = shape
            self.sandbox.faults.append("exceptions")
            result = self.client.push_voucher(sale("odoo-6", "INV/6"))
            self.assertEqual(
                (result.action, result.external_id), ("failed", None), shape
            )
            self.assertIn("without saying why", result.error)
            self.assertIn("EXCEPTIONS 1", result.error)
        self.assertFalse(
            [v for v in self.books.vouchers if v.get("REMOTEID") == "odoo-6"]
        )

    def test_envelope_answer_with_counters(self):
        answer = self.raw(
            envelopes.ledger_import(
                COMPANY, Customer(name="Ravi Traders"), "Sundry Debtors"
            )
        )
        self.assertIn(b"<IMPORTRESULT><CREATED>1</CREATED>", answer)
        self.assertIn(b"<CMPINFO>", answer)
        self.assertEqual(
            responses.write_result("Ravi Traders", answer).action, "created"
        )

    def test_line_errors_in_tallys_words(self):
        unknown = self.client.push_voucher(sale("odoo-7", "INV/7", party="Nobody"))
        self.assertEqual(unknown.action, "failed")
        self.assertEqual(unknown.error, "Ledger 'Nobody' does not exist! (ERRORS 1)")

    def test_voucher_after_a_timeout_is_found_not_sent_twice(self):
        self.sandbox.settings["timeout_seconds"] = 1.5
        impatient = TallyClient(self.url, COMPANY, timeout=0.5)
        impatient.voucher_types()  # read before: the late answer is the voucher's
        self.sandbox.faults.append("timeout")
        with self.assertRaises(TransientError):
            impatient.push_voucher(sale("odoo-8", "INV/8"))
        found = self.client.find_voucher("odoo-8", "2025-03-20")
        self.assertTrue(
            found and found.external_id, "Tally booked it though the answer never came"
        )
        self.assertEqual(
            len([v for v in self.books.vouchers if v.get("REMOTEID") == "odoo-8"]), 1
        )

    def test_ledger_after_a_timeout_is_found_by_name_or_guid(self):
        self.sandbox.settings["timeout_seconds"] = 1.5
        impatient = TallyClient(self.url, COMPANY, timeout=0.5)
        self.sandbox.faults.append("timeout")
        with self.assertRaises(TransientError):
            impatient.push_customer(Customer(name="Kiran Shoes", mobile="9822012345"))
        by_name = self.client.find_ledger("Kiran Shoes")
        self.assertEqual((by_name.name, by_name.mobile), ("Kiran Shoes", "9822012345"))
        by_guid = self.client.find_customer(by_name.external_id)
        self.assertEqual(by_guid.name, "Kiran Shoes")
        self.assertIsNone(self.client.find_ledger("Nobody"))
        again = self.client.push_customer(Customer(name="Kiran Shoes"))
        self.assertEqual(
            (again.action, again.external_id),
            ("linked", by_name.external_id),
            "sending it again links to the ledger there, never a second one",
        )


class TestRefusals(PrimeCase):
    def test_an_export_tally_refuses_is_an_error_not_nothing(self):
        with self.assertRaises(ConnectorError) as caught:
            list(TallyClient(self.url, "Closed Co").iter_customers())
        self.assertIn("not open in Tally", str(caught.exception))
        answer = self.raw(envelopes.report_request(COMPANY, "List of Voucher Types"))
        with self.assertRaises(ConnectorError) as caught:
            list(responses.iter_elements(answer, "VOUCHERTYPE"))
        self.assertIn(
            "Could not find Report 'List of Voucher Types'!", str(caught.exception)
        )
