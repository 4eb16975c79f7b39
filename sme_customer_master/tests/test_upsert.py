# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""sme_upsert_customer and sme_find_customer_by_phone."""
from odoo.exceptions import AccessError, UserError

from .common import CustomerMasterCase


class TestUpsert(CustomerMasterCase):
    def test_creates_then_updates(self):
        created = self.upsert(
            {
                "name": "Asha Rao",
                "phone": "9876543210",
                "email": "asha@example.in",
                "city": "Pune",
                "gstin": "27aapfu0939f1zv",
                "credit_limit": 5000,
            }
        )
        self.assertTrue(created["is_new"])
        partner = self.Partner.browse(created["id"])
        self.assertEqual(
            (partner.customer, partner.company_id, partner.vat, partner.credit_limit),
            (True, self.company_a, "27AAPFU0939F1ZV", 5000),
        )
        updated = self.upsert(
            {
                "name": "Asha  Rao-Kulkarni ",
                "phone": "+91 98765 43210",
                "city": "Mumbai",
            }
        )
        self.assertEqual(updated, {"id": partner.id, "is_new": False})
        self.assertEqual(
            (partner.name, partner.city, partner.email),
            ("Asha Rao-Kulkarni", "Mumbai", "asha@example.in"),
        )

    def test_archived_customer_is_reactivated(self):
        partner = self.customer("Asha Rao", "9876543210")
        partner.active = False
        result = self.upsert({"name": "Asha Rao", "phone": "9876543210"})
        self.assertEqual(result, {"id": partner.id, "is_new": False})
        self.assertTrue(partner.active)

    def test_codes_for_country_and_state(self):
        partner = self.customer(
            "Asha Rao", "9876543210", country_code="IN", state_code="MH"
        )
        self.assertEqual(partner.country_id, self.env.ref("base.in"))
        self.assertEqual(partner.state_id.code, "MH")
        with self.assertRaises(UserError):
            self.upsert({"name": "Asha Rao", "phone": "9876543210", "state_code": "ZZ"})

    def test_name_sanitising(self):
        self.assertEqual(
            self.customer("  Ravi   Kumar ", "9822012345").name, "Ravi Kumar"
        )
        self.assertEqual(self.customer("R", "9822012346").name, "clientCustomer")
        self.company_a.sme_customer_placeholder_name = "Walk-in customer"
        self.assertEqual(self.customer(" X", "9822012347").name, "Walk-in customer")
        with self.assertRaises(UserError) as caught:
            self.Partner.create(
                {
                    "name": "   ",
                    "phone": "9822012348",
                    "customer": True,
                    "company_id": self.company_a.id,
                }
            )
        self.assertIn("needs a name", caught.exception.name)

    def test_bad_input_gets_clear_errors(self):
        cases = [
            ({"name": "No Phone"}, "phone number is required"),
            ({"name": "Bad", "phone": "12345"}, "not a valid phone"),
            (
                {"name": "Odd", "phone": "9822012345", "password": "x"},
                "Unknown customer fields: password",
            ),
            ({"phone": "9822012399"}, "give a name"),
        ]
        for values, message in cases:
            with self.assertRaises(UserError, msg=values) as caught:
                self.upsert(values)
            self.assertIn(message, caught.exception.name)
        with self.assertRaises(UserError):
            self.Partner.sme_upsert_customer(["not", "a", "dict"])

    def test_update_without_name_keeps_the_name(self):
        partner = self.customer("Asha Rao", "9876543210")
        self.upsert({"phone": "9876543210", "email": "asha@example.in"})
        self.assertEqual((partner.name, partner.email), ("Asha Rao", "asha@example.in"))

    def test_find_by_phone(self):
        partner = self.customer("Asha Rao", "9876543210", company=self.company_b)
        found = self.Partner.sme_find_customer_by_phone(
            "098765 43210", self.company_b.id
        )
        self.assertEqual(found["id"], partner.id)
        self.assertEqual(found["phone_e164"], "+919876543210")
        self.assertFalse(
            self.Partner.sme_find_customer_by_phone("9876543210", self.company_a.id)
        )
        self.assertFalse(
            self.Partner.sme_find_customer_by_phone("not a phone", self.company_b.id)
        )

    def test_user_works_only_in_own_companies(self):
        result = self.upsert(
            {"name": "Asha Rao", "phone": "9876543210"}, user=self.user_a
        )
        self.assertEqual(self.Partner.browse(result["id"]).company_id, self.company_a)
        with self.assertRaises(AccessError):
            self.upsert(
                {"name": "Asha Rao", "phone": "9876543210"},
                self.company_b,
                user=self.user_a,
            )
        with self.assertRaises(AccessError):
            self.Partner.sudo(self.user_a).sme_find_customer_by_phone(
                "9876543210", self.company_b.id
            )

    def test_default_company_is_the_users(self):
        result = self.Partner.sudo(self.user_b).sme_upsert_customer(
            {"name": "Ravi Kumar", "phone": "9822012345"}
        )
        self.assertEqual(self.Partner.browse(result["id"]).company_id, self.company_b)

    def test_users_do_not_see_other_companies_customers(self):
        in_b = self.customer("Asha Rao", "9876543210", company=self.company_b)
        visible = self.Partner.sudo(self.user_a).search([("customer", "=", True)])
        self.assertNotIn(in_b, visible)
        self.assertIn(
            in_b, self.Partner.sudo(self.user_b).search([("customer", "=", True)])
        )
