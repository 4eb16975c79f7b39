# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Loyalty points ledger: earning on paid invoices (once, on full payment,
with category multipliers), on qualified referrals and loyalty-campaign
actions; refunds reversing pro rata (a spent balance goes negative and the
next earnings pay it back); expiry once, first in first out; immutability;
two companies."""
import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tools import mute_logger

from odoo.addons.sme_customer_master.tests.common import InvoiceCase


class LoyaltyCase(InvoiceCase):
    @classmethod
    def setUpClass(cls):
        super(LoyaltyCase, cls).setUpClass()
        cls.Move = cls.env["sme.loyalty.move"]
        expense = cls.env["account.account"].search(
            [
                ("company_id", "=", cls.company_a.id),
                (
                    "user_type_id",
                    "=",
                    cls.env.ref("account.data_account_type_expenses").id,
                ),
            ],
            limit=1,
        )
        # One point per 100 rupees, a point worth 1 rupee, redeem from 100.
        cls.company_a.write(
            {
                "sme_referral_reward_account_id": expense.id,
                "sme_loyalty_points_per_rupee": 0.01,
                "sme_loyalty_point_value": 1.0,
                "sme_loyalty_min_redeem": 100,
                "sme_loyalty_expiry_months": 12,
            }
        )
        marketing = cls.env.ref("sme_marketing.group_sme_marketing_user")
        cls.marketer_a = cls._make_user(
            "loyalty_a",
            cls.company_a,
            marketing,
            cls.env.ref("account.group_account_invoice"),
        )
        cls.marketer_b = cls._make_user("loyalty_b", cls.company_b, marketing)

    def setUp(self):
        super(LoyaltyCase, self).setUp()
        self.asha = self.customer("Asha Rao", "9876543210")

    def paid_invoice(self, amount, partner=None, date="2026-01-20", **vals):
        invoice = self.make_invoice(
            amount, partner_id=(partner or self.asha).id, **vals
        )
        invoice.action_invoice_open()
        self.pay_part(invoice, invoice.residual, date)
        self.assertEqual(invoice.state, "paid")
        return invoice

    def pay_part(self, invoice, amount, date="2026-01-20"):
        journal = self.env["account.journal"].search(
            [("company_id", "=", invoice.company_id.id), ("type", "=", "bank")],
            limit=1,
        )
        payment = (
            self.env["account.payment"]
            .with_context(sme_today=date)
            .create(
                {
                    "invoice_ids": [(4, invoice.id)],
                    "amount": amount,
                    "payment_date": date,
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": invoice.commercial_partner_id.id,
                    "journal_id": journal.id,
                    "payment_method_id": self.env.ref(
                        "account.account_payment_method_manual_in"
                    ).id,
                }
            )
        )
        payment.post()
        return payment

    def refund(self, invoice, amount, date="2026-02-01"):
        refund = (
            self.env["account.invoice"]
            .with_context(sme_today=date)
            .create(
                {
                    "type": "out_refund",
                    "partner_id": invoice.partner_id.id,
                    "company_id": invoice.company_id.id,
                    "journal_id": invoice.journal_id.id,
                    "date_invoice": date,
                    "refund_invoice_id": invoice.id,
                    "invoice_line_ids": [
                        (
                            0,
                            0,
                            {
                                "name": "Returned copper wire",
                                "quantity": 1,
                                "price_unit": amount,
                                "account_id": self._income_account(
                                    invoice.company_id
                                ).id,
                            },
                        )
                    ],
                }
            )
        )
        refund.action_invoice_open()
        return refund

    def moves(self, partner=None, kind=None):
        domain = [("partner_id", "=", (partner or self.asha).id)]
        if kind:
            domain.append(("kind", "=", kind))
        return self.Move.search(domain, order="id")

    def balance(self, partner=None, company=None):
        return self.Move._sme_balance(partner or self.asha, company or self.company_a)


class TestLoyaltyPoints(LoyaltyCase):
    def test_paid_invoice_earns_once(self):
        invoice = self.paid_invoice(25000)
        earned = self.moves(kind="earned")
        self.assertEqual(len(earned), 1)
        self.assertEqual(
            (earned.points, earned.remaining, earned.invoice_id),
            (250, 250, invoice),
        )
        self.assertEqual((earned.date, earned.expires_on), ("2026-01-20", "2027-01-20"))
        self.assertEqual(self.asha.sudo(self.marketer_a).sme_loyalty_balance, 250)
        # The event again (a replay of the outbox): nothing more.
        self.Move._sme_on_invoice_paid(invoice)
        self.assertEqual(len(self.moves()), 1)
        # And the database refuses a second earned move of the invoice.
        with self.assertRaises(psycopg2.IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.Move._ledger().create(
                    {
                        "partner_id": self.asha.id,
                        "company_id": self.company_a.id,
                        "kind": "earned",
                        "points": 1,
                        "remaining": 1,
                        "invoice_id": invoice.id,
                    }
                )

    def test_partial_payment_earns_on_full_payment_only(self):
        invoice = self.make_invoice(20000, partner_id=self.asha.id)
        invoice.action_invoice_open()
        self.pay_part(invoice, 5000)
        self.assertEqual(invoice.state, "open")
        self.assertFalse(self.moves())
        self.pay_part(invoice, invoice.residual, "2026-01-25")
        self.assertEqual(self.moves().mapped("points"), [200])
        self.assertEqual(self.moves().date, "2026-01-25")

    def test_category_multiplier_per_line(self):
        double = self.env["product.category"].create(
            {"name": "Double points", "sme_loyalty_multiplier": 2.0}
        )
        product = self.env["product.product"].create(
            {"name": "Premium cable", "categ_id": double.id}
        )
        invoice = self.make_invoice(10000, partner_id=self.asha.id)
        invoice.write(
            {
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Premium cable",
                            "product_id": product.id,
                            "quantity": 2,
                            "price_unit": 5000,
                            "account_id": self._income_account(self.company_a).id,
                        },
                    )
                ]
            }
        )
        invoice.action_invoice_open()
        self.pay_part(invoice, invoice.residual)
        # 10,000 × 0.01 + 10,000 × 0.01 × 2
        self.assertEqual(self.moves().points, 300)

    def test_disabled_company_earns_nothing(self):
        self.company_a.sme_loyalty_enabled = False
        self.paid_invoice(20000)
        self.assertFalse(self.moves())

    def test_refunds_reverse_pro_rata_up_to_what_was_earned(self):
        invoice = self.paid_invoice(20000)
        earned = self.moves(kind="earned")
        first = self.refund(invoice, 5000)
        reversed_ = self.moves(kind="reversed")
        self.assertEqual(
            (reversed_.points, reversed_.refund_id, reversed_.origin_move_id),
            (-50, first, earned),
        )
        self.assertEqual((earned.remaining, self.balance()), (150, 150))
        # The same refund again: nothing.
        self.Move._sme_on_refund_validated(first)
        self.assertEqual(len(self.moves(kind="reversed")), 1)
        self.refund(invoice, 20000)  # more than is left: what is left
        self.assertEqual(self.moves(kind="reversed").mapped("points"), [-50, -150])
        self.assertEqual((earned.remaining, self.balance()), (0, 0))

    def test_refund_before_payment_counts_at_payment(self):
        invoice = self.make_invoice(20000, partner_id=self.asha.id)
        invoice.action_invoice_open()
        self.refund(invoice, 5000)
        self.assertFalse(self.moves())
        self.pay_part(invoice, invoice.residual)
        self.assertEqual(self.moves().mapped("points"), [200, -50])
        self.assertEqual(self.balance(), 150)

    def test_refund_of_spent_points_is_owed_and_paid_back_first(self):
        invoice = self.paid_invoice(20000)
        self.Move.sudo(self.marketer_a).sme_redeem_points(self.asha.id, 200)
        self.assertEqual(self.balance(), 0)
        self.refund(invoice, 20000)
        reversal = self.moves(kind="reversed")
        self.assertEqual((reversal.points, reversal.debt), (-200, 200))
        self.assertEqual(self.balance(), -200)
        later = self.paid_invoice(30000, date="2026-03-01")
        earned = self.Move.search([("invoice_id", "=", later.id)])
        self.assertEqual((earned.points, earned.remaining), (300, 100))
        self.assertEqual((reversal.debt, self.balance()), (0, 100))

    def test_qualified_referral_earns_the_referrer_points_once(self):
        code = self.env["sme.customer.health"].sme_get_referral_code(
            self.asha.id, self.company_a.id
        )
        referred = self.Partner.browse(
            self.Partner.sme_upsert_customer(
                {"name": "Meera Iyer", "phone": "9822077777"},
                self.company_a.id,
                referral_code=code,
            )["id"]
        )
        self.paid_invoice(10000, partner=referred)
        self.paid_invoice(10000, partner=referred, date="2026-02-20")
        bonus = self.moves(kind="earned")
        self.assertEqual(len(bonus), 1)
        self.assertEqual((bonus.points, bool(bonus.referral_id)), (100, True))
        self.assertEqual(self.moves(referred).mapped("points"), [100, 100])

    def test_loyalty_campaign_awards_once_per_action(self):
        Campaign = self.env["sme.marketing.campaign"]
        campaign = Campaign.create(
            {
                "name": "Diwali loyalty",
                "campaign_type": "loyalty",
                "company_id": self.company_a.id,
            }
        )
        Move = self.Move.sudo(self.marketer_a)
        with self.assertRaisesRegex(UserError, "not active"):
            Move.sme_award_campaign_points(campaign.id, self.asha.id, 50, "survey")
        campaign.sudo().write({"state": "active"})
        first = Move.sme_award_campaign_points(campaign.id, self.asha.id, 50, "survey")
        self.assertEqual(
            (first["points"], first["created"], first["balance"]), (50, True, 50)
        )
        again = Move.sme_award_campaign_points(
            campaign.id, "+91 98765 43210", 50, "survey"
        )
        self.assertEqual(
            (again["move_id"], again["created"]), (first["move_id"], False)
        )
        other = Move.sme_award_campaign_points(campaign.id, self.asha.id, 20, "review")
        self.assertEqual(other["balance"], 70)
        sms = Campaign.create(
            {"name": "SMS", "campaign_type": "sms", "company_id": self.company_a.id}
        )
        with self.assertRaisesRegex(UserError, "not a loyalty campaign"):
            Move.sme_award_campaign_points(sms.id, self.asha.id, 50, "survey")
        with self.assertRaisesRegex(UserError, "points must be"):
            Move.sme_award_campaign_points(campaign.id, self.asha.id, -5, "survey")

    def test_expiry_in_earning_order_once(self):
        first = self.paid_invoice(20000, date="2026-01-20")
        self.paid_invoice(30000, date="2026-03-20")
        self.Move.sudo(self.marketer_a).sme_redeem_points(self.asha.id, 150)
        # FIFO: the redemption took 150 of the first 200.
        old = self.Move.search([("invoice_id", "=", first.id), ("kind", "=", "earned")])
        self.assertEqual(old.remaining, 50)
        self.assertFalse(self.Move._cron_sme_expire_points("2027-01-19"))
        expired = self.Move._cron_sme_expire_points("2027-01-20")
        self.assertEqual(
            (expired.points, expired.origin_move_id, old.remaining), (-50, old, 0)
        )
        self.assertFalse(self.Move._cron_sme_expire_points("2027-01-21"))
        self.assertEqual(self.balance(), 300)
        self.assertEqual(len(self.Move._cron_sme_expire_points("2027-03-20")), 1)
        self.assertEqual(self.balance(), 0)
        self.assertFalse(self.Move._cron_sme_expire_points("2027-12-31"))

    def test_moves_are_immutable(self):
        self.paid_invoice(20000)
        move = self.moves()
        for Move in (self.Move, self.Move.sudo(self.marketer_a)):
            with self.assertRaises((UserError, AccessError)):
                Move.browse(move.id).write({"points": 9999})
            with self.assertRaises((UserError, AccessError)):
                Move.browse(move.id).unlink()
            with self.assertRaises((UserError, AccessError)):
                Move.create(
                    {"partner_id": self.asha.id, "kind": "earned", "points": 10}
                )
        self.assertEqual(move.points, 200)


class TestLoyaltyCompanies(LoyaltyCase):
    def test_record_rules_and_rpc_between_companies(self):
        self.paid_invoice(20000)
        bina = self.customer("Bina Shah", "9822011111", company=self.company_b)
        self.assertTrue(self.Move.sudo(self.marketer_a).search([]))
        self.assertFalse(self.Move.sudo(self.marketer_b).search([]))
        Move_b = self.Move.sudo(self.marketer_b)
        with self.assertRaisesRegex(UserError, "another company"):
            Move_b.sme_loyalty_balance(self.asha.id)
        with self.assertRaisesRegex(UserError, "another company"):
            Move_b.sme_redeem_points(self.asha.id, 100)
        with self.assertRaisesRegex(UserError, "not one of your companies"):
            Move_b.sme_loyalty_balance(bina.id, self.company_a.id)
        self.assertEqual(Move_b.sme_loyalty_balance(bina.id)["balance"], 0)
        self.assertEqual(
            self.Move.sudo(self.marketer_a).sme_loyalty_balance(self.asha.id)[
                "balance"
            ],
            200,
        )

    def test_balance_and_history_over_rpc(self):
        self.paid_invoice(20000)
        Move = self.Move.sudo(self.marketer_a)
        balance = Move.with_context(sme_today="2026-12-25").sme_loyalty_balance(
            self.asha.id
        )
        self.assertEqual(
            balance,
            {
                "partner_id": self.asha.id,
                "company_id": self.company_a.id,
                "balance": 200,
                "value": 200.0,
                "expiring_soon": 200,
                "expiring_on": "2027-01-20",
                "tier": balance["tier"],
            },
        )
        history = Move.sme_loyalty_history(self.asha.id, 10)
        self.assertEqual(
            [(h["kind"], h["points"], h["document"].split(",")[0]) for h in history],
            [("earned", 200, "account.invoice")],
        )
        with self.assertRaisesRegex(UserError, "partner_id must be a record id"):
            Move.sme_loyalty_balance("nobody")
        with self.assertRaisesRegex(UserError, "Unknown customer 2147483000"):
            Move.sme_loyalty_balance(2147483000)
        with self.assertRaisesRegex(UserError, "limit must be"):
            Move.sme_loyalty_history(self.asha.id, 0)
