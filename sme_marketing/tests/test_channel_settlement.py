# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The monthly settlement: one vendor bill per partner and period through
sale_commission's wizards; a second run pays nothing twice."""
from odoo.exceptions import AccessError, UserError

from .channel_common import ChannelCase


class TestChannelSettlement(ChannelCase):
    def setUp(self):
        super(TestChannelSettlement, self).setUp()
        self.asha = self.channel_customer("Asha Rao", "9876543210", self.partner_a)
        self.ravi = self.channel_customer("Ravi Kumar", "9822012345", self.partner_a)
        self.zoya = self.channel_customer("Zoya Khan", "9822088888", self.partner_a2)
        for customer, amount in ((self.asha, 1000.0), (self.ravi, 2000.0)):
            self.pay_amount(self.invoice_for(customer, amount), amount)
        self.pay_amount(self.invoice_for(self.zoya, 500.0), 500.0)

    def test_one_bill_per_partner_and_period(self):
        result = self.settle()
        settlements = self.Settlement.browse(result["settlement_ids"])
        self.assertEqual(
            sorted(settlements.mapped(lambda s: (s.agent.name, s.total))),
            [("Kiran Distributors", 300.0), ("Nila Resellers", 50.0)],
        )
        self.assertEqual(set(settlements.mapped("state")), {"invoiced"})
        bills = self.env["account.invoice"].browse(result["bill_ids"])
        self.assertEqual(len(bills), 2)
        self.assertEqual(set(bills.mapped("type")), {"in_invoice"})
        self.assertEqual(bills.mapped("partner_id"), self.partner_a | self.partner_a2)
        bill_a = bills.filtered(lambda b: b.partner_id == self.partner_a)
        self.assertEqual(bill_a.amount_untaxed, 300.0)
        self.assertEqual(bill_a.company_id, self.company_a)
        self.assertIn("Period", bill_a.invoice_line_ids.name)
        bill_a.action_invoice_open()  # a valid bill: accounts and journal of A
        self.assertEqual(bill_a.state, "open")

    def test_running_twice_never_pays_twice(self):
        first = self.settle()
        second = self.settle()
        self.assertFalse(second["settlement_ids"])
        self.assertFalse(second["bill_ids"])
        bills = self.env["account.invoice"].search(
            [("type", "=", "in_invoice"), ("company_id", "=", self.company_a.id)]
        )
        self.assertEqual(sorted(bills.ids), sorted(first["bill_ids"]))
        self.assertEqual(len(bills), 2)
        self.assertEqual(sum(bills.mapped("amount_untaxed")), 350.0)
        # The settle wizard of sale_commission run by hand finds nothing either.
        wizard = self.env["sale.commission.make.settle"].create(
            {"date_to": "2026-02-01", "agents": [(6, 0, self.partner_a.ids)]}
        )
        wizard.action_settle()
        self.assertEqual(
            self.Settlement.search_count([("agent", "=", self.partner_a.id)]), 1
        )

    def test_later_months_are_not_settled_early(self):
        later = self.invoice_for(self.asha, 700.0, date="2026-02-10")
        self.pay_amount(later, 700.0, date="2026-02-11")
        result = self.settle("2026-01-31")
        settlements = self.Settlement.browse(result["settlement_ids"])
        self.assertEqual(set(settlements.mapped("date_to")), {"2026-01-31"})
        result = self.settle("2026-02-28")
        self.assertEqual(self.Settlement.browse(result["settlement_ids"]).total, 70.0)

    def test_bad_arguments(self):
        with self.assertRaises(UserError):
            self.Settlement.sme_run_monthly_settlement("January", self.company_a.id)
        with self.assertRaises(AccessError):
            self.Settlement.sme_run_monthly_settlement("2026-01-15", 999999999)
