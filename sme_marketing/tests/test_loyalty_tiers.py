# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Loyalty tiers: the standard tiers of every company, promotion and
demotion by the points of the 12 months to a fixed day (the daily scheduled
action and the evaluation after a payment), dated history rows and chatter
notes, the tier's customer group given and taken back (a group chosen by
hand is kept), and the record rules between two companies."""
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.sme_customer_master.tests.common import CustomerMasterCase


class TestLoyaltyTiers(CustomerMasterCase):
    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyTiers, cls).setUpClass()
        cls.Tier = cls.env["sme.loyalty.tier"]
        cls.History = cls.env["sme.loyalty.tier.history"]
        cls.Move = cls.env["sme.loyalty.move"]
        tiers = cls.Tier.search([("company_id", "=", cls.company_a.id)])
        cls.silver, cls.gold, cls.platinum = (
            tiers.filtered(lambda t, name=name: t.name == name)
            for name in ("Silver", "Gold", "Platinum")
        )
        cls.silver.customer_group_id.amount = 2.0
        cls.gold.customer_group_id.amount = 5.0
        cls.asha = cls.customer("Asha Rao", "9876543210")
        marketing = cls.env.ref("sme_marketing.group_sme_marketing_user")
        cls.mkt_a = cls._make_user("mkt_a", cls.company_a, marketing)
        cls.mkt_b = cls._make_user("mkt_b", cls.company_b, marketing)

    @classmethod
    def customer(cls, name, phone, company=None):
        return cls.Partner.browse(
            cls.Partner.sme_upsert_customer(
                {"name": name, "phone": phone}, (company or cls.company_a).id
            )["id"]
        )

    def earn(self, partner, points, date, company=None):
        return self.Move._sme_earn(
            partner, company or self.company_a, points, {"date": date, "reason": "Test"}
        )

    def evaluate(self, day, partner=None, company=None):
        return self.Tier._sme_evaluate(
            partner or self.asha, company or self.company_a, day
        )

    def history(self, partner=None):
        return self.History.search(
            [("partner_id", "=", (partner or self.asha).id)], order="date_from, id"
        )

    def test_every_company_has_standard_tiers(self):
        for company in (self.company_a, self.company_b):
            tiers = self.Tier.search([("company_id", "=", company.id)])
            self.assertEqual(
                [(t.name, t.min_points_12m) for t in tiers],
                [("Silver", 1000), ("Gold", 5000), ("Platinum", 20000)],
            )
            self.assertEqual(tiers.mapped("customer_group_id.company_id"), company)
        group_b = self.Tier.search(
            [("company_id", "=", self.company_b.id), ("name", "=", "Silver")]
        ).customer_group_id
        self.assertEqual(group_b.amount, 0.0, "no discount until the company sets it")
        self.assertFalse(
            self.Tier._sme_create_defaults(self.company_a), "never a second set"
        )

    def test_promotion_and_demotion_by_date(self):
        self.earn(self.asha, 600, "2025-02-10")
        self.earn(self.asha, 600, "2025-06-01")
        self.assertFalse(self.evaluate("2025-05-31"))
        self.assertFalse(self.asha.sme_loyalty_tier_id)
        self.assertEqual(self.evaluate("2025-06-01"), self.asha)
        self.assertEqual(self.asha.sme_loyalty_tier_id, self.silver)
        self.assertEqual(self.asha.sme_customer_group_id, self.silver.customer_group_id)
        row = self.history()
        self.assertEqual(
            (row.tier_id, row.previous_tier_id.id, row.date_from, row.date_to),
            (self.silver, False, "2025-06-01", False),
        )
        self.assertEqual(row.points, 1200)
        self.assertIn("1200 points earned from 2024-06-02 to 2025-06-01", row.reason)
        self.assertIn("Promoted to loyalty tier Silver", self.asha.message_ids[0].body)
        # Evaluated again (another payment, the cron): nothing changes.
        self.assertFalse(self.evaluate("2025-06-01"))
        self.assertEqual(len(self.history()), 1)
        # The points of 2025-02-10 leave the window on 2026-02-10.
        self.assertFalse(self.Tier._cron_sme_evaluate_tiers(day="2026-02-09"))
        self.assertEqual(self.asha.sme_loyalty_tier_id, self.silver)
        self.assertEqual(
            self.Tier.with_context(sme_today="2026-02-10")._cron_sme_evaluate_tiers(),
            self.asha,
        )
        self.assertFalse(self.asha.sme_loyalty_tier_id)
        self.assertFalse(self.asha.sme_customer_group_id, "the benefit is taken back")
        first, second = self.history()
        self.assertEqual(first.date_to, "2026-02-10")
        self.assertEqual(
            (second.tier_id.id, second.previous_tier_id, second.date_from),
            (False, self.silver, "2026-02-10"),
        )
        self.assertIn("below Silver (1000 points)", second.reason)
        self.assertIn("Left loyalty tier Silver", self.asha.message_ids[0].body)

    def test_up_and_down_the_tiers(self):
        self.earn(self.asha, 5200, "2025-03-01")
        self.evaluate("2025-03-01")
        self.assertEqual(self.asha.sme_loyalty_tier_id, self.gold, "straight to gold")
        self.earn(self.asha, 15000, "2025-04-01")
        self.evaluate("2025-04-01")
        self.assertEqual(self.asha.sme_loyalty_tier_id, self.platinum)
        self.assertEqual(
            self.asha.sme_customer_group_id, self.platinum.customer_group_id
        )
        self.evaluate("2026-03-01")
        self.assertEqual(self.asha.sme_loyalty_tier_id, self.gold)
        self.assertEqual(self.asha.sme_customer_group_id, self.gold.customer_group_id)
        self.assertIn("Demoted to loyalty tier Gold", self.asha.message_ids[0].body)
        rows = self.history()
        self.assertEqual(
            [(r.tier_id.name, r.date_from, r.date_to) for r in rows],
            [
                ("Gold", "2025-03-01", "2025-04-01"),
                ("Platinum", "2025-04-01", "2026-03-01"),
                ("Gold", "2026-03-01", False),
            ],
        )

    def test_group_chosen_by_hand_is_kept(self):
        wholesale = self.env["sme.customer.group"].create(
            {"name": "Wholesale", "company_id": self.company_a.id, "amount": 10.0}
        )
        self.asha.sme_customer_group_id = wholesale
        self.earn(self.asha, 1500, "2025-06-01")
        self.evaluate("2025-06-01")
        self.assertEqual(self.asha.sme_loyalty_tier_id, self.silver)
        self.assertEqual(self.asha.sme_customer_group_id, wholesale)
        self.evaluate("2026-06-01")
        self.assertFalse(self.asha.sme_loyalty_tier_id)
        self.assertEqual(self.asha.sme_customer_group_id, wholesale)

    def test_only_the_company_points_count(self):
        ravi_b = self.customer("Ravi Kumar", "9822012345", self.company_b)
        self.earn(ravi_b, 1500, "2025-06-01", self.company_b)
        self.assertFalse(self.evaluate("2025-06-01", ravi_b, self.company_a))
        self.evaluate("2025-06-01", ravi_b, self.company_b)
        self.assertEqual(ravi_b.sme_loyalty_tier_id.company_id, self.company_b)
        self.assertEqual(ravi_b.sme_customer_group_id.company_id, self.company_b)

    def test_tier_checks(self):
        group_b = self.env["sme.customer.group"].create(
            {"name": "Builders", "company_id": self.company_b.id}
        )
        with self.assertRaisesRegex(ValidationError, "belongs to Test Traders B"):
            self.silver.customer_group_id = group_b
        with self.assertRaises(IntegrityError), mute_logger(
            "odoo.sql_db"
        ), self.env.cr.savepoint():
            self.Tier.create(
                {
                    "name": "Bronze",
                    "company_id": self.company_a.id,
                    "min_points_12m": 1000,
                }
            )
        with self.assertRaises(IntegrityError), mute_logger(
            "odoo.sql_db"
        ), self.env.cr.savepoint():
            self.Tier.create(
                {"name": "Bronze", "company_id": self.company_a.id, "min_points_12m": 0}
            )

    def test_record_rules_between_companies(self):
        ravi_b = self.customer("Ravi Kumar", "9822012345", self.company_b)
        self.earn(self.asha, 1500, "2025-06-01")
        self.earn(ravi_b, 1500, "2025-06-01", self.company_b)
        self.Tier._cron_sme_evaluate_tiers(day="2025-06-01")
        self.assertEqual(self.asha.sme_loyalty_tier_id, self.silver)
        self.assertTrue(ravi_b.sme_loyalty_tier_id)
        for user, company in (
            (self.mkt_a, self.company_a),
            (self.mkt_b, self.company_b),
        ):
            for model in ("sme.loyalty.tier", "sme.loyalty.tier.history"):
                records = self.env[model].sudo(user).search([])
                self.assertTrue(records)
                self.assertEqual(records.mapped("company_id"), company, model)
        with self.assertRaises(AccessError):
            self.silver.sudo(self.mkt_b).read(["name"])
        with self.assertRaises(AccessError):
            self.history(self.asha).sudo(self.mkt_b).read(["reason"])
        with self.assertRaises(AccessError):
            self.Tier.sudo(self.mkt_a).create({"name": "Bronze", "min_points_12m": 100})
