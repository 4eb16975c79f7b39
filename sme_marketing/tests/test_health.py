# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Health profiles driven by the customer master's events, on real
invoices and payments."""
from odoo.exceptions import AccessError, UserError

from odoo.addons.sme_customer_master.tests.common import InvoiceCase


class TestHealth(InvoiceCase):
    def setUp(self):
        super(TestHealth, self).setUp()
        self.on_day("2026-01-05")

    def on_day(self, day):
        """The business day the next actions happen on (see tools/clock.py)."""
        self.env = self.env(context=dict(self.env.context, sme_today=day))

    def profile(self, partner):
        return self.env["sme.customer.health"].search([("partner_id", "=", partner.id)])

    def test_new_customer_gets_profile_and_onboarding(self):
        customer = self.customer("Asha Rao", "9876543210")
        profile = self.profile(customer)
        self.assertEqual(len(profile), 1)
        self.assertEqual(
            (profile.company_id, profile.payment_score, profile.engagement_score),
            (self.company_a, 100, 0),
        )
        self.assertEqual(profile.overall_score, 57)  # (100*40 + 0*30) / 70
        self.assertEqual(profile.segment, "new", "no history: new, not at risk")
        self.assertEqual(
            len(self.env["sme.onboarding"].search([("partner_id", "=", customer.id)])),
            1,
        )

    def test_paying_late_moves_the_payment_score_with_a_reason(self):
        customer = self.customer("Asha Rao", "9876543210")
        invoice = self.make_invoice(1000, partner_id=customer.id, date_due="2026-01-10")
        invoice.action_invoice_open()
        self.on_day("2026-01-20")
        self.pay(invoice, date="2026-01-20")
        profile = self.profile(customer)
        self.assertEqual(profile.payment_score, 50)  # paid late: half a point
        moved = profile.history_ids.filtered(lambda h: h.score == "payment")
        self.assertEqual(len(moved), 1)
        self.assertEqual((moved.old_value, moved.new_value), (100, 50))
        self.assertIn(invoice.number, moved.reason)
        self.assertIn("paid", moved.reason)

    def test_overdue_drops_the_score_once_per_invoice(self):
        customer = self.customer("Asha Rao", "9876543210")
        on_time = self.make_invoice(500, partner_id=customer.id, date_due="2026-01-31")
        late = self.make_invoice(500, partner_id=customer.id, date_due="2026-01-31")
        (on_time | late).action_invoice_open()
        self.on_day("2026-01-15")
        self.pay(on_time, date="2026-01-15")
        Invoice = self.env["account.invoice"]
        Invoice._sme_notify_overdue_invoices("2026-02-10")
        Invoice._sme_notify_overdue_invoices("2026-02-11")
        profile = self.profile(customer)
        self.assertEqual(profile.payment_score, 50)  # one on time, one overdue
        overdue_rows = profile.history_ids.filtered(
            lambda h: h.score == "payment" and "overdue" in (h.reason or "")
        )
        self.assertEqual(len(overdue_rows), 1)
        self.assertEqual((overdue_rows.old_value, overdue_rows.new_value), (100, 50))

    def test_external_scores_over_the_public_method(self):
        customer = self.customer("Asha Rao", "9876543210")
        Health = self.env["sme.customer.health"]
        summary = Health.sme_post_scores(
            customer.id,
            {"support": 20, "usage": 60},
            "Ticket backlog",
            self.company_a.id,
        )
        self.assertEqual((summary["support_score"], summary["usage_score"]), (20, 60))
        self.assertEqual(summary["overall_score"], 52)  # (4000 + 0 + 300 + 900) / 100
        self.assertEqual(summary["segment"], "at_risk")
        for bad in ({"support": 101}, {"support": "80"}, {"mood": 5}, {}):
            with self.assertRaises(UserError, msg=bad):
                Health.sme_post_scores(customer.id, bad, "", self.company_a.id)

    def test_weights_and_thresholds_per_company(self):
        customer = self.customer("Asha Rao", "9876543210")
        profile = self.profile(customer)
        profile.sudo().invoice_count = 1  # a customer with history
        self.company_a.write(
            {"sme_health_weight_engagement": 0, "sme_health_healthy_from": 90}
        )
        self.assertEqual((profile.overall_score, profile.segment), (100, "healthy"))
        self.company_a.sme_health_healthy_from = 101
        self.assertEqual(profile.segment, "at_risk")

    def test_campaign_response_counts_for_engagement(self):
        customer = self.customer("Asha Rao", "9876543210")
        summary = self.env["sme.customer.health"].sme_record_campaign_response(
            customer.id, "Diwali offer", self.company_a.id
        )
        self.assertEqual(summary["engagement_score"], 5)

    def test_missing_profiles_action_is_idempotent(self):
        customer = self.customer("Asha Rao", "9876543210")
        self.profile(customer).unlink()
        Health = self.env["sme.customer.health"]
        self.assertGreaterEqual(Health.action_create_missing_profiles(), 1)
        self.assertEqual(len(self.profile(customer)), 1)
        self.assertEqual(Health.action_create_missing_profiles(), 0)

    def test_company_isolation(self):
        in_b = self.customer("Ravi Kumar", "9822012345", self.company_b)
        marketing = self.env.ref("sme_marketing.group_sme_marketing_user")
        user = self._make_user("mk_a", self.company_a, marketing)
        self.assertFalse(
            self.env["sme.customer.health"]
            .sudo(user)
            .search([("partner_id", "=", in_b.id)])
        )
        with self.assertRaises((AccessError, UserError)):
            self.env["sme.customer.health"].sudo(user).sme_post_scores(
                in_b.id, {"support": 50}, "", self.company_b.id
            )

    def test_credit_hold_lowers_health(self):
        held = self.customer("Asha Rao", "9876543210")
        free = self.customer("Ravi Kumar", "9822012345")
        for customer in held | free:
            invoice = self.make_invoice(
                1000, partner_id=customer.id, date_due="2026-01-31"
            )
            invoice.action_invoice_open()
        self.assertEqual(
            self.profile(held).overall_score, self.profile(free).overall_score
        )
        held.write(
            {"sme_credit_hold": True, "sme_credit_hold_reason": "Cheque bounced"}
        )
        self.assertLess(
            self.profile(held).overall_score, self.profile(free).overall_score
        )
        self.assertEqual(self.profile(held).segment, "critical")
        self.assertEqual(self.profile(free).segment, "healthy")

    def test_new_customer_on_hold_is_not_new(self):
        customer = self.customer("Asha Rao", "9876543210", sme_credit_hold=True)
        self.assertNotIn(self.profile(customer).segment, ("new", "healthy"))
