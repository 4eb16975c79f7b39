# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Tally as it really answers (../shared/real-samples/tally: XML that real
TallyPrime and Tally.ERP 9 companies produced, byte for byte, UTF-16LE with
a BOM or UTF-8): every file goes through the connector's parsing functions,
and the values below were read off the files by hand.

What the files hold that a reader must get right: the <DESC><CMPINFO>
counters named like records (<LEDGER>95</LEDGER>, <VOUCHER>39</VOUCHER>),
debits as negative amounts whatever ISDEEMEDPOSITIVE says (the TDS line of
an expense voucher), a renamed Sales type ("GST Sale Invoice",
RESERVEDNAME="Sales") and a user type under Purchase ("Expense"), the
TallyPrime 3 ledger lists and the older flat ledgers, invoice-view vouchers
(LEDGERENTRIES.LIST + ALLINVENTORYENTRIES.LIST or INVENTORYENTRIES.LIST),
&#4; markers and raw \\x05 characters, and the import answers (CREATED,
LINEERROR inside IMPORTRESULT, the EXCEPTIONS-only reject, the flat
RESPONSE form)."""
import os
import unittest

from sme_connectors.base import ConnectorError, TransientError, VoucherLine
from sme_connectors.tally import responses

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLES = os.environ.get(
    "SME_TALLY_REAL_SAMPLES",
    os.path.join(ROOT, "..", "shared", "real-samples", "tally"),
)
MISSING = (
    "the real samples are not here (%s): they are kept outside the project" % SAMPLES
)

# Every file of the folder, and what it is: a new file fails
# test_every_file_is_read until a test reads it.
FILES = {
    "acczite_groups_collection.xml": "export",
    "acczite_missing_report_lineerror_utf16.xml": "refusal",
    "acczite_payment_daybook_utf16.xml": "export",
    "guide_alter_exceptions_only.xml": "import",
    "guide_import_created_envelope.xml": "import",
    "guide_import_lineerror_exceptions.xml": "import",
    "guide_sales_voucher_collection_excerpt.xml": "export",
    "jogsaurabh_sales_invoices_utf16.xml": "export",
    "kesans_credit_note_excerpt_utf16.xml": "export",
    "kesans_masters_flat_utf16.xml": "export",
    "khushaal_payment_journal_utf16.xml": "export",
    "srinidhi_import_created_flat.xml": "import",
    "uttam_prime_daybook_with_masters.xml": "export",
}


def sample(name):
    with open(os.path.join(SAMPLES, name), "rb") as handle:
        return handle.read()


def records(name, tag, read=lambda element: element.get("NAME")):
    """What ``read`` makes of each ``tag`` record (elements are freed as the
    stream moves on: they are read in the loop)."""
    return [read(element) for element in responses.iter_elements(sample(name), tag)]


def vouchers(name, voucher_types=None):
    return records(
        name, "VOUCHER", lambda e: responses.voucher_from_element(e, voucher_types)
    )


def customers(name):
    return {c.name: c for c in records(name, "LEDGER", responses.ledger_to_customer)}


def voucher_types(name):
    masters = {}
    for type_name, reserved, parent in records(
        name, "VOUCHERTYPE", responses.voucher_type_from_element
    ):
        masters[type_name] = (reserved, parent)
    return responses.resolve_voucher_types(masters)


def sides(voucher):
    return [
        (line.account, line.amount, "Dr" if line.debit else "Cr")
        for line in voucher.lines
    ]


@unittest.skipUnless(os.path.isdir(SAMPLES), MISSING)
class RealSampleCase(unittest.TestCase):
    pass


class TestEveryFile(RealSampleCase):
    def test_every_file_is_read(self):
        self.assertEqual(
            set(os.listdir(SAMPLES)),
            set(FILES),
            "a sample without a test here (or a test without its sample)",
        )

    def test_both_encodings_and_tallys_characters_parse_whole(self):
        utf16 = [name for name in FILES if sample(name).startswith(b"\xff\xfe")]
        self.assertEqual(len(utf16), 6, "six files are UTF-16LE with a BOM")
        self.assertIn(b"&#4;", sample("acczite_groups_collection.xml"))
        self.assertIn(b"\x05", sample("uttam_prime_daybook_with_masters.xml"))
        for name in FILES:
            root = responses.parse(
                sample(name)
            )  # strict: no recovering parser any more
            self.assertIn(root.tag, ("ENVELOPE", "RESPONSE"), name)

    def test_a_cut_answer_is_transient_never_a_smaller_one(self):
        for name, _kind in FILES.items():
            body = sample(name)
            for cut in (len(body) // 2, len(body) // 2 + 1, len(body) - 3):
                with self.assertRaises(
                    TransientError, msg="%s cut at %d" % (name, cut)
                ):
                    list(responses.iter_elements(body[:cut], "VOUCHER"))
                with self.assertRaises(
                    TransientError, msg="%s cut at %d" % (name, cut)
                ):
                    responses.parse(body[:cut])

    def test_the_counter_block_is_never_a_record(self):
        # <DESC><CMPINFO> of these answers holds <GROUP>0</GROUP>,
        # <LEDGER>95</LEDGER>, <VOUCHERTYPE>3</VOUCHERTYPE>, <VOUCHER>39</VOUCHER>.
        self.assertIn(
            b"<VOUCHER>39</VOUCHER>",
            sample("guide_sales_voucher_collection_excerpt.xml"),
        )
        self.assertIn(
            b"<LEDGER>95</LEDGER>", sample("guide_sales_voucher_collection_excerpt.xml")
        )
        self.assertEqual(
            len(records("guide_sales_voucher_collection_excerpt.xml", "VOUCHER")), 2
        )
        self.assertEqual(
            records("guide_sales_voucher_collection_excerpt.xml", "LEDGER"), []
        )
        self.assertEqual(
            records("guide_sales_voucher_collection_excerpt.xml", "GROUP"), []
        )
        self.assertEqual(
            records("guide_sales_voucher_collection_excerpt.xml", "VOUCHERTYPE"), []
        )
        self.assertEqual(len(records("acczite_groups_collection.xml", "GROUP")), 28)
        self.assertEqual(records("acczite_groups_collection.xml", "LEDGER"), [])
        self.assertEqual(records("acczite_groups_collection.xml", "VOUCHER"), [])
        for name in (
            "guide_import_created_envelope.xml",
            "guide_alter_exceptions_only.xml",
        ):
            self.assertEqual(records(name, "VOUCHER"), [], name)
            self.assertEqual(records(name, "LEDGER"), [], name)

    def test_record_counts(self):
        counts = {
            "acczite_groups_collection.xml": {"GROUP": 28},
            "acczite_payment_daybook_utf16.xml": {"VOUCHER": 1},
            "guide_sales_voucher_collection_excerpt.xml": {"VOUCHER": 2},
            "jogsaurabh_sales_invoices_utf16.xml": {"VOUCHER": 2},
            "kesans_credit_note_excerpt_utf16.xml": {"VOUCHER": 1},
            "kesans_masters_flat_utf16.xml": {
                "GROUP": 38,
                "LEDGER": 12,
                "VOUCHERTYPE": 24,
            },
            "khushaal_payment_journal_utf16.xml": {"VOUCHER": 2},
            "uttam_prime_daybook_with_masters.xml": {
                "GROUP": 16,
                "LEDGER": 13,
                "VOUCHER": 4,
                "VOUCHERTYPE": 3,
            },
        }
        for name, kind in FILES.items():
            if kind != "export":
                continue
            for tag in ("GROUP", "LEDGER", "VOUCHER", "VOUCHERTYPE"):
                self.assertEqual(
                    len(records(name, tag)),
                    counts[name].get(tag, 0),
                    "%s %s" % (name, tag),
                )

    def test_every_voucher_balances_with_sides_from_the_sign(self):
        read = 0
        for name, kind in FILES.items():
            if kind != "export":
                continue
            for voucher in vouchers(name):
                read += 1
                self.assertTrue(voucher.lines, "%s %s" % (name, voucher.number))
                self.assertTrue(
                    all(line.amount > 0 for line in voucher.lines),
                    "%s %s" % (name, voucher.number),
                )
                self.assertIsNone(
                    responses.voucher_problem(voucher), "%s %s" % (name, voucher.number)
                )
                self.assertTrue(responses.voucher_is_balanced(voucher))
        self.assertEqual(read, 12)


class TestGroups(RealSampleCase):
    def test_groups_collection_with_system_markers(self):
        groups = dict(
            records(
                "acczite_groups_collection.xml", "GROUP", responses.group_from_element
            )
        )
        self.assertNotIn(None, groups)
        self.assertEqual(groups["Capital Account"], None, "&#4; Primary is the top")
        self.assertEqual(groups["Sundry Debtors"], "Current Assets")
        self.assertEqual(groups["Bank OD A/c"], "Loans (Liability)")
        self.assertEqual(groups["Duties & Taxes"], "Current Liabilities")
        self.assertEqual(groups["Reserves & Surplus"], "Capital Account")

    def test_master_export_repeats_groups(self):
        groups = dict(
            records(
                "kesans_masters_flat_utf16.xml", "GROUP", responses.group_from_element
            )
        )
        self.assertEqual(len(groups), 28, "38 GROUP messages, 28 groups")
        self.assertEqual(
            (groups["Cash-in-Hand"], groups["Current Assets"]), ("Current Assets", None)
        )


class TestLedgers(RealSampleCase):
    def test_tallyprime3_shape(self):
        ledgers = customers("uttam_prime_daybook_with_masters.xml")
        self.assertEqual(len(ledgers), 13)
        artisan = ledgers["L Artisan Products"]
        self.assertEqual(
            (artisan.group, artisan.gstin, artisan.state, artisan.zip, artisan.country),
            ("Sundry Debtors", "06AFAPM5726L1ZB", "Haryana", "122001", "India"),
        )
        self.assertEqual(
            (artisan.street, artisan.city),
            ("Plot No. 702, Pace City-II,", "Sector-37, Gurgaon-122001"),
        )
        self.assertEqual(
            (artisan.opening_balance, artisan.version, artisan.external_id),
            (-29292.0, 8586, "acbf1430-9c42-4e1a-b7b4-3b9bda154ffb-0000057b"),
        )
        plastic = ledgers["OM PLASTIC"]
        self.assertEqual(
            (plastic.group, plastic.gstin, plastic.state, plastic.zip, plastic.country),
            ("Sundry Creditors", "09EKXPS9827N1ZJ", "Uttar Pradesh", "282010", "India"),
        )
        virendra = ledgers["Virendra Singh"]
        self.assertEqual(
            (virendra.gstin, virendra.state, virendra.country, virendra.street),
            (None, "Uttar Pradesh", "India", "Mai-Agra"),
            "unregistered: no GSTIN",
        )
        self.assertEqual(ledgers["IGST"].opening_balance, -95218.68)
        self.assertEqual(ledgers["TDS - Conractors' Payment U/s 94C"].group, "TDS")
        self.assertEqual(
            (ledgers["Round Off"].street, ledgers["Round Off"].country),
            (None, None),
            "a mailing list with only a name is no address",
        )

    def test_flat_shape(self):
        ledgers = customers("kesans_masters_flat_utf16.xml")
        self.assertEqual(len(ledgers), 12)
        self.assertNotIn(None, ledgers)
        john = ledgers["John Smith"]
        self.assertEqual(
            (
                john.group,
                john.street,
                john.city,
                john.state,
                john.zip,
                john.country,
                john.opening_balance,
                john.version,
            ),
            (
                "Sundry Debtors",
                "Thattekatt House Narikkuni Calicut",
                None,
                "Kerala",
                "673585",
                "India",
                -5000.0,
                175,
            ),
        )
        kesu = ledgers["Kesu"]
        self.assertEqual((kesu.state, kesu.zip, kesu.gstin), ("Kerala", "691506", None))
        self.assertEqual(
            ledgers["Cash  Account"].group,
            "Current Assets",
            "names are kept as Tally spells them",
        )
        self.assertEqual(ledgers["Profit & Loss A/c"].group, None)
        self.assertEqual(ledgers["C's Capital"].opening_balance, 50000.0)


class TestGstTreatment(RealSampleCase):
    """GSTREGISTRATIONTYPE as real companies write it ("Regular",
    TallyPrime's "Unregistered/Consumer", and Tally.ERP 9's default
    "Regular" on ledgers without a GSTIN) → the customer's GST treatment;
    the ledger's state → its place of supply."""

    def test_tallyprime3_registrations(self):
        ledgers = customers("uttam_prime_daybook_with_masters.xml")
        treatments = {
            name: (c.gst_treatment, c.place_of_supply)
            for name, c in ledgers.items()
            if c.gst_treatment or c.place_of_supply
        }
        self.assertEqual(
            treatments,
            {
                "L Artisan Products": (
                    "business_gst",
                    "HR",
                ),  # Regular; the latest registration is Haryana's
                "OM PLASTIC": ("business_gst", "UP"),
                "Virendra Singh": ("consumer", "UP"),  # Unregistered/Consumer
                "Ranu Kumar (Job Worker), Agra": ("consumer", "UP"),
            },
            "ledgers that are no party (IGST, Round Off, the sales ledgers) have none",
        )

    def test_flat_regular_without_gstin_is_an_unregistered_business(self):
        ledgers = customers("kesans_masters_flat_utf16.xml")
        john = ledgers["John Smith"]
        self.assertEqual(
            (john.gstin, john.gst_treatment, john.place_of_supply),
            (None, "business_none", "KL"),
            "'Regular' is only Tally.ERP 9's default: without a GSTIN no one is registered",
        )


