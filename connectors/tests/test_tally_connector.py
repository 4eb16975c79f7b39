# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Tally connector against the Tally sandbox, over a real socket."""
import unittest

from sme_connectors.base import (
    ConnectorError,
    Customer,
    TransientError,
    Voucher,
    VoucherLine,
)
from sme_connectors.sandbox.testing import running_tally
from sme_connectors.tally import TallyClient


def sale(remote_id, number="INV/1", party="Asha Rao", total=1180.0):
    return Voucher(
        kind="sales",
        remote_id=remote_id,
        number=number,
        date="2026-01-20",
        party=party,
        narration="Odoo invoice",
        lines=[
            VoucherLine(party, total, True, number),
            VoucherLine("Sales", round(total / 1.18, 2), False),
            VoucherLine("Output CGST", round(total - total / 1.18, 2) / 2, False),
            VoucherLine("Output SGST", round(total - total / 1.18, 2) / 2, False),
        ],
    )


class TallyCase(unittest.TestCase):
    def setUp(self):
        self._server = running_tally()
        self.url, self.sandbox = self._server.__enter__()
        self.addCleanup(self._server.__exit__, None, None, None)
        self.client = TallyClient(self.url, "Sharma Traders", timeout=5)


class TestTallyReads(TallyCase):
    def test_connection_reports_latency(self):
        seconds, text = self.client.test_connection()
        self.assertLess(seconds, 5)
        self.assertIn("Running", text)

    def test_customers_are_the_sundry_debtors(self):
        customers = {c.name: c for c in self.client.iter_customers()}
        self.assertEqual(
            set(customers),
            {"Deshmukh & Sons", "Asha Rao", "Gupta Electricals", "Walk-in Customers"},
        )
        deshmukh = customers["Deshmukh & Sons"]
        self.assertEqual(
            (deshmukh.phone, deshmukh.gstin, deshmukh.street),
            ("020 2553 9911", "27AAPFU0939F1ZV", "Shop 4, Tulshibaug"),
        )
        self.assertTrue(deshmukh.external_id and deshmukh.version)

    def test_incremental_read_by_alter_id(self):
        top = max(c.version for c in self.client.iter_customers())
        self.assertEqual(list(self.client.iter_customers(since=top)), [])
        self.client.push_customer(Customer(name="Meera Iyer", mobile="9822077777"))
        self.assertEqual(
            [c.name for c in self.client.iter_customers(since=top)], ["Meera Iyer"]
        )

    def test_prime3_shape_and_utf16_answers(self):
        self.sandbox.settings.update(ledger_shape="prime3", utf16=True)
        deshmukh = [
            c for c in self.client.iter_customers() if c.name == "Deshmukh & Sons"
        ][0]
        self.assertEqual(
            (deshmukh.gstin, deshmukh.state, deshmukh.zip),
            ("27AAPFU0939F1ZV", "Maharashtra", "411002"),
        )

    def test_utf16_requests(self):
        client = TallyClient(self.url, "Sharma Traders", utf16=True)
        self.assertEqual(len(list(client.iter_customers())), 4)

    def test_trial_balance_balances(self):
        rows = self.client.trial_balance("2025-04-01", "2026-03-31")
        self.assertAlmostEqual(
            sum(r.debit for r in rows), sum(r.credit for r in rows), places=2
        )
        self.assertIn(
            ("HDFC Bank", 261800.0, 0.0), [(r.account, r.debit, r.credit) for r in rows]
        )


