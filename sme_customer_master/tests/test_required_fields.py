# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Per-company required customer data, GSTIN and email checks."""
from odoo.exceptions import ValidationError

from .common import CustomerMasterCase


class TestRequiredFields(CustomerMasterCase):
    def test_nothing_required_by_default(self):
        self.assertTrue(
            self.upsert({"name": "Asha Rao", "phone": "9876543210"})["is_new"]
        )

    def test_required_fields_are_named_in_the_message(self):
        self.company_a.write(
            {
                "sme_require_customer_address": True,
                "sme_require_customer_email": True,
                "sme_require_customer_gstin": True,
            }
        )
        with self.assertRaises(ValidationError) as caught:
            self.upsert({"name": "Asha Rao", "phone": "9876543210", "city": "Pune"})
        message = caught.exception.name
        for label in ("address", "email", "GSTIN", "Test Traders A"):
            self.assertIn(label, message)
        complete = self.upsert(
            {
                "name": "Asha Rao",
                "phone": "9876543210",
                "street": "FC Road",
                "city": "Pune",
                "email": "asha@example.in",
                "gstin": "27AAPFU0939F1ZV",
            }
        )
        self.assertTrue(complete["is_new"])

    def test_settings_of_one_company_do_not_apply_to_another(self):
        self.company_a.sme_require_customer_email = True
        self.assertTrue(
            self.upsert({"name": "Asha Rao", "phone": "9876543210"}, self.company_b)[
                "is_new"
            ]
        )

    def test_enforced_on_write(self):
        self.company_a.sme_require_customer_email = True
        partner = self.customer("Asha Rao", "9876543210", email="asha@example.in")
        with self.assertRaises(ValidationError):
            partner.write({"email": False})

    def test_settings_screen_writes_the_company(self):
        settings = (
            self.env["res.config.settings"]
            .sudo(self.env.user)
            .create(
                {
                    "company_id": self.env.user.company_id.id,
                    "sme_require_customer_gstin": True,
                    "sme_customer_placeholder_name": "Walk-in",
                }
            )
        )
        settings.execute()
        self.assertTrue(self.env.user.company_id.sme_require_customer_gstin)
        self.assertEqual(
            self.env.user.company_id.sme_customer_placeholder_name, "Walk-in"
        )

    def test_invalid_gstin_is_refused_with_reason(self):
        with self.assertRaises(ValidationError) as caught:
            self.upsert(
                {"name": "Asha Rao", "phone": "9876543210", "gstin": "27AAPFU0939F1ZX"}
            )
        self.assertIn("not a valid GSTIN", caught.exception.name)

    def test_foreign_customer_vat_is_not_a_gstin(self):
        result = self.upsert(
            {
                "name": "Camptocamp",
                "phone": "+33 4 49 23 44 54",
                "country_code": "FR",
                "vat": "FR40303265045",
            }
        )
        self.assertEqual(self.Partner.browse(result["id"]).vat, "FR40303265045")

    def test_invalid_email_is_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self.upsert({"name": "Asha Rao", "phone": "9876543210", "email": "asha@"})
        self.assertIn("not a valid email", caught.exception.name)
