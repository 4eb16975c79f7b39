# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The documented formulas, on their own."""
import unittest

from odoo.addons.sme_marketing.tools import health_formulas as f
from odoo.addons.sme_marketing.tools.referral_codes import (
    ALPHABET,
    new_referral_code,
    normalize_referral_code,
    reward_amount,
)

ON_TIME = f.InvoiceOutcome(days_late=None, overdue=False)
LATE = f.InvoiceOutcome(days_late=12, overdue=False)
OVERDUE = f.InvoiceOutcome(days_late=None, overdue=True)


class TestHealthFormulas(unittest.TestCase):
    def test_payment_score(self):
        self.assertEqual(f.payment_score([]), 100)
        self.assertEqual(f.payment_score([ON_TIME, ON_TIME]), 100)
        self.assertEqual(f.payment_score([ON_TIME, LATE]), 75)
        self.assertEqual(f.payment_score([ON_TIME, OVERDUE]), 50)
        self.assertEqual(f.payment_score([OVERDUE]), 0)

    def test_engagement_score(self):
        self.assertEqual(f.engagement_score(None, 0, 0), 0)
        self.assertEqual(f.engagement_score(10, 1, 0), 70)
        self.assertEqual(f.engagement_score(60, 5, 0), 70)
        self.assertEqual(f.engagement_score(100, 2, 1), 45)
        self.assertEqual(f.engagement_score(365, 0, 9), 10)
        self.assertEqual(f.engagement_score(1, 9, 9), 100)

    def test_overall_uses_known_scores_and_weights(self):
        weights = {"payment": 40, "engagement": 30, "support": 15, "usage": 15}
        scores = {"payment": 100, "engagement": 40, "support": None, "usage": None}
        self.assertEqual(f.overall_score(scores, weights), 74)  # (4000 + 1200) / 70
        scores.update(support=20, usage=60)
        self.assertEqual(
            f.overall_score(scores, weights), 64
        )  # (4000+1200+300+900) / 100
        self.assertEqual(f.overall_score(scores, dict.fromkeys(weights, 0)), 0)

    def test_credit_hold_counts_the_payment_score_as_zero(self):
        weights = {"payment": 40, "engagement": 30, "support": 15, "usage": 15}
        scores = {"payment": 100, "engagement": 70, "support": None, "usage": None}
        self.assertEqual(f.overall_score(scores, weights), 87)
        self.assertEqual(
            f.overall_score(scores, weights, credit_hold=True), 30
        )  # 2100 / 70

    def test_segments(self):
        self.assertEqual(
            [f.segment(s, 70, 40) for s in (100, 70, 69, 40, 39, 0)],
            ["healthy", "healthy", "at_risk", "at_risk", "critical", "critical"],
        )
        self.assertEqual(f.segment(57, 70, 40, has_history=False), "new")


class TestReferralCodes(unittest.TestCase):
    def test_codes_are_random_and_readable(self):
        codes = {new_referral_code() for _ in range(200)}
        self.assertEqual(len(codes), 200)
        for code in codes:
            self.assertRegex(code, r"^[%s]{4}-[%s]{4}$" % (ALPHABET, ALPHABET))

    def test_normalize(self):
        self.assertEqual(normalize_referral_code(" k7qx m2pa "), "K7QX-M2PA")
        self.assertEqual(normalize_referral_code("K7QX-M2PA"), "K7QX-M2PA")
        self.assertIsNone(normalize_referral_code("K7QX"))

    def test_reward_rules(self):
        self.assertEqual(reward_amount("fixed", 500, 0, 0, 10000), 500)
        self.assertEqual(reward_amount("percent", 0, 5, 0, 10000), 500)
        self.assertEqual(reward_amount("percent", 0, 5, 300, 10000), 300)
        self.assertEqual(reward_amount("fixed", 500, 0, 200, 10000), 200)