class TestVoucherTypes(RealSampleCase):
    def test_renamed_sales_and_a_type_under_purchase(self):
        types = voucher_types("uttam_prime_daybook_with_masters.xml")
        self.assertEqual(
            types,
            {
                "GST Sale Invoice": "Sales",
                "Purchase": "Purchase",
                "Expense": "Purchase",
            },
        )

    def test_predefined_types(self):
        types = voucher_types("kesans_masters_flat_utf16.xml")
        self.assertEqual(len(types), 24)
        self.assertTrue(all(name == reserved for name, reserved in types.items()))

    def test_kinds_follow_the_reserved_type_not_the_name(self):
        types = voucher_types("uttam_prime_daybook_with_masters.xml")
        kinds = [
            (v.kind, v.number)
            for v in vouchers("uttam_prime_daybook_with_masters.xml", types)
        ]
        self.assertEqual(
            kinds,
            [
                ("purchase", "V-02"),
                ("purchase", "Rano 7.3.25"),
                ("purchase", "2193"),
                ("sales", "UP3/24-25/1319"),
            ],
        )
        unresolved = vouchers("uttam_prime_daybook_with_masters.xml")[3]
        self.assertEqual(
            unresolved.kind,
            "GST Sale Invoice",
            "without the masters the name says nothing",
        )


