# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Busy connector against the Busy sandbox (the real agent over an
in-memory Busy), over a real socket."""
import unittest

from sme_connectors.base import (
    AuthError,
    ConnectorError,
    Customer,
    TransientError,
    Voucher,
    VoucherItem,
    VoucherLine,
)
from sme_connectors.busy import BusyClient
from sme_connectors.sandbox.testing import running_busy

TOKEN = "demo-busy-agent-token-0001"


def sale(number="INV/2026/0001", party="Gupta Electricals", kind="sales"):
    party_debit = kind == "sales"
    return Voucher(
        kind=kind,
        remote_id="odoo-x-1",
        number=number,
        date="2026-02-03",
        party=party,
        narration="Odoo invoice",
        lines=[
            VoucherLine(party, 1180.0, party_debit),
            VoucherLine("Sales", 1000.0, not party_debit),
            VoucherLine("Output CGST", 90.0, not party_debit),
            VoucherLine("Output SGST", 90.0, not party_debit),
        ],
        items=[VoucherItem("LED bulb", 10, 100.0, 1000.0, 180.0)],
    )


class BusyCase(unittest.TestCase):
    def setUp(self):
        server = running_busy()
        self.url, self.busy = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.client = BusyClient(self.url, TOKEN, company="COMP0001", timeout=5)


class TestBusyConnector(BusyCase):
    def test_connection_checks_the_company(self):
        seconds, text = self.client.test_connection()
        self.assertIn("COMP0001", text)
        with self.assertRaises(ConnectorError) as error:
            BusyClient(self.url, TOKEN, company="OTHER").test_connection()
        self.assertIn("not OTHER", str(error.exception))

    def test_wrong_token(self):
        with self.assertRaises(AuthError):
            BusyClient(self.url, "wrong-token-wrong-token").test_connection()

    def test_customers_resume_from_the_code(self):
        customers = list(self.client.iter_customers())
        self.assertEqual(
            [c.name for c in customers],
            ["Gupta Electricals", "Mehta Hardware", "Counter Sales"],
        )
        self.assertEqual(customers[0].street, "Shop 4, Laxmi Road, Pune")
        self.assertIsNone(customers[0].version)
        self.assertEqual(
            [c.name for c in self.client.iter_customers(since=customers[1].position)],
            ["Counter Sales"],
        )

    def test_vouchers_in_with_sides(self):
        vouchers = list(self.client.iter_vouchers())
        self.assertEqual(
            [(v.kind, v.number, v.party) for v in vouchers],
            [
                ("sales", "B-101", "Mehta Hardware"),
                ("receipt", "R-55", "Mehta Hardware"),
            ],
        )
        receipt = vouchers[1]
        self.assertEqual(
            [(line.account, line.amount, line.debit) for line in receipt.lines],
            [("HDFC Bank", 500.0, True), ("Mehta Hardware", 500.0, False)],
        )

    def test_push_customer_create_alter_and_same_name(self):
        customer = Customer(
            name="Meera Iyer",
            phone="9822077777",
            email="meera@example.in",
            street="1 Main St",
        )
        created = self.client.push_customer(customer)
        self.assertEqual(created.action, "created")
        self.assertEqual(
            self.client.find_customer("Meera Iyer").external_id, created.external_id
        )
        altered = self.client.push_customer(
            customer._replace(email="m@example.in"), alter=True
        )
        self.assertEqual(
            (altered.action, altered.external_id), ("altered", created.external_id)
        )
        again = self.client.push_customer(
            customer
        )  # a second "create" of the same name links to it
        self.assertEqual(
            (again.action, again.external_id), ("linked", created.external_id)
        )

    def test_sale_booked_once_even_when_sent_twice(self):
        first = self.client.push_voucher(sale())
        self.assertEqual(first.action, "created")
        second = self.client.push_voucher(sale())
        self.assertEqual(
            (second.action, second.external_id), ("linked", first.external_id)
        )
        self.assertEqual(len(self.busy.rows("Tran1", VchNo="INV/2026/0001")), 1)
        items = self.busy.rows("Tran3", VchCode=int(first.external_id))
        self.assertEqual(
            [(i["ItemName"], i["Qty"], i["Amt"]) for i in items],
            [("LED bulb", 10.0, 1000.0)],
        )
        found = self.client.find_voucher(
            "odoo-x-1", "2026-02-03", number="INV/2026/0001"
        )
        self.assertEqual(found.external_id, first.external_id)

    def test_number_taken_by_another_voucher_fails_clearly(self):
        self.client.push_voucher(sale(party="Mehta Hardware"))
        result = self.client.push_voucher(sale())
        self.assertEqual(result.action, "failed")
        self.assertEqual(
            result.error, "voucher number INV/2026/0001 already exists in series Main"
        )

    def test_credit_note_reverses_the_sides(self):
        result = self.client.push_voucher(sale("RINV/2026/0001", kind="credit_note"))
        header = self.busy.rows("Tran1", VchCode=int(result.external_id))[0]
        party = self.busy.rows("Master1", Name="Gupta Electricals")[0]["Code"]
        values = {
            row["MasterCode1"]: row["Value1"]
            for row in self.busy.rows("Tran2", VchCode=header["VchCode"])
        }
        self.assertEqual((header["VchType"], values[party]), (3, -1180.0))

    def test_receipt_and_unknown_ledger(self):
        receipt = Voucher(
            kind="receipt",
            remote_id="r",
            number="PAY-1",
            date="2026-02-04",
            party="Gupta Electricals",
            narration=None,
            lines=[
                VoucherLine("HDFC Bank", 300.0, True),
                VoucherLine("Gupta Electricals", 300.0, False),
            ],
        )
        self.assertEqual(self.client.push_voucher(receipt).action, "created")
        refused = self.client.push_voucher(
            receipt._replace(
                number="PAY-2",
                lines=[
                    VoucherLine("ICICI Bank", 300.0, True),
                    VoucherLine("Gupta Electricals", 300.0, False),
                ],
            )
        )
        self.assertEqual(
            (refused.action, refused.error),
            ("failed", "an account named in the voucher does not exist in Busy"),
        )

    def test_busy_locked_is_transient_with_the_agents_wait(self):
        self.busy.lock(100)
        with self.assertRaises(TransientError) as error:
            list(self.client.iter_customers())
        self.assertEqual(error.exception.retry_after, 15.0)
        self.busy.lock(0)
        self.assertEqual(len(list(self.client.iter_customers())), 3)

    def test_agent_down_is_transient(self):
        client = BusyClient("http://127.0.0.1:9", TOKEN, timeout=2)
        with self.assertRaises(TransientError):
            client.test_connection()
