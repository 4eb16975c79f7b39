# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Channel partners' payment-based commissions: the customer's channel
partner on its invoice lines, due in proportion to the payments, a refund
reversing its share; customers by referral code; tiers; the statement over
RPC with its refusals; record rules between two companies."""
from odoo.exceptions import AccessError, UserError, ValidationError

from .channel_common import ChannelCase


class TestChannelCommissions(ChannelCase):
    def setUp(self):
        super(TestChannelCommissions, self).setUp()
        self.asha = self.channel_customer("Asha Rao", "9876543210", self.partner_a)

    def statement(self, agent=None, date_from="2026-01-01", date_to="2026-01-31"):
        return self.Partner.sme_commission_statement(
            (agent or self.partner_a).id, date_from, date_to, self.company_a.id
        )

    def test_invoice_lines_get_the_channel_partner(self):
        invoice = self.invoice_for(self.asha, 1000.0)
        agent_line = invoice.invoice_line_ids.agents
        self.assertEqual(agent_line.agent, self.partner_a)
        self.assertEqual(agent_line.commission, self.commission)
        self.assertAlmostEqual(agent_line.amount, 100.0)
        # A customer without channel partner: no commission line.
        other = self.customer("Ravi Kumar", "9822012345")
        self.assertFalse(self.invoice_for(other, 500.0).invoice_line_ids.agents)

    def test_commission_due_on_payment_only(self):
        invoice = self.invoice_for(self.asha, 1000.0)
        line = self.statement()["lines"][0]
        self.assertEqual((line["commission"], line["due"]), (100.0, 0.0))
        result = self.settle()
        self.assertFalse(result["settlement_ids"])
        self.pay_amount(invoice, 1000.0)
        self.assertEqual(invoice.state, "paid")
        self.assertEqual(self.statement()["totals"]["due"], 100.0)
        result = self.settle()
        settlement = self.Settlement.browse(result["settlement_ids"])
        self.assertEqual(settlement.total, 100.0)
        self.assertEqual(settlement.agent, self.partner_a)
        self.assertEqual(self.statement()["totals"]["to_settle"], 0.0)

    def test_partial_payment_is_proportional(self):
        invoice = self.invoice_for(self.asha, 1000.0)
        self.pay_amount(invoice, 400.0)
        self.assertEqual(invoice.state, "open")
        statement = self.statement()
        self.assertAlmostEqual(statement["lines"][0]["paid_share"], 0.4)
        self.assertAlmostEqual(statement["totals"]["due"], 40.0)
        first = self.Settlement.browse(self.settle()["settlement_ids"])
        self.assertAlmostEqual(first.total, 40.0)
        self.assertFalse(invoice.invoice_line_ids.agents.settled)
        self.pay_amount(invoice, 600.0, date="2026-02-05")
        second = self.Settlement.browse(self.settle()["settlement_ids"])
        self.assertNotIn(first, second)
        self.assertAlmostEqual(second.total, 60.0)
        self.assertTrue(invoice.invoice_line_ids.agents.settled)
        self.assertAlmostEqual(self.statement()["totals"]["settled"], 100.0)

    def test_refund_reverses_the_commission(self):
        invoice = self.invoice_for(self.asha, 1000.0)
        self.pay_amount(invoice, 1000.0)
        self.settle()  # 100 paid to the partner for January
        refund = self.make_invoice(
            300.0,
            type="out_refund",
            partner_id=self.asha.id,
            date_invoice="2026-02-03",
            date_due="2026-02-03",
            origin=invoice.number,
        )
        refund.action_invoice_open()
        agent_line = refund.invoice_line_ids.agents
        self.assertEqual(agent_line.agent, self.partner_a)
        self.assertAlmostEqual(agent_line.amount, -30.0)
        self.pay_amount(refund, 300.0, date="2026-02-04")
        self.assertEqual(refund.state, "paid")
        february = self.Partner.sme_commission_statement(
            self.partner_a.id, "2026-02-01", "2026-02-28", self.company_a.id
        )
        self.assertAlmostEqual(february["totals"]["due"], -30.0)
        # Same month: a new paid invoice of 500 nets 50 - 30 = 20.
        other = self.invoice_for(self.asha, 500.0, date="2026-02-10")
        self.pay_amount(other, 500.0, date="2026-02-11")
        result = self.settle("2026-02-15")
        settlement = self.Settlement.browse(result["settlement_ids"])
        self.assertAlmostEqual(settlement.total, 20.0)

    def test_refund_of_an_open_invoice_cancels_it(self):
        invoice = self.invoice_for(self.asha, 1000.0)
        wizard = (
            self.env["account.invoice.refund"]
            .with_context(active_ids=invoice.ids, active_id=invoice.id)
            .create(
                {
                    "filter_refund": "cancel",
                    "description": "returned",
                    "date_invoice": "2026-01-12",
                }
            )
        )
        wizard.invoice_refund()
        refund = self.env["account.invoice"].search(
            [("refund_invoice_id", "=", invoice.id)]
        )
        self.assertEqual((invoice.state, refund.state), ("paid", "paid"))
        self.assertAlmostEqual(refund.invoice_line_ids.agents.amount, -100.0)
        self.assertEqual(self.statement()["totals"]["due"], 0.0)
        result = self.settle()
        self.assertFalse(result["bill_ids"])
        settlements = self.Settlement.browse(result["settlement_ids"])
        self.assertAlmostEqual(sum(settlements.mapped("total")), 0.0)

    def test_customer_by_referral_code(self):
        # A channel partner that is also a customer of the master has a code.
        agent = self.customer("Kavya Agencies", "9822066666")
        agent.write({"agent": True, "supplier": True, "commission": self.commission.id})
        code = self.env["sme.customer.health"].sme_get_referral_code(
            agent.id, self.company_a.id
        )
        result = self.Partner.sme_upsert_customer(
            {"name": "Meera Iyer", "phone": "9822077777"},
            self.company_a.id,
            referral_code=code,
        )
        self.assertEqual(
            self.Partner.browse(result["id"]).sme_channel_partner_id, agent
        )
        # A customer's code does not make a channel partner.
        ravi = self.customer("Ravi Kumar", "9822012345")
        ravi_code = self.env["sme.customer.health"].sme_get_referral_code(
            ravi.id, self.company_a.id
        )
        result = self.Partner.sme_upsert_customer(
            {"name": "Zoya Khan", "phone": "9822088888"},
            self.company_a.id,
            referral_code=ravi_code,
        )
        self.assertFalse(self.Partner.browse(result["id"]).sme_channel_partner_id)

    def test_channel_partner_checks(self):
        with self.assertRaises(ValidationError):
            self.asha.sme_channel_partner_id = self.partner_b  # other company
        ravi = self.customer("Ravi Kumar", "9822012345")
        with self.assertRaises(ValidationError):
            self.asha.sme_channel_partner_id = ravi  # not an agent

    def test_partner_tier_by_customers_revenue(self):
        self.company_a.write(
            {"sme_partner_silver_revenue": 1000.0, "sme_partner_gold_revenue": 5000.0}
        )
        self.invoice_for(self.asha, 1500.0, date="2026-01-10")
        self.partner_a._sme_update_partner_tier(today="2026-03-01")
        self.assertEqual(self.partner_a.sme_partner_tier, "silver")
        self.invoice_for(self.asha, 4000.0, date="2026-02-10")
        self.partner_a._sme_update_partner_tier(today="2026-03-01")
        self.assertEqual(self.partner_a.sme_partner_tier, "gold")
        self.assertEqual(self.partner_a.sme_partner_revenue_12m, 5500.0)
        # A year later the January invoice no longer counts.
        self.partner_a._sme_update_partner_tier(today="2027-01-15")
        self.assertEqual(self.partner_a.sme_partner_tier, "silver")
        self.assertEqual(self.partner_a2.sme_partner_tier, "none")

    def test_statement_refusals(self):
        statement = self.Partner.sme_commission_statement
        cases = [
            ((999999999, "2026-01-01", "2026-01-31"), "Unknown partner"),
            ((self.asha.id, "2026-01-01", "2026-01-31"), "not a channel partner"),
            ((self.partner_b.id, "2026-01-01", "2026-01-31"), "another company"),
            ((self.partner_a.id, "2026-02-01", "2026-01-31"), "is after"),
            ((self.partner_a.id, "31/01/2026", "2026-01-31"), "date_from must be"),
            (("x", "2026-01-01", "2026-01-31"), "partner_id must be"),
        ]
        for args, message in cases:
            with self.assertRaises(UserError) as caught:
                statement(*(args + (self.company_a.id,)))
            self.assertIn(message, caught.exception.name)
        with self.assertRaises(AccessError) as caught:
            self.Partner.sudo(self.user_a).sme_commission_statement(
                self.partner_a.id, "2026-01-01", "2026-01-31", self.company_b.id
            )
        self.assertIn("not allowed", caught.exception.name)

    def test_record_rules_between_companies(self):
        invoice = self.invoice_for(self.asha, 1000.0)
        self.pay_amount(invoice, 1000.0)
        settlement = self.Settlement.browse(self.settle()["settlement_ids"])
        agent_line = invoice.invoice_line_ids.agents
        billing_b = self.env.ref("account.group_account_manager")
        self.user_b.groups_id = [(4, billing_b.id)]
        self.assertFalse(
            self.Settlement.sudo(self.user_b).search([("id", "=", settlement.id)])
        )
        self.assertFalse(
            self.env["account.invoice.line.agent"]
            .sudo(self.user_b)
            .search([("id", "=", agent_line.id)])
        )
        with self.assertRaises(AccessError):
            self.Settlement.sudo(self.user_b).browse(settlement.id).read(["total"])
        # Company A's accountant sees it.
        self.assertTrue(
            self.Settlement.sudo(self.manager).search([("id", "=", settlement.id)])
        )

    def test_partner_form_for_a_billing_user(self):
        # user_a is no salesman: the fields are on the base form all the same.
        arch = self.Partner.sudo(self.user_a).fields_view_get(view_type="form")["arch"]
        for name in ("sme_channel_partner_id", "action_sme_channel_customers"):
            self.assertIn(name, arch)
        self.assertEqual(self.partner_a.sme_channel_customer_count, 1)
        action = self.partner_a.action_sme_channel_customers()
        self.assertEqual(self.Partner.search(action["domain"]), self.asha)