class TestVouchers(RealSampleCase):
    def test_renamed_sales_invoice_view(self):
        types = voucher_types("uttam_prime_daybook_with_masters.xml")
        sale = vouchers("uttam_prime_daybook_with_masters.xml", types)[3]
        self.assertEqual(
            (sale.kind, sale.number, sale.date, sale.party, sale.version),
            ("sales", "UP3/24-25/1319", "2025-03-08", "L Artisan Products", 22062),
        )
        self.assertEqual(
            sides(sale),
            [
                ("L Artisan Products", 48091.0, "Dr"),
                ("IGST", 7335.9, "Cr"),
                ("Round Off", 0.1, "Cr"),
                ("Interstate Sale (IGST) @18%", 38190.0, "Cr"),
                ("Interstate Sale (IGST) @18%", 2565.0, "Cr"),
            ],
        )
        self.assertEqual(sale.lines[0].bill_ref, "UP3/24-25/1319")
        self.assertEqual(
            [(i.name, i.quantity, i.price, i.amount, i.tax_amount) for i in sale.items],
            [
                ("TPR Sole UPI-0014", 670.0, 57.0, 38190.0, 6874.2),
                ("TPR Sole UPI-0014", 45.0, 57.0, 2565.0, 461.7),
            ],
        )
        self.assertAlmostEqual(sum(i.tax_amount for i in sale.items), 7335.9, places=2)

    def test_tds_line_is_a_credit_though_deemed_positive(self):
        expense = vouchers("uttam_prime_daybook_with_masters.xml")[0]
        deemed = records(
            "uttam_prime_daybook_with_masters.xml",
            "VOUCHER",
            lambda e: [
                (
                    entry.findtext("LEDGERNAME"),
                    entry.findtext("ISDEEMEDPOSITIVE"),
                    entry.findtext("AMOUNT"),
                )
                for entry in e.findall("LEDGERENTRIES.LIST")
            ],
        )[0]
        self.assertIn(("TDS - Conractors' Payment U/s 94C", "Yes", "260.00"), deemed)
        self.assertEqual(
            sides(expense),
            [
                ("Virendra Singh", 25785.0, "Cr"),
                ("Job Work-Expenses", 26045.0, "Dr"),
                ("TDS - Conractors' Payment U/s 94C", 260.0, "Cr"),
            ],
        )
        second = vouchers("uttam_prime_daybook_with_masters.xml")[1]
        self.assertEqual(responses.voucher_totals(second), (15585.0, 15585.0))
        # The old rule (ISDEEMEDPOSITIVE Yes = debit) made them unbalanced:
        old = expense._replace(
            lines=[
                line._replace(debit=line.account != "Virendra Singh")
                for line in expense.lines
            ]
        )
        self.assertIn("do not balance", responses.voucher_problem(old))

    def test_purchase_invoice_with_round_off(self):
        purchase = vouchers("uttam_prime_daybook_with_masters.xml")[2]
        self.assertEqual(responses.voucher_totals(purchase), (12107.0, 12107.0))
        self.assertIn(("Round Off", 0.2, "Dr"), sides(purchase))
        self.assertEqual(
            [(i.amount, i.tax_amount) for i in purchase.items],
            [(9000.0, 1620.0), (1260.0, 226.8)],
        )

    def test_item_invoice_with_three_gst_rates(self):
        first, second = vouchers("jogsaurabh_sales_invoices_utf16.xml")
        self.assertEqual(
            (first.kind, first.number, first.party, first.date),
            ("sales", "1", "Cash", "2023-04-01"),
        )
        self.assertEqual(
            sides(first)[:3],
            [("Cash", 3294.5, "Dr"), ("Cgst", 233.75, "Cr"), ("Sgst", 233.75, "Cr")],
        )
        self.assertEqual(responses.voucher_totals(first), (3294.5, 3294.5))
        self.assertEqual(
            [
                (i.name, i.quantity, i.price, i.amount, i.tax_amount)
                for i in first.items
            ],
            [
                ("Item 3", 11.0, 22.0, 242.0, 12.1),
                ("Itm1", 44.0, 55.0, 2420.0, 435.6),
                ("Itm 2", 55.0, 3.0, 165.0, 19.8),
            ],
        )
        self.assertAlmostEqual(sum(i.tax_amount for i in first.items), 467.5, places=2)
        self.assertEqual(
            sides(second), [("Paart2", 11111.0, "Dr"), ("Sales", 11111.0, "Cr")]
        )
        self.assertEqual(
            (second.items, second.lines[0].bill_ref),
            (None, "2"),
            "an empty inventory list is none",
        )

    def test_credit_note_with_inventoryentries(self):
        (note,) = vouchers("kesans_credit_note_excerpt_utf16.xml")
        self.assertEqual(
            (note.kind, note.number, note.party, note.date, note.version),
            ("credit_note", "1", "Mrs. Ponny", "2018-09-01", 80),
        )
        self.assertEqual(
            sides(note),
            [
                ("Mrs. Ponny", 2079.0, "Cr"),
                ("Other Charges", 0.47, "Dr"),
                ("Output CGST", 49.49, "Dr"),
                ("Output SGST", 49.49, "Dr"),
                ("Sales", 1979.55, "Dr"),
            ],
        )
        (item,) = note.items
        self.assertEqual(
            (item.name, item.quantity, item.price, item.amount, item.tax_amount),
            ("Tooth Brush", 45.0, 43.99, 1979.55, 98.98),
            "GST from its ledgers: no rate given",
        )

    def test_collection_answer_with_both_lists_counts_each_line_once(self):
        first, second = vouchers("guide_sales_voucher_collection_excerpt.xml")
        self.assertEqual(
            sides(first),
            [("Amar Enterprises", 250000.0, "Dr"), ("Sales", 250000.0, "Cr")],
        )
        self.assertEqual(
            (first.remote_id, first.external_id, first.version),
            ("f0347998-2c19-4a5e-a4ed-01f589cb92a5-00000005",) * 2 + (6,),
        )
        self.assertEqual(
            sides(second),
            [("Abc Party", 21300.0, "Dr"), ("Sales", 21300.0, "Cr")],
            "ALLLEDGERENTRIES are complete: LEDGERENTRIES and allocations not added again",
        )
        self.assertEqual(
            [(i.name, i.quantity, i.price, i.amount) for i in second.items],
            [("Item1", 100.0, 213.0, 21300.0)],
        )

    def test_payment_and_journal(self):
        payment, journal = vouchers("khushaal_payment_journal_utf16.xml")
        self.assertEqual(
            (payment.kind, payment.number, payment.date), ("payment", "1", "2024-04-01")
        )
        self.assertEqual(
            payment.lines,
            [
                VoucherLine(
                    "Khushaal Rajesh Nandwani", 12000.0, True, "Consolidated, 1"
                ),
                VoucherLine("Cash", 12000.0, False, None),
            ],
        )
        self.assertEqual((journal.kind, journal.party), ("journal", "Ramdas"))
        self.assertEqual(
            sides(journal), [("Ramdas", 23000.0, "Dr"), ("SALES PARTY", 23000.0, "Cr")]
        )

    def test_payment_day_book(self):
        (payment,) = vouchers("acczite_payment_daybook_utf16.xml")
        self.assertEqual(
            (
                payment.kind,
                payment.number,
                payment.date,
                payment.party,
                payment.version,
            ),
            ("payment", "8", "2025-08-02", "HDFC Current A/c", 18),
        )
        self.assertEqual(
            sides(payment),
            [("Insurance Expense", 12000.0, "Dr"), ("HDFC Current A/c", 12000.0, "Cr")],
        )


