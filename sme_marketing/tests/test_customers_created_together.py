# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers an import creates together get what one created alone gets:
a health profile with its referral code and an onboarding with its steps."""
from odoo.addons.sme_customer_master.tests.common import CustomerMasterCase

HEALTH_FIELDS = [
    "payment_score",
    "engagement_score",
    "overall_score",
    "segment",
    "invoice_count",
]


class TestCustomersCreatedTogether(CustomerMasterCase):
    def _marketing_of(self, partner):
        health = self.env["sme.customer.health"].search(
            [("partner_id", "=", partner.id)]
        )
        onboarding = self.env["sme.onboarding"].search(
            [("partner_id", "=", partner.id)]
        )
        self.assertEqual((len(health), len(onboarding)), (1, 1), partner.name)
        self.assertTrue(health.referral_code)
        steps = [
            (step.name, step.trigger, step.done, bool(step.done_date))
            for step in onboarding.step_ids
        ]
        return health.read(HEALTH_FIELDS)[0], (
            onboarding.state,
            onboarding.progress,
            steps,
        )

    def _without_ids(self, marketing):
        health, onboarding = marketing
        return {key: value for key, value in health.items() if key != "id"}, onboarding

    def test_same_as_a_customer_created_alone(self):
        alone = self.customer("Alone", "98210 00001", email="alone@example.in")
        together = self.Partner._sme_create_customers(
            [
                {
                    "name": "Together %d" % n,
                    "phone": "98210 1000%d" % n,
                    "email": "t%d@example.in" % n,
                }
                for n in range(3)
            ]
            + [{"name": "No mail", "phone": "98210 20000"}],
            self.company_a,
        )
        expected = self._without_ids(self._marketing_of(alone))
        for partner in together[:3]:
            self.assertEqual(self._without_ids(self._marketing_of(partner)), expected)
        _health, (state, progress, steps) = self._marketing_of(together[3])
        self.assertEqual((state, progress), ("running", 0.0))
        self.assertFalse(any(done for _name, _trigger, done, _date in steps))
        codes = (
            self.env["sme.customer.health"]
            .search([("partner_id", "in", together.ids)])
            .mapped("referral_code")
        )
        self.assertEqual(len(set(codes)), 4)

    def test_each_company_its_template(self):
        self.env["sme.onboarding.template"].create(
            {
                "name": "Wholesale",
                "company_id": self.company_b.id,
                "step_ids": [(0, 0, {"name": "KYC documents", "trigger": "manual"})],
            }
        )
        in_b = self.Partner._sme_create_customers(
            [
                {"name": "B one", "phone": "98211 00001"},
                {"name": "B two", "phone": "98211 00002"},
            ],
            self.company_b,
        )
        for partner in in_b:
            onboarding = self.env["sme.onboarding"].search(
                [("partner_id", "=", partner.id)]
            )
            self.assertEqual(onboarding.step_ids.mapped("name"), ["KYC documents"])
            self.assertEqual(onboarding.company_id, self.company_b)
