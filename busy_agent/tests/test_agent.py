# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Busy agent against the fake COM object (an in-memory Busy), directly
and over HTTP: token, locking, Busy's codes, dates and error strings."""
import os
import threading
import unittest

import requests

from busy_agent import codes, xmlbuild
from busy_agent.server import make_server
from busy_agent.service import BusyLocked, BusyService, RecordRefused
from sme_connectors.sandbox.busy_com import FakeBusyCom
from sme_connectors.sandbox.testing import DEMO_BUSY_SEED

TOKEN = "test-token-0123456789abcdef"


def demo_busy():
    busy = FakeBusyCom("COMP0001")
    busy.seed_file(DEMO_BUSY_SEED)
    return busy


def sale(number="S-1", party="Gupta Electricals", **values):
    voucher = {
        "kind": "sales",
        "series": "Main",
        "number": number,
        "date": "2026-02-03",
        "party": party,
        "sales_account": "Sales",
        "items": [{"name": "LED bulb", "quantity": 10, "price": 100, "amount": 1000}],
        "taxes": [
            {"account": "Output CGST", "amount": 90},
            {"account": "Output SGST", "amount": 90},
        ],
    }
    voucher.update(values)
    return voucher


class TestService(unittest.TestCase):
    def setUp(self):
        self.busy = demo_busy()
        self.waits = []
        self.service = BusyService(
            self.busy, "COMP0001", retries=3, retry_wait=0.5, sleep=self.waits.append
        )

    def test_customers_after_the_high_water_mark(self):
        everyone = self.service.customers()
        self.assertEqual(
            [c["name"] for c in everyone["customers"]],
            ["Gupta Electricals", "Mehta Hardware", "Counter Sales"],
        )
        mehta = everyone["customers"][1]
        self.assertEqual(
            (mehta["mobile"], mehta["address"]),
            ("9890012345", ["22 Station Road", "Nashik"]),
        )
        later = self.service.customers(after=mehta["code"])
        self.assertEqual([c["name"] for c in later["customers"]], ["Counter Sales"])
        self.assertEqual(later["high_water"], everyone["high_water"])
        self.assertEqual(
            self.service.customers(after=everyone["high_water"])["customers"], []
        )

    def test_sale_is_saved_with_busy_dates_and_signs(self):
        result = self.service.save_voucher(sale())
        self.assertEqual(result["result"], "created")
        header = self.busy.rows("Tran1", VchCode=result["code"])[0]
        self.assertEqual(
            (header["VchType"], header["VchDate"], header["NetAmt"]),
            (9, "2026-02-03", 1180.0),
        )
        values = sorted(
            row["Value1"] for row in self.busy.rows("Tran2", VchCode=result["code"])
        )
        self.assertEqual(
            values, [-1000.0, -90.0, -90.0, 1180.0]
        )  # party debited, sales and GST credited
        read = self.service.vouchers(kinds=["sales"], series="Main", number="S-1")[
            "vouchers"
        ][0]
        self.assertEqual(
            (read["date"], read["party"], read["amount"]),
            ("2026-02-03", "Gupta Electricals", 1180.0),
        )

    def test_duplicate_number_in_a_series_is_refused(self):
        self.service.save_voucher(sale())
        with self.assertRaises(RecordRefused) as refused:
            self.service.save_voucher(sale())
        self.assertEqual(refused.exception.code, "duplicate_number")
        self.assertEqual(
            refused.exception.message,
            "voucher number S-1 already exists in series Main",
        )
        self.service.save_voucher(sale(series="Counter"))  # another series may reuse it

    def test_unknown_account_and_unbalanced_journal(self):
        with self.assertRaises(RecordRefused) as refused:
            self.service.save_voucher(sale(party="Nobody & Co"))
        self.assertEqual(refused.exception.code, "unknown_account")
        self.assertIn("Nobody & Co", refused.exception.busy_error)
        with self.assertRaises(RecordRefused) as refused:
            self.service.save_voucher(
                {
                    "kind": "journal",
                    "series": "Main",
                    "number": "J-1",
                    "date": "2026-02-03",
                    "entries": [
                        {"account": "Cash", "amount": 10, "debit": True},
                        {"account": "Capital", "amount": 9, "debit": False},
                    ],
                }
            )
        self.assertEqual(refused.exception.code, "unbalanced")

    def test_locked_file_is_retried_then_reported(self):
        self.busy.lock(2)
        self.assertEqual(len(self.service.customers()["customers"]), 3)
        self.assertEqual(self.waits, [0.5, 1.0])  # growing waits between tries
        self.busy.lock(10)
        with self.assertRaises(BusyLocked):
            self.service.save_voucher(sale())
        self.busy.lock(0)
        self.assertEqual(
            self.busy.rows("Tran1", VchNo="S-1"), [], "nothing half-written"
        )

    def test_names_with_quotes_and_ampersands(self):
        result = self.service.save_account(
            {"name": "D'Souza & Sons <Goa>", "mobile": "9822000111"}
        )
        self.assertEqual(result["result"], "created")
        found = self.service.customers(name="D'Souza & Sons <Goa>")["customers"]
        self.assertEqual([c["code"] for c in found], [result["code"]])
        with self.assertRaises(RecordRefused) as refused:
            self.service.save_account({"name": "D'Souza & Sons <Goa>"})
        self.assertEqual(refused.exception.code, "duplicate_name")
        altered = self.service.save_account(
            {"name": "D'Souza & Sons <Goa>", "email": "a@b.in"}, modify=True
        )
        self.assertEqual(
            (altered["result"], altered["code"]), ("altered", result["code"])
        )

    def test_delete_voucher(self):
        self.service.save_voucher(sale())
        self.assertEqual(
            self.service.delete_voucher("sales", "Main", "2026-02-03", "S-1"),
            {"result": "deleted"},
        )
        with self.assertRaises(RecordRefused) as refused:
            self.service.delete_voucher("sales", "Main", "2026-02-03", "S-1")
        self.assertEqual(refused.exception.code, "not_found")

    def test_older_busy_without_voucher_code_is_looked_up(self):
        self.busy.returns_code = False
        result = self.service.save_voucher(sale(number="S-9"))
        self.assertEqual(
            self.busy.rows("Tran1", VchCode=result["code"])[0]["VchNo"], "S-9"
        )


