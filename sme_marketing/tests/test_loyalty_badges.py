# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Loyalty badges (each once per customer however often the events come:
paid invoices, qualified referrals, years as a customer by the daily
scheduled action), the tier reached by a payment, the leaderboard by month
and quarter over XML-RPC with its argument checks, and the record rules
between two companies."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.sme_customer_master.tests.common import InvoiceCase


class TestLoyaltyBadges(InvoiceCase):
    @classmethod
    def setUpClass(cls):
        super(TestLoyaltyBadges, cls).setUpClass()
        cls.Badge = cls.env["sme.loyalty.badge"]
        cls.Award = cls.env["sme.loyalty.badge.award"]
        cls.Board = cls.env["sme.loyalty.leaderboard"]
        cls.Move = cls.env["sme.loyalty.move"]
        cls.Health = cls.env["sme.customer.health"]
        badges = cls.Badge.search([("company_id", "=", cls.company_a.id)])
        cls.first, cls.tenth, cls.referrals, cls.year = (
            badges.filtered(lambda b, rule=rule: b.rule == rule)
            for rule in (
                "first_purchase",
                "invoices_count",
                "referrals",
                "customer_years",
            )
        )
        cls.tenth.threshold = 2
        cls.referrals.threshold = 2
        cls.company_a.sme_referral_reward_account_id = cls.env[
            "account.account"
        ].search(
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
        marketing = cls.env.ref("sme_marketing.group_sme_marketing_user")
        cls.mkt_a = cls._make_user("mkt_a", cls.company_a, marketing)
        cls.mkt_b = cls._make_user("mkt_b", cls.company_b, marketing)
        cls.asha = cls.customer("Asha Rao", "9876543210")

    def paid_invoice(self, partner, amount=2000):
        invoice = self.make_invoice(amount, partner_id=partner.id)
        invoice.action_invoice_open()
        self.pay(invoice)
        return invoice

    def awards(self, partner=None):
        return self.Award.search([("partner_id", "=", (partner or self.asha).id)])

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

    def test_every_company_has_standard_badges(self):
        for company in (self.company_a, self.company_b):
            self.assertEqual(
                [
                    (b.name, b.rule, b.threshold)
                    for b in self.Badge.search([("company_id", "=", company.id)])
                ],
                [
                    ("First purchase", "first_purchase", 1),
                    (
                        "Tenth invoice",
                        "invoices_count",
                        10 if company == self.company_b else 2,
                    ),
                    (
                        "Five referrals",
                        "referrals",
                        5 if company == self.company_b else 2,
                    ),
                    ("One year as a customer", "customer_years", 1),
                ],
            )

    def test_invoice_badges_once_each(self):
        self.paid_invoice(self.asha)
        self.assertEqual(self.awards().mapped("badge_id"), self.first)
        self.assertIn("Badge earned: First purchase", self.asha.message_ids[0].body)
        # The same events again, and the scheduled action: nothing new.
        self.assertFalse(self.Badge._sme_award(self.asha, self.company_a))
        self.Badge._cron_sme_award_badges()
        self.assertEqual(len(self.awards()), 1)
        self.paid_invoice(self.asha)
        self.assertEqual(self.awards().mapped("badge_id"), self.first | self.tenth)
        self.paid_invoice(self.asha)
        self.Badge._cron_sme_award_badges()
        self.assertEqual(len(self.awards()), 2)
        self.assertEqual(self.first.award_count, 1)

    def test_referral_badge_of_the_referrer(self):
        code = self.Health.sme_get_referral_code(self.asha.id, self.company_a.id)
        for name, phone in (("Meera Iyer", "9822077777"), ("Kiran Shah", "9822088888")):
            referred = self.Partner.browse(
                self.Partner.sme_upsert_customer(
                    {"name": name, "phone": phone},
                    self.company_a.id,
                    referral_code=code,
                )["id"]
            )
            self.assertNotIn(self.referrals, self.awards().mapped("badge_id"))
            self.paid_invoice(referred)
        self.assertIn(self.referrals, self.awards().mapped("badge_id"))
        self.assertEqual(
            self.awards().filtered(lambda a: a.badge_id == self.referrals).reason,
            "2 qualified referrals",
        )

    def test_years_as_a_customer_by_date(self):
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = '2024-05-01 09:00:00' WHERE id = %s",
            (self.asha.id,),
        )
        self.asha.invalidate_cache()
        self.Badge._cron_sme_award_badges(day="2025-04-30")
        self.assertFalse(self.awards())
        self.Badge.with_context(sme_today="2025-05-01")._cron_sme_award_badges()
        award = self.awards()
        self.assertEqual((award.badge_id, award.date), (self.year, "2025-05-01"))
        self.Badge._cron_sme_award_badges(day="2025-06-01")
        self.assertEqual(self.awards(), award)

    def test_payment_promotes_to_a_tier(self):
        silver = self.env["sme.loyalty.tier"].search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Silver")]
        )
        silver.min_points_12m = 15
        self.paid_invoice(self.asha, 2000)  # 20 points at 0.01 a rupee
        self.assertEqual(self.asha.sme_loyalty_tier_id, silver)
        self.assertEqual(self.asha.sme_customer_group_id, silver.customer_group_id)

    def test_leaderboard_by_month_and_quarter(self):
        ravi = self.customer("Ravi Kumar", "9822012345")
        meera = self.customer("Meera Iyer", "9822077777")
        kiran_b = self.customer("Kiran Shah", "9822088888", self.company_b)
        self.earn(self.asha, 300, "2026-01-05")
        self.earn(ravi, 500, "2026-01-20")
        self.earn(meera, 100, "2026-02-02")
        self.earn(self.asha, 400, "2026-03-31")
        self.earn(ravi, 900, "2026-04-01")
        self.earn(kiran_b, 1000, "2026-01-10", self.company_b)
        board = self.Board.sudo(self.mkt_a)

        def ranking(period, date, limit=10):
            return [
                (row["rank"], row["partner_id"], row["points"])
                for row in board.sme_loyalty_leaderboard(period, date, limit)
            ]

        self.assertEqual(
            ranking("month", "2026-01-31"), [(1, ravi.id, 500), (2, self.asha.id, 300)]
        )
        self.assertEqual(ranking("month", "2026-02-10"), [(1, meera.id, 100)])
        self.assertEqual(
            ranking("quarter", "2026-02-15"),
            [(1, self.asha.id, 700), (2, ravi.id, 500), (3, meera.id, 100)],
        )
        self.assertEqual(ranking("quarter", "2026-01-01", 2)[-1], (2, ravi.id, 500))
        self.assertEqual(ranking("quarter", "2026-04-01"), [(1, ravi.id, 900)])
        row = board.sme_loyalty_leaderboard(period="quarter", date="2026-03-01")[0]
        self.assertEqual(
            (row["partner_name"], row["date_start"], row["date_end"]),
            ("Asha Rao", "2026-01-01", "2026-03-31"),
        )
        self.assertEqual(
            self.Board.sudo(self.mkt_b).sme_loyalty_leaderboard("month", "2026-01-10")[
                0
            ]["partner_id"],
            kiran_b.id,
        )
        self.assertEqual(
            board.search([]).mapped("company_id"), self.company_a, "record rule"
        )
        with self.assertRaisesRegex(UserError, "period must be one of month, quarter"):
            board.sme_loyalty_leaderboard("year")
        with self.assertRaisesRegex(UserError, "date must be a date 'YYYY-MM-DD'"):
            board.sme_loyalty_leaderboard("month", "2026-13-01")
        with self.assertRaisesRegex(UserError, "date must be"):
            board.sme_loyalty_leaderboard("month", 20260101)
        with self.assertRaisesRegex(UserError, "limit must be a whole number"):
            board.sme_loyalty_leaderboard("month", None, 0)
        with self.assertRaises(AccessError):
            board.sme_loyalty_leaderboard("month", None, 10, self.company_b.id)

    def test_record_rules_between_companies(self):
        kiran_b = self.customer("Kiran Shah", "9822088888", self.company_b)
        self.Badge._sme_award(self.asha, self.company_a)
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = '2020-01-01' WHERE id IN %s",
            ((self.asha.id, kiran_b.id),),
        )
        self.Badge._cron_sme_award_badges(day="2025-01-01")
        self.assertTrue(self.awards(kiran_b))
        for user, company in (
            (self.mkt_a, self.company_a),
            (self.mkt_b, self.company_b),
        ):
            for model in ("sme.loyalty.badge", "sme.loyalty.badge.award"):
                records = self.env[model].sudo(user).search([])
                self.assertTrue(records)
                self.assertEqual(records.mapped("company_id"), company, model)
        with self.assertRaises(AccessError):
            self.awards().sudo(self.mkt_b).read(["reason"])
        with self.assertRaises(AccessError):
            self.first.sudo(self.mkt_a).write({"threshold": 3})