class TestTallyWrites(TallyCase):
    def test_customer_created_then_altered(self):
        created = self.client.push_customer(
            Customer(name="Meera & Co", mobile="9822077777", street="MG <Road>")
        )
        self.assertEqual(created.action, "created")
        self.assertTrue(created.external_id)
        # Tally refuses a second ledger of the name ("Duplicate name"): the
        # contract answers 'linked' to the ledger there; the hub decides.
        duplicate = self.client.push_customer(Customer(name="Meera & Co"))
        self.assertEqual(
            (duplicate.action, duplicate.external_id), ("linked", created.external_id)
        )
        self.assertEqual(
            len([c for c in self.client.iter_customers() if c.name == "Meera & Co"]), 1
        )
        altered = self.client.push_customer(
            Customer(name="Meera & Co", email="m@example.in"), alter=True
        )
        self.assertEqual(
            (altered.action, altered.external_id), ("altered", created.external_id)
        )
        saved = self.client.find_customer("Meera & Co")
        self.assertEqual((saved.email, saved.street), ("m@example.in", "MG <Road>"))

    def test_voucher_sent_twice_books_once(self):
        first = self.client.push_voucher(sale("odoo-1"))
        again = self.client.push_voucher(sale("odoo-1"))
        self.assertEqual((first.action, again.action), ("created", "altered"))
        self.assertEqual(first.external_id, again.external_id)
        self.assertEqual(
            len([v for v in self.client.iter_vouchers() if v.remote_id == "odoo-1"]), 1
        )

    def test_per_record_errors_in_tallys_words(self):
        unknown = self.client.push_voucher(sale("odoo-2", party="Nobody"))
        self.assertEqual(unknown.action, "failed")
        self.assertIn("Ledger 'Nobody' does not exist!", unknown.error)
        unbalanced = sale("odoo-3")._replace(
            lines=[VoucherLine("Asha Rao", 100, True), VoucherLine("Sales", 90, False)]
        )
        self.assertIn(
            "Voucher totals do not match!", self.client.push_voucher(unbalanced).error
        )
        self.client.push_voucher(sale("odoo-4", number="INV/9"))
        self.assertIn(
            "already exists",
            self.client.push_voucher(sale("odoo-5", number="INV/9")).error,
        )

    def test_both_response_shapes(self):
        self.sandbox.settings["response_shape"] = "envelope"
        self.assertEqual(self.client.push_voucher(sale("odoo-6")).action, "created")
        self.assertIn(
            "does not exist",
            self.client.push_voucher(sale("odoo-7", party="Nobody")).error,
        )

    def test_exceptions_only_reject_is_a_failure(self):
        self.sandbox.faults.append("exceptions")
        result = self.client.push_voucher(sale("odoo-8"))
        self.assertEqual(result.action, "failed")
        self.assertIn("without saying why", result.error)


class TestTallyFaults(TallyCase):
    def test_company_not_open(self):
        with self.assertRaises(ConnectorError) as caught:
            list(TallyClient(self.url, "Closed Co").iter_customers())
        self.assertIn("not open in Tally", str(caught.exception))

    def test_server_errors_and_resets_are_transient(self):
        for fault in ("http500", "reset"):
            self.sandbox.faults.append(fault)
            with self.assertRaises(TransientError, msg=fault):
                list(self.client.iter_customers())
        self.assertEqual(
            len(list(self.client.iter_customers())), 4, "the next request works again"
        )

    def test_timeout_is_transient(self):
        client = TallyClient(self.url, "Sharma Traders", timeout=0.5)
        self.sandbox.faults.append("timeout")
        with self.assertRaises(TransientError):
            list(client.iter_customers())

    def test_nothing_listens(self):
        with self.assertRaises(TransientError):
            TallyClient("http://127.0.0.1:9", "X", timeout=2).test_connection()

    def test_malformed_answer_does_not_crash(self):
        # An answer cut in half is retried, never read as the records before the cut.
        self.sandbox.faults.append("malformed")
        with self.assertRaises(TransientError):
            list(self.client.iter_customers())
        self.assertEqual(len(list(self.client.iter_customers())), 4)


class TestTallyBehindAuth(TallyCase):
    def test_basic_auth(self):
        from sme_connectors.base import AuthError

        self.sandbox.settings["basic_auth"] = "tally:pw-123456"
        with self.assertRaises(AuthError):
            TallyClient(self.url, "Sharma Traders", password="nope").test_connection()
        with self.assertRaises(AuthError):
            list(
                TallyClient(
                    self.url, "Sharma Traders", password="nope"
                ).iter_customers()
            )
        client = TallyClient(self.url, "Sharma Traders", password="pw-123456")
        self.assertEqual(client.test_connection()[1], "TallyPrime Server is Running")


class TestTallyBusy(TallyCase):
    def test_429_carries_retry_after(self):
        self.sandbox.faults.append("http429")
        with self.assertRaises(TransientError) as caught:
            list(self.client.iter_customers())
        self.assertEqual(caught.exception.retry_after, 7.0)

    def test_latency_is_only_slower(self):
        self.sandbox.settings["latency"] = 0.3
        seconds, _text = self.client.test_connection()
        self.assertEqual(len(list(self.client.iter_customers())), 4)
