# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Marketing's public methods check their arguments before the ORM sees
them (issue 14, point 4): a referral code, customer id, reason or score of
the wrong kind is a refusal naming it."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.sme_customer_master.tests.common import CustomerMasterCase


class TestRpcArguments(CustomerMasterCase):
    @classmethod
    def setUpClass(cls):
        super(TestRpcArguments, cls).setUpClass()
        cls.Health = cls.env["sme.customer.health"]
        cls.asha = cls.Partner.browse(
            cls.Partner.sme_upsert_customer(
                {"name": "Asha Rao", "phone": "9876543210"}, cls.company_a.id
            )["id"]
        )

    def assertRefused(self, call, fragment, exception=UserError):
        with self.assertRaises(exception) as caught:
            call()
        self.assertIn(fragment, caught.exception.name)

    def test_referral_code_of_the_wrong_kind(self):
        for code in [
            ["K7QX-M2PA"],
            {"code": 1},
            12345678,
            "K" * 33,
            "K7QX\x00M2PA",
            float("nan"),
        ]:
            self.assertRefused(
                lambda: self.Partner.sme_upsert_customer(
                    {"name": "Meera Iyer", "phone": "9822077777"},
                    self.company_a.id,
                    referral_code=code,
                ),
                "referral_code",
            )
            self.assertRefused(
                lambda: self.Partner.sme_upsert_customer(
                    {
                        "name": "Meera Iyer",
                        "phone": "9822077777",
                        "referral_code": code,
                    },
                    self.company_a.id,
                ),
                "referral_code",
            )
        self.assertFalse(
            self.Partner.sme_find_customer_by_phone("9822077777", self.company_a.id)
        )

    def test_customer_ids_of_the_wrong_kind(self):
        calls = [
            lambda partner_id: self.Health.sme_get_referral_code(
                partner_id, self.company_a.id
            ),
            lambda partner_id: self.Health.sme_post_scores(
                partner_id, {"support": 50}, "", self.company_a.id
            ),
            lambda partner_id: self.Health.sme_record_campaign_response(
                partner_id, "", self.company_a.id
            ),
        ]
        for call in calls:
            for partner_id in ["abc", [1], {"id": 1}, 2**40, -1, None, True, 1.5]:
                self.assertRefused(
                    lambda: call(partner_id), "partner_id must be a record id"
                )
            self.assertRefused(lambda: call(2**31 - 1), "does not exist")

    def test_reasons_scores_and_companies(self):
        post = self.Health.sme_post_scores
        self.assertRefused(
            lambda: post(self.asha.id, {"support": 50}, ["why"], self.company_a.id),
            "reason must be a text",
        )
        self.assertRefused(
            lambda: post(self.asha.id, {"support": 50}, "R" * 300, self.company_a.id),
            "reason must be a text",
        )
        self.assertRefused(
            lambda: self.Health.sme_record_campaign_response(
                self.asha.id, "Diwali\x0b", self.company_a.id
            ),
            "U+000B",
        )
        for score in ["50", float("nan"), 101, True, [50]]:
            self.assertRefused(
                lambda: post(self.asha.id, {"support": score}, "", self.company_a.id),
                "0 to 100",
            )
        self.assertRefused(
            lambda: post(self.asha.id, ["support"], "", self.company_a.id), "dictionary"
        )
        self.assertRefused(
            lambda: post(self.asha.id, {"support": 50}, "", "abc"), "company_id"
        )
        self.assertRefused(
            lambda: self.Health.sudo(self.user_b).sme_get_referral_code(
                self.asha.id, self.company_a.id
            ),
            "not allowed",
            AccessError,
        )
        summary = post(
            self.asha.id, {"support": 80}, "Helpdesk nightly", self.company_a.id
        )
        self.assertEqual(summary["support_score"], 80)