class TestCodes(unittest.TestCase):
    def test_dates_both_ways(self):
        self.assertEqual(codes.busy_date("2026-04-01"), "01-04-2026")
        self.assertEqual(codes.iso_date("01-04-2026"), "2026-04-01")
        with self.assertRaises(ValueError):
            codes.iso_date("April 1st")

    def test_journal_xml_sides_and_escaping(self):
        xml = xmlbuild.voucher_xml(
            {
                "kind": "journal",
                "series": "Main",
                "number": "J<1>",
                "date": "2026-02-03",
                "entries": [
                    {"account": "A & B", "amount": 5, "debit": True},
                    {"account": "Cash", "amount": 5, "debit": False},
                ],
            }
        )
        self.assertIn("<VchNo>J&lt;1&gt;</VchNo>", xml)
        self.assertIn(
            "<AccountName>A &amp; B</AccountName><AmountType>1</AmountType>", xml
        )
        self.assertIn("<AccountName>Cash</AccountName><AmountType>2</AmountType>", xml)
        self.assertIn("<Date>03-02-2026</Date><VchType>16</VchType>", xml)


class TestHttp(unittest.TestCase):
    def setUp(self):
        self.busy = demo_busy()
        service = BusyService(self.busy, "COMP0001", retry_wait=0.01)
        self.server = make_server(service, TOKEN, "127.0.0.1", 0)
        thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.url = "http://127.0.0.1:%d/" % self.server.server_address[1]
        self.auth = {"Authorization": "Bearer " + TOKEN}

    def test_wrong_or_missing_token_is_refused(self):
        for headers in (
            {},
            {"Authorization": "Bearer " + TOKEN[:-1] + "x"},
            {"Authorization": TOKEN},
        ):
            response = requests.get(self.url + "customers", headers=headers, timeout=5)
            self.assertEqual(response.status_code, 401)
            self.assertNotIn("Gupta", response.text)
        self.assertEqual(
            requests.get(self.url + "health", headers=self.auth, timeout=5).json()[
                "company"
            ],
            "COMP0001",
        )

    def test_short_tokens_are_not_accepted(self):
        with self.assertRaises(ValueError):
            make_server(BusyService(self.busy, "X"), "short", "127.0.0.1", 0)

    def test_refusals_and_locks_over_http(self):
        created = requests.post(
            self.url + "vouchers", json=sale(), headers=self.auth, timeout=5
        )
        self.assertEqual(created.status_code, 200)
        again = requests.post(
            self.url + "vouchers", json=sale(), headers=self.auth, timeout=5
        )
        self.assertEqual(
            (again.status_code, again.json()["error"]), (422, "duplicate_number")
        )
        self.busy.lock(2)  # clears within the agent's retries
        self.assertEqual(
            requests.get(
                self.url + "vouchers", headers=self.auth, timeout=5
            ).status_code,
            200,
        )
        self.busy.lock(50)
        locked = requests.get(self.url + "vouchers", headers=self.auth, timeout=5)
        self.assertEqual(
            (locked.status_code, locked.headers["Retry-After"]), (503, "15")
        )
        bad = requests.post(
            self.url + "vouchers", data="{not json", headers=self.auth, timeout=5
        )
        self.assertEqual(bad.status_code, 400)
        self.assertEqual(
            requests.get(
                self.url + "nothing", headers=self.auth, timeout=5
            ).status_code,
            404,
        )

    def test_config_token_file_is_read(self):
        import tempfile

        from busy_agent.__main__ import read_config

        folder = tempfile.mkdtemp()
        token_path = os.path.join(folder, "token.txt")
        with open(token_path, "w") as handle:
            handle.write(TOKEN + "\n")
        ini = os.path.join(folder, "agent.ini")
        with open(ini, "w") as handle:
            handle.write(
                "[agent]\nbind = 192.168.1.20\nport = 8765\ntoken_file = %s\n"
                "[busy]\nbusy_path = C:\\Busy\ncompany_code = COMP0001\n" % token_path
            )
        agent, busy, token = read_config(ini)
        self.assertEqual(
            (agent["bind"], busy["company_code"], token),
            ("192.168.1.20", "COMP0001", TOKEN),
        )
