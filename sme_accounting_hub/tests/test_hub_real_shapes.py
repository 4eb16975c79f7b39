# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The whole path, in Odoo through the hub, from accounting systems that
answer in the shapes real ones do (issue 12):

- a TallyPrime 3 company (sandbox/data/tally_prime3.json): the <CMPINFO>
  counter block in every answer, Sales renamed "GST Sale Invoice" (its
  RESERVEDNAME says Sales) and a "Cash Sale" type under it, ledgers in the
  dated lists of TallyPrime 3 (a party abroad among them), invoice-view
  vouchers with stock lines, debits as negative amounts and a round-off
  line, a credit note with stock lines, a receipt paying an invoice
  bill-wise;
- Marg's Corporate EDE answers: encrypted pages nesting their sections
  under ``Details``, several of them, the last one saying "Completed".

Customers, invoices and payments come out right, and the sync logs hold no
failure."""
import os

from sme_connectors.sandbox.testing import DATA, running_marg, running_tally

from .common import HubCase, create_backend

PRIME3_SEED = os.path.join(DATA, "tally_prime3.json")
PRIME3_COMPANY = "Agra Footwear Co"
# The seed's invoice whose stock lines came without their ledgers: no line
# of it can be read (its refusal is tested on its own below).
UNREADABLE = "UP3/24-25/1321"


class RealShapeCase(HubCase):
    def setUp(self):
        super(RealShapeCase, self).setUp()
        self.backend.action_pause()  # HubCase's demo Tally is not part of these tests

    def pull(self, backend, *entities):
        """Queue the pulls of ``entities`` and run them as the job runner would."""
        backend._enqueue_pulls(list(entities))
        return [self.run_job(queued) for queued in self.queued(backend)]

    def log(self, backend, entity):
        return self.env["sme.accounting.sync.log"].search(
            [
                ("backend_id", "=", backend.id),
                ("direction", "=", "pull"),
                ("entity", "=", entity),
            ],
            order="id desc",
            limit=1,
        )

    def failures(self, backend):
        """Every failure line of every log of ``backend``: reasons, to show in
        a failed assertion."""
        logs = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", backend.id)]
        )
        return [
            line.reason for line in logs.mapped("line_ids") if line.level == "error"
        ] + [log.message for log in logs if log.state == "failed"]

    def company_customers(self):
        return self.Partner.search(
            [
                ("company_id", "=", self.company_a.id),
                ("customer", "=", True),
                ("parent_id", "=", False),
            ]
        )

    def customer_named(self, name):
        found = self.company_customers().filtered(lambda p: p.name == name)
        self.assertEqual(len(found), 1, "one customer %s" % name)
        return found

    def invoice_numbered(self, number, kind="out_invoice"):
        found = self.env["account.invoice"].search(
            [
                ("company_id", "=", self.company_a.id),
                ("reference", "=", number),
                ("type", "=", kind),
            ]
        )
        self.assertEqual(len(found), 1, "one %s %s" % (kind, number))
        return found

    def state(self, code):
        return self.env["res.country.state"].search(
            [("country_id", "=", self.env.ref("base.in").id), ("code", "=", code)]
        )


class TestTallyPrime3(RealShapeCase):
    def setUp(self):
        super(TestTallyPrime3, self).setUp()
        server = running_tally(PRIME3_SEED)
        url, self.prime = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.books = self.prime.books.companies[PRIME3_COMPANY]
        # The ledger mapping is left as it comes ("Sales", "Output CGST"...),
        # naming no ledger of this company: pulling needs none (the mapping
        # says where Odoo's documents go when they are pushed).
        self.prime_backend = create_backend(
            self.env,
            {
                "name": "TallyPrime 3 at Agra",
                "company_id": self.company_a.id,
                "system": "tally",
                "direction": "pull",
            },
            url=url,
            remote_company=PRIME3_COMPANY,
            timeout=5,
        )
        self.prime_backend.action_activate()

    def drop_unreadable_invoice(self):
        self.books.vouchers = [
            v for v in self.books.vouchers if v.get("VOUCHERNUMBER") != UNREADABLE
        ]

    def test_answers_carry_the_counter_block(self):
        # What the tests below rest on: the sandbox answers as TallyPrime 3 does.
        import requests

        from sme_connectors.tally import envelopes

        answer = requests.post(
            self.prime_backend.settings_ref.url,
            timeout=5,
            data=envelopes.ledgers_request(PRIME3_COMPANY, "Sundry Debtors"),
        ).content
        self.assertIn(b"<CMPINFO>", answer)
        self.assertIn(
            b"<LEDGER>14</LEDGER>", answer, "a counter named like the records"
        )
        self.assertIn(b"<LEDGSTREGDETAILS.LIST>", answer)
        self.assertEqual(
            self.books.voucher_types["GST Sale Invoice"]["RESERVEDNAME"], "Sales"
        )

    def test_customers_invoices_and_payments_come_in_whole(self):
        self.drop_unreadable_invoice()
        results = self.pull(self.prime_backend, "customers", "invoices", "payments")
        self.assertEqual(self.failures(self.prime_backend), [], results)
        self.assertEqual(
            results,
            [
                "pull customers: 3 created, 0 updated, 0 skipped, 0 failed",
                "pull invoices: 4 created, 0 updated, 0 skipped, 0 failed",
                "pull payments: 1 created, 0 updated, 0 skipped, 0 failed",
            ],
        )

        # Customers: the three Sundry Debtors, nothing made of the counter
        # block (<LEDGER>14</LEDGER>) nor of the creditor.
        self.assertEqual(
            sorted(self.company_customers().mapped("name")),
            ["L Artisan Products", "Meera Footwear", "Nair Exports FZE"],
        )
        self.assertFalse(
            self.Partner.search(
                [
                    ("company_id", "=", self.company_a.id),
                    "|",
                    ("name", "=", False),
                    ("name", "=", ""),
                ]
            )
        )
        india = self.env.ref("base.in")
        artisan = self.customer_named("L Artisan Products")
        # The Haryana address and registration are the latest (APPLICABLEFROM), not the
        # Delhi ones.
        self.assertEqual(
            (artisan.sme_phone_normalized, artisan.email, artisan.vat),
            ("+919871099788", "accounts@lartisan.example.in", "06AFAPM5726L1ZB"),
        )
        self.assertEqual(
            (
                artisan.street,
                artisan.city,
                artisan.zip,
                artisan.state_id,
                artisan.country_id,
            ),
            (
                "Plot No. 702, Pace City-II,",
                "Sector-37, Gurgaon-122001",
                "122001",
                self.state("HR"),
                india,
            ),
        )
        self.assertEqual(
            (artisan.sme_gst_treatment, artisan.sme_place_of_supply_id),
            ("business_gst", self.state("HR")),
        )
        meera = self.customer_named("Meera Footwear")
        self.assertEqual(
            (
                meera.sme_phone_normalized,
                meera.vat,
                meera.state_id,
                meera.country_id,
                meera.sme_gst_treatment,
                meera.sme_place_of_supply_id,
            ),
            (
                "+919822077777",
                "09AAACM1234F1ZW",
                self.state("UP"),
                india,
                "business_gst",
                self.state("UP"),
            ),
        )
        nair = self.customer_named("Nair Exports FZE")
        self.assertEqual(
            (
                nair.sme_phone_normalized,
                nair.vat,
                nair.state_id,
                nair.country_id.code,
                nair.city,
                nair.sme_gst_treatment,
                nair.sme_place_of_supply_id,
            ),
            (
                "+97143217788",
                False,
                self.env["res.country.state"],
                "AE",
                "Dubai",
                "overseas",
                self.env["res.country.state"],
            ),
        )

        # The renamed Sales type's invoice-view voucher: stock lines at 18 %
        # IGST (inter-state, Haryana) and a round-off of 0.10 to 48,091.
        sale = self.invoice_numbered("UP3/24-25/1319")
        self.assertEqual(sale.partner_id, artisan)
        self.assertEqual(
            (sale.amount_untaxed, sale.amount_tax, sale.amount_total),
            (40755.10, 7335.90, 48091.0),
        )
        self.assertEqual(
            sorted(sale.invoice_line_ids.mapped("price_subtotal")),
            [0.10, 2565.0, 38190.0],
        )
        self.assertEqual(
            sale.tax_line_ids.mapped("tax_id.name"),
            ["IGST 18%"],
            "inter-state: IGST, as in Tally",
        )
        self.assertEqual(sale.date_invoice, "2025-03-08")
        # ... paid bill-wise by the receipt R/1 (Agst Ref UP3/24-25/1319).
        receipt = self.env["account.payment"].search(
            [("company_id", "=", self.company_a.id), ("communication", "=", "R/1")]
        )
        self.assertEqual(
            (receipt.state, receipt.amount, receipt.partner_id),
            ("posted", 48091.0, artisan),
        )
        self.assertEqual((sale.state, sale.residual), ("paid", 0.0))

        # "Cash Sale", a type under GST Sale Invoice, in accounting view on
        # the ledger "Local Sale @18%": CGST + SGST within the state.
        cash_sales = self.env["account.invoice"].search(
            [("partner_id", "=", meera.id), ("type", "=", "out_invoice")],
            order="reference",
        )
        self.assertEqual(
            [
                (i.reference, i.state, i.amount_untaxed, i.amount_tax, i.amount_total)
                for i in cash_sales
            ],
            [
                ("CS/1", "open", 1000.0, 180.0, 1180.0),
                ("CS/2", "open", 500.0, 90.0, 590.0),
            ],
        )
        first = cash_sales[0]
        self.assertEqual(
            sorted((line.name, line.amount) for line in first.tax_line_ids),
            [("CGST Sale 9%", 90.0), ("SGST Sale 9%", 90.0)],
        )
        # The Sales Return (Credit Note renamed): its stock line, debits negative there.
        note = self.invoice_numbered("SR/1", "out_refund")
        self.assertEqual(
            (note.partner_id, note.state, note.amount_untaxed, note.amount_total),
            (meera, "open", 500.0, 590.0),
        )
        for invoice in sale | cash_sales | note:
            self.assertEqual(
                sum(invoice.move_id.line_ids.mapped("debit")),
                sum(invoice.move_id.line_ids.mapped("credit")),
                invoice.reference,
            )
        # The cancelled voucher, the purchase ("Expense") and the creditor's are not
        # invoices here.
        self.assertFalse(
            self.env["account.invoice"].search(
                [("reference", "in", ("UP3/24-25/1320", "V-02"))]
            )
        )

    def test_pulling_again_changes_nothing(self):
        self.drop_unreadable_invoice()
        self.pull(self.prime_backend, "customers", "invoices", "payments")
        counts = (
            len(self.company_customers()),
            self.env["account.invoice"].search_count(
                [("company_id", "=", self.company_a.id)]
            ),
            self.env["account.payment"].search_count(
                [("company_id", "=", self.company_a.id)]
            ),
        )
        for entity in ("customers", "invoices", "payments"):
            self.env["sme.accounting.cursor"]._set(
                self.prime_backend, entity, position=0
            )  # a full re-read
        results = self.pull(self.prime_backend, "customers", "invoices", "payments")
        self.assertEqual(
            results,
            [
                "pull customers: 0 created, 0 updated, 3 skipped, 0 failed",
                "pull invoices: 0 created, 0 updated, 4 skipped, 0 failed",
                "pull payments: 0 created, 0 updated, 1 skipped, 0 failed",
            ],
        )
        self.assertEqual(
            (
                len(self.company_customers()),
                self.env["account.invoice"].search_count(
                    [("company_id", "=", self.company_a.id)]
                ),
                self.env["account.payment"].search_count(
                    [("company_id", "=", self.company_a.id)]
                ),
            ),
            counts,
        )

    def test_the_unreadable_invoice_fails_alone_with_its_reason(self):
        self.pull(self.prime_backend, "customers", "invoices")
        log = self.log(self.prime_backend, "invoices")
        self.assertEqual((log.state, log.created, log.failed), ("partial", 4, 1))
        [failure] = log.line_ids.filtered(lambda line: line.level == "error")
        self.assertIn(UNREADABLE, failure.reason)
        self.assertIn("no line of it could be read", failure.reason)
        self.assertFalse(
            self.env["account.invoice"].search([("reference", "=", UNREADABLE)])
        )


class TestMargNestedPages(RealShapeCase):
    def setUp(self):
        super(TestMargNestedPages, self).setUp()
        server = running_marg()
        url, self.marg = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        # Small pages, so that a read takes several; the last one says
        # "Completed" (some Marg tenants), not 10.
        self.marg.settings.update(page_size=2, last_data_status="Completed")
        self.marg_backend = create_backend(
            self.env,
            {
                "name": "Marg at the pharmacy",
                "company_id": self.company_a.id,
                "system": "marg",
                "direction": "pull",
            },
            url=url,
            remote_company="SHARMA01",
            remote_branch="1",
            api_key="demo-marg-key-0001",
            password="SharmaDecrypt01",
            timeout=5,
        )
        self.marg_backend.action_activate()

    def test_the_pages_are_nested_and_end_on_completed(self):
        import requests

        from sme_connectors.marg.client import EDE_PATH
        from sme_connectors.marg.codec import decode_payload

        answer = requests.post(
            self.marg_backend.settings_ref.url + EDE_PATH,
            timeout=5,
            json={
                "CompanyCode": "SHARMA01",
                "Datetime": "",
                "MargKey": "demo-marg-key-0001",
                "Index": "4",
                "CompanyID": "1",
                "APIType": "2",
            },
        ).json()
        page = decode_payload(answer["Data"], "SharmaDecrypt01")
        self.assertEqual(sorted(page), ["Details"])
        self.assertEqual(
            (page["Details"]["DataStatus"], answer["DataStatus"]),
            ("Completed", "Completed"),
        )

    def test_parties_and_sales_bills_come_in_whole(self):
        results = self.pull(self.marg_backend, "customers", "invoices")
        self.assertEqual(self.failures(self.marg_backend), [], results)
        self.assertEqual(
            results,
            [
                "pull customers: 3 created, 0 updated, 0 skipped, 0 failed",
                "pull invoices: 1 created, 0 updated, 0 skipped, 0 failed",
            ],
        )
        self.assertGreaterEqual(
            self.marg.requests_seen, 10, "five pages of two rows, read for each entity"
        )
        self.assertEqual(
            sorted(self.company_customers().mapped("name")),
            ["Asha Rao", "Cash Sale", "Kulkarni Medicals"],
        )
        kulkarni = self.customer_named("Kulkarni Medicals")
        # Marg keeps no state: a GSTIN starting 27 is a Maharashtra registration.
        self.assertEqual(
            (
                kulkarni.sme_phone_normalized,
                kulkarni.vat,
                kulkarni.street,
                kulkarni.zip,
            ),
            ("+919822044556", "27AAACK1234F1Z0", "4 FC Road, Pune", "411004"),
        )
        self.assertEqual(
            (
                kulkarni.state_id,
                kulkarni.country_id,
                kulkarni.sme_gst_treatment,
                kulkarni.sme_place_of_supply_id,
            ),
            (
                self.state("MH"),
                self.env.ref("base.in"),
                "business_gst",
                self.state("MH"),
            ),
        )
        asha = self.customer_named("Asha Rao")
        self.assertEqual(
            (asha.sme_phone_normalized, asha.vat, asha.street),
            ("+919876543210", False, "12 MG Road, Pune"),
        )
        # The party without a number is created all the same, with a warning (not a failure).
        warning = self.log(self.marg_backend, "customers").line_ids
        self.assertEqual(warning.mapped("level"), ["warning"])
        self.assertIn("Cash Sale", warning.reason)

        bill = self.invoice_numbered("SB-0001")
        self.assertEqual(
            (bill.partner_id, bill.state, bill.date_invoice),
            (kulkarni, "open", "2026-01-15"),
        )
        self.assertEqual(
            sorted(
                (line.name, line.quantity, line.price_subtotal)
                for line in bill.invoice_line_ids
            ),
            [
                ("Cough Syrup 100 ml", 4.0, 320.0),
                ("Paracetamol 500 mg (10 tabs)", 10.0, 250.0),
            ],
        )
        self.assertEqual(
            (bill.amount_untaxed, bill.amount_tax, bill.amount_total),
            (570.0, 68.4, 638.4),
        )

        # Read again from where the last page left off: nothing new, nothing twice.
        self.assertEqual(
            self.pull(self.marg_backend, "customers", "invoices"),
            [
                "pull customers: 0 created, 0 updated, 0 skipped, 0 failed",
                "pull invoices: 0 created, 0 updated, 0 skipped, 0 failed",
            ],
        )
        self.assertEqual(
            self.env["account.invoice"].search_count([("reference", "=", "SB-0001")]), 1
        )

    def test_a_bill_changed_in_marg_is_read_from_the_cursor(self):
        self.pull(self.marg_backend, "customers", "invoices")
        self.marg.books.upsert(
            "SHARMA01",
            "Party",
            {
                "CID": "P004",
                "ParNam": "Joshi Chemists",
                "ParAdd1": "9 JM Road",
                "ParAdd2": "Pune",
                "GSTNNo.": "",
                "Phone1": "",
                "Phone2": "9822055667",
                "Phone3": "",
                "Phone4": "",
                "Pin": "411005",
            },
        )
        for pid, qty, amount, tax in (("I001", 4, 100.0, 12.0), ("I002", 1, 80.0, 9.6)):
            self.marg.books.upsert(
                "SHARMA01",
                "Dis",
                {
                    "Voucher": "SB-0002",
                    "Type": "S",
                    "Vcn": "SB-0002",
                    "Date": "2026-01-16",
                    "CID": "P004",
                    "PID": pid,
                    "Batch": "B9",
                    "Qty": qty,
                    "Free": 0,
                    "Rate": amount / qty,
                    "Amount": amount,
                    "GST": 12,
                    "GSTamount": tax,
                },
            )
        results = self.pull(self.marg_backend, "customers", "invoices")
        self.assertEqual(
            results,
            [
                "pull customers: 1 created, 0 updated, 0 skipped, 0 failed",
                "pull invoices: 1 created, 0 updated, 0 skipped, 0 failed",
            ],
        )
        bill = self.invoice_numbered("SB-0002")
        self.assertEqual(
            (bill.partner_id.name, bill.amount_total), ("Joshi Chemists", 201.6)
        )