class TestImportAnswers(RealSampleCase):
    def test_created_in_an_envelope_with_counters(self):
        result = responses.import_result(sample("guide_import_created_envelope.xml"))
        self.assertEqual(
            (
                result["created"],
                result["errors"],
                result["exceptions"],
                result["last_vch_id"],
            ),
            (1, 0, 0, 193),
        )
        written = responses.write_result(
            "odoo-1", sample("guide_import_created_envelope.xml")
        )
        self.assertEqual((written.action, written.error), ("created", None))

    def test_created_flat_response(self):
        result = responses.import_result(sample("srinidhi_import_created_flat.xml"))
        self.assertEqual(
            (result["created"], result["altered"], result["last_vch_id"]), (1, 0, 9191)
        )
        self.assertEqual(
            responses.write_result(
                "k", sample("srinidhi_import_created_flat.xml")
            ).action,
            "created",
        )

    def test_exceptions_only_is_a_failure(self):
        result = responses.import_result(sample("guide_alter_exceptions_only.xml"))
        self.assertEqual(
            (
                result["created"],
                result["altered"],
                result["errors"],
                result["exceptions"],
                result["line_errors"],
            ),
            (0, 0, 0, 1, []),
        )
        written = responses.write_result(
            "odoo-7", sample("guide_alter_exceptions_only.xml")
        )
        self.assertEqual(
            (written.key, written.action, written.external_id),
            ("odoo-7", "failed", None),
        )
        self.assertIn("without saying why", written.error)
        self.assertIn("EXCEPTIONS 1", written.error)

    def test_line_error_inside_the_import_result(self):
        written = responses.write_result(
            "odoo-8", sample("guide_import_lineerror_exceptions.xml")
        )
        self.assertEqual(written.action, "failed")
        self.assertEqual(
            written.error, "Godown 'Warehouse A' does not exist! (EXCEPTIONS 1)"
        )

    def test_refusal_of_a_request_carries_its_text(self):
        body = sample("acczite_missing_report_lineerror_utf16.xml")
        self.assertEqual(
            responses.import_result(body)["line_errors"],
            ["Could not find Report 'List of Voucher Types'!"],
        )
        self.assertIn("Could not find Report", responses.write_result("k", body).error)
        with self.assertRaises(ConnectorError) as caught:
            list(responses.iter_elements(body, "VOUCHERTYPE"))
        self.assertIn(
            "Could not find Report 'List of Voucher Types'!", str(caught.exception)
        )
        self.assertNotIsInstance(
            caught.exception, TransientError, "a refusal is not retried as a fault"
        )
