# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Referral codes, referrals through the master's upsert, qualification on
the first paid invoice, one reward, settled once as a credit note."""
from lxml import etree

from odoo.exceptions import RedirectWarning, UserError, ValidationError

from odoo.addons.sme_customer_master.tests.common import InvoiceCase


class TestReferrals(InvoiceCase):
    @classmethod
    def setUpClass(cls):
        super(TestReferrals, cls).setUpClass()
        cls.Health = cls.env["sme.customer.health"]
        cls.Referral = cls.env["sme.referral"]
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
        cls.company_a.sme_referral_reward_account_id = expense

    def setUp(self):
        super(TestReferrals, self).setUp()
        self.referrer = self.customer("Asha Rao", "9876543210")
        self.code = self.Health.sme_get_referral_code(
            self.referrer.id, self.company_a.id
        )

    def arrive(self, name, phone, code=None):
        return self.Partner.sme_upsert_customer(
            {"name": name, "phone": phone},
            self.company_a.id,
            referral_code=code or self.code,
        )

    def test_code_is_stable_and_unique_per_customer(self):
        self.assertEqual(
            self.Health.sme_get_referral_code(self.referrer.id, self.company_a.id),
            self.code,
        )
        other = self.customer("Ravi Kumar", "9822012345")
        self.assertNotEqual(
            self.Health.sme_get_referral_code(other.id, self.company_a.id), self.code
        )

    def test_new_customer_with_code_is_a_pending_referral(self):
        result = self.arrive(
            "Meera Iyer", "9822077777", self.code.lower().replace("-", " ")
        )
        self.assertTrue(result["is_new"])
        self.assertEqual(result["referral"]["status"], "pending")
        referral = self.Referral.browse(result["referral"]["referral_id"])
        self.assertEqual(
            (referral.referrer_id, referral.referred_id.id),
            (self.referrer, result["id"]),
        )

    def test_code_as_a_key_of_the_values(self):
        result = self.Partner.sme_upsert_customer(
            {"name": "Meera Iyer", "phone": "9822077777", "referral_code": self.code},
            self.company_a.id,
        )
        self.assertEqual(result["referral"]["status"], "pending")

    def test_refusals_have_reasons(self):
        self_referral = self.arrive("Asha Rao", "9876543210")
        self.assertEqual(self_referral["referral"]["status"], "rejected")
        self.assertIn("refer themselves", self_referral["referral"]["reason"])
        existing = self.customer("Ravi Kumar", "9822012345")
        already = self.arrive("Ravi Kumar", "9822012345")
        self.assertIn("already a customer", already["referral"]["reason"])
        self.assertEqual(
            self.Referral.browse(already["referral"]["referral_id"]).referred_id,
            existing,
        )
        first = self.arrive("Meera Iyer", "9822077777")
        second_referrer = self.customer("Kiran Shah", "9822088888")
        other_code = self.Health.sme_get_referral_code(
            second_referrer.id, self.company_a.id
        )
        second = self.arrive("Meera Iyer", "9822077777", other_code)
        self.assertEqual(second["id"], first["id"])
        self.assertIn("already referred by Asha Rao", second["referral"]["reason"])
        unknown = self.arrive("Nobody New", "9822099999", "ZZZZ-ZZZZ")
        self.assertEqual(unknown["referral"]["status"], "rejected")
        self.assertTrue(
            unknown["referral"]["referral_id"], "a code naming nobody is kept too"
        )

    def test_first_paid_invoice_qualifies_and_rewards_once(self):
        referred = self.Partner.browse(self.arrive("Meera Iyer", "9822077777")["id"])
        first = self.make_invoice(2000, partner_id=referred.id)
        first.action_invoice_open()
        referral = self.Referral.search([("referred_id", "=", referred.id)])
        self.assertEqual(referral.status, "pending")
        self.pay(first)
        self.assertEqual(referral.status, "qualified")
        self.assertEqual(referral.first_invoice_id, first)
        self.assertEqual(len(referral.reward_ids), 1)
        self.assertEqual(referral.reward_ids.amount, 500.0)
        second = self.make_invoice(3000, partner_id=referred.id)
        second.action_invoice_open()
        self.pay(second)
        self.assertEqual(len(referral.reward_ids), 1)

    def test_percent_rule_with_cap(self):
        self.company_a.write(
            {
                "sme_referral_reward_type": "percent",
                "sme_referral_reward_percent": 10,
                "sme_referral_reward_cap": 150,
            }
        )
        referred = self.Partner.browse(self.arrive("Meera Iyer", "9822077777")["id"])
        invoice = self.make_invoice(2000, partner_id=referred.id)
        invoice.action_invoice_open()
        self.pay(invoice)
        self.assertEqual(
            self.Referral.search([("referred_id", "=", referred.id)]).reward_ids.amount,
            150.0,
        )

    def test_settle_books_one_credit_note(self):
        referred = self.Partner.browse(self.arrive("Meera Iyer", "9822077777")["id"])
        invoice = self.make_invoice(2000, partner_id=referred.id)
        invoice.action_invoice_open()
        self.pay(invoice)
        reward = self.Referral.search([("referred_id", "=", referred.id)]).reward_ids
        reward.sudo(self.user_a).action_settle()
        credit_note = reward.credit_note_id
        self.assertEqual(
            (
                credit_note.type,
                credit_note.state,
                credit_note.partner_id,
                credit_note.amount_total,
            ),
            ("out_refund", "open", self.referrer, 500.0),
        )
        self.assertEqual(
            (reward.state, reward.referral_id.status), ("settled", "rewarded")
        )
        with self.assertRaises(UserError):
            reward.sudo(self.user_a).action_settle()
        self.assertEqual(
            self.env["account.invoice"].search_count(
                [("type", "=", "out_refund"), ("partner_id", "=", self.referrer.id)]
            ),
            1,
        )

    def test_pending_referrals_expire(self):
        result = self.arrive("Meera Iyer", "9822077777")
        referral = self.Referral.browse(result["referral"]["referral_id"])
        referral.date = "2026-01-01"
        self.company_a.sme_referral_expiry_days = 30
        self.assertFalse(self.Referral._cron_sme_expire_referrals("2026-01-31"))
        self.assertEqual(
            self.Referral._cron_sme_expire_referrals("2026-02-01"), referral
        )
        self.assertEqual(referral.status, "expired")

    def test_code_entered_on_the_customer_form(self):
        partner = self.Partner.create(
            {
                "name": "Meera Iyer",
                "phone": "9822077777",
                "customer": True,
                "company_id": self.company_a.id,
                "sme_referred_by_code": self.code,
            }
        )
        referral = self.Referral.search([("referred_id", "=", partner.id)])
        self.assertEqual(
            (referral.status, referral.referrer_id), ("pending", self.referrer)
        )
        self.assertEqual(partner.sme_referred_by_code, self.code)

    def test_customer_with_referrals_is_archived_not_deleted(self):
        referred = self.Partner.browse(self.arrive("Meera Iyer", "9822077777")["id"])
        plain = self.customer("Ravi Kumar", "9822012345")
        (referred | plain).unlink()
        self.assertTrue(referred.exists())
        self.assertFalse(referred.active)
        self.assertFalse(
            plain.exists(), "a customer with nothing but an empty profile is deleted"
        )

    # Issue item 10: settling without a chosen account, credit note numbering.
    def _reward(self):
        referred = self.Partner.browse(self.arrive("Meera Iyer", "9822077777")["id"])
        invoice = self.make_invoice(2000, partner_id=referred.id)
        invoice.action_invoice_open()
        self.pay(invoice)
        return (
            invoice,
            self.Referral.search([("referred_id", "=", referred.id)]).reward_ids,
        )

    def test_settle_without_a_chosen_account_uses_the_charts_expense_account(self):
        self.company_a.sme_referral_reward_account_id = False
        _invoice, reward = self._reward()
        reward.sudo(self.user_a).action_settle()
        default = (
            self.env["ir.property"]
            .with_context(force_company=self.company_a.id)
            .get("property_account_expense_categ_id", "product.category")
        )
        self.assertTrue(default)
        self.assertEqual(reward.credit_note_id.invoice_line_ids.account_id, default)

    def test_no_expense_account_at_all_points_to_settings(self):
        bare = self.env["res.company"].create({"name": "No Chart Traders"})
        with self.assertRaises(RedirectWarning) as caught:
            bare._sme_reward_expense_account()
        self.assertIn("No Chart Traders", caught.exception.args[0])
        self.assertEqual(
            caught.exception.args[1],
            self.env.ref("sme_customer_master.res_config_settings_action").id,
        )

    def test_credit_note_is_numbered_in_the_credit_note_series(self):
        invoice, reward = self._reward()
        reward.sudo(self.user_a).action_settle()
        credit_note = reward.credit_note_id
        journal = credit_note.journal_id
        self.assertTrue(journal.refund_sequence and journal.refund_sequence_id)
        series = journal.refund_sequence_id.prefix.split("/")[0]
        self.assertEqual(credit_note.number.split("/")[0], series)
        self.assertNotEqual(
            credit_note.number.split("/")[0], invoice.number.split("/")[0]
        )

    # Issue item 15: referrals by hand, codes without a button.
    def test_every_new_customer_has_a_code_without_a_button(self):
        customer = self.customer("Ravi Kumar", "9822012345")
        profile = self.Health.search([("partner_id", "=", customer.id)])
        self.assertRegex(profile.referral_code or "", r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")

    def test_marketing_user_records_a_referral_by_hand(self):
        marketing = self.env.ref("sme_marketing.group_sme_marketing_user")
        user = self._make_user("mk_hand", self.company_a, marketing)
        referred = self.customer("Ravi Kumar", "9822012345")
        referral = self.Referral.sudo(user).create(
            {"referrer_id": self.referrer.id, "referred_id": referred.id}
        )
        self.assertEqual(
            (referral.status, referral.company_id, referral.code),
            ("pending", self.company_a, self.code),
        )
        form = self.Referral.sudo(user).fields_view_get(view_type="form")["arch"]
        self.assertNotEqual(etree.fromstring(form).get("create"), "false")
        with self.assertRaises(ValidationError):
            self.Referral.sudo(user).create(
                {"referrer_id": self.referrer.id, "referred_id": referred.id}
            )

    def test_referral_by_hand_is_company_checked(self):
        in_b = self.customer("Kiran Shah", "9822088888", self.company_b)
        with self.assertRaises(ValidationError):
            self.Referral.create(
                {
                    "company_id": self.company_a.id,
                    "referrer_id": self.referrer.id,
                    "referred_id": in_b.id,
                }
            )
        with self.assertRaises(ValidationError):
            self.Referral.create(
                {
                    "company_id": self.company_a.id,
                    "referrer_id": self.referrer.id,
                    "referred_id": self.referrer.id,
                }
            )
