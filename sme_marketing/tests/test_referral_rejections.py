# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue item 4: a code that names no referrer of the company (mistyped, or
another company's) is said so, with the code and why, and kept as a rejected
referral with the reason."""
from odoo.addons.sme_customer_master.tests.common import CustomerMasterCase


class TestReferralRejections(CustomerMasterCase):
    @classmethod
    def setUpClass(cls):
        super(TestReferralRejections, cls).setUpClass()
        cls.Health = cls.env["sme.customer.health"]
        cls.Referral = cls.env["sme.referral"]
        cls.referrer = cls.Partner.browse(
            cls.Partner.sme_upsert_customer(
                {"name": "Asha Rao", "phone": "9876543210"}, cls.company_a.id
            )["id"]
        )
        cls.code = cls.Health.sme_get_referral_code(cls.referrer.id, cls.company_a.id)
        cls.in_b = cls.Partner.browse(
            cls.Partner.sme_upsert_customer(
                {"name": "Ravi Kumar", "phone": "9822012345"}, cls.company_b.id
            )["id"]
        )
        cls.code_b = cls.Health.sme_get_referral_code(cls.in_b.id, cls.company_b.id)

    def mistyped(self):
        # One character off: a well-formed code nobody has.
        last = "2" if self.code[-1] != "2" else "3"
        return self.code[:-1] + last

    def arrive(self, code, phone="9822077777"):
        return self.Partner.sme_upsert_customer(
            {"name": "Meera Iyer", "phone": phone},
            self.company_a.id,
            referral_code=code,
        )

    def test_mistyped_code_is_kept_rejected_with_the_reason(self):
        typo = self.mistyped()
        result = self.arrive(typo)
        referral = self.Referral.browse(result["referral"]["referral_id"])
        self.assertEqual(
            (referral.status, referral.code, referral.referred_id.id),
            ("rejected", typo, result["id"]),
        )
        self.assertFalse(referral.referrer_id)
        self.assertIn(typo, referral.reason)
        self.assertIn("Unknown referral code", referral.reason)
        self.assertEqual(result["referral"]["reason"], referral.reason)

    def test_code_of_another_company_is_refused_as_such(self):
        result = self.arrive(self.code_b)
        referral = self.Referral.browse(result["referral"]["referral_id"])
        self.assertEqual(referral.status, "rejected")
        self.assertIn(self.code_b, referral.reason)
        self.assertIn("another company", referral.reason)
        self.assertNotIn(
            self.in_b.name, referral.reason, "the other company's customer stays hidden"
        )

    def test_text_that_is_no_code(self):
        result = self.arrive("ABC")
        self.assertIn("'ABC' is not a referral code", result["referral"]["reason"])
        self.assertTrue(result["referral"]["referral_id"])

    def test_the_form_warns_at_once(self):
        typo = self.mistyped()
        draft = self.Partner.new(
            {
                "name": "Meera Iyer",
                "customer": True,
                "company_id": self.company_a.id,
                "sme_referred_by_code": typo,
            }
        )
        warning = draft._onchange_sme_referred_by_code()["warning"]
        self.assertIn(typo, warning["message"])
        self.assertIn("kept as rejected", warning["message"])
        draft.sme_referred_by_code = self.code
        self.assertFalse(draft._onchange_sme_referred_by_code())

    def test_the_form_keeps_the_refused_code_in_sight(self):
        typo = self.mistyped()
        partner = self.Partner.create(
            {
                "name": "Meera Iyer",
                "phone": "9822077777",
                "customer": True,
                "company_id": self.company_a.id,
                "sme_referred_by_code": typo,
            }
        )
        referral = self.Referral.search([("referred_id", "=", partner.id)])
        self.assertEqual((referral.status, referral.code), ("rejected", typo))
        self.assertEqual(partner.sme_referred_by_code, typo)
        self.assertIn("Unknown referral code", partner.sme_referral_rejection)
        self.assertTrue(partner.message_ids.filtered(lambda m: typo in (m.body or "")))
