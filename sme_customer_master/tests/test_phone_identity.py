# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One customer per phone per company, enforced by the database."""
import psycopg2

from odoo.exceptions import ValidationError
from odoo.tools import mute_logger

from .common import CustomerMasterCase


class TestPhoneIdentity(CustomerMasterCase):
    def test_phone_is_stored_normalised(self):
        partner = self.customer("Asha Rao", "098765-43210")
        self.assertEqual(partner.sme_phone_normalized, "+919876543210")
        self.assertEqual(partner.phone, "098765-43210")

    def test_every_spelling_finds_the_same_customer(self):
        first = self.upsert({"name": "Asha Rao", "phone": "+91 98765 43210"})
        self.assertTrue(first["is_new"])
        for spelling in ["098765-43210", "9876543210", "+919876543210"]:
            result = self.upsert({"name": "Asha Rao", "phone": spelling})
            self.assertEqual(result, {"id": first["id"], "is_new": False}, spelling)
        self.assertEqual(
            self.Partner.search_count(
                [
                    ("sme_phone_normalized", "=", "+919876543210"),
                    ("company_id", "=", self.company_a.id),
                ]
            ),
            1,
        )

    def test_same_phone_in_two_companies_is_two_customers(self):
        a = self.customer("Asha Rao", "9876543210", self.company_a)
        b = self.customer("Asha R.", "+91 98765 43210", self.company_b)
        self.assertNotEqual(a, b)
        self.assertEqual((a.company_id, b.company_id), (self.company_a, self.company_b))

    def test_plain_create_of_a_taken_phone_is_refused_naming_the_customer(self):
        existing = self.customer("Asha Rao", "9876543210")
        with self.assertRaises(ValidationError) as caught:
            self.Partner.create(
                {
                    "name": "Someone Else",
                    "phone": "098765 43210",
                    "customer": True,
                    "company_id": self.company_a.id,
                }
            )
        self.assertIn("Asha Rao", caught.exception.name)
        self.assertIn("ID %d" % existing.id, caught.exception.name)

    def test_changing_phone_to_a_taken_one_is_refused(self):
        self.customer("Asha Rao", "9876543210")
        other = self.customer("Ravi Kumar", "9822012345")
        with self.assertRaises(ValidationError):
            other.write({"phone": "+91 98765 43210"})

    def test_archived_customer_still_holds_its_phone(self):
        existing = self.customer("Asha Rao", "9876543210")
        existing.active = False
        with self.assertRaises(ValidationError) as caught:
            self.Partner.create(
                {
                    "name": "Asha Again",
                    "phone": "9876543210",
                    "customer": True,
                    "company_id": self.company_a.id,
                }
            )
        self.assertIn("archived", caught.exception.name)

    def test_child_contacts_and_non_customers_are_not_constrained(self):
        company = self.customer("Patil Hardware", "9876543210")
        child = self.Partner.create(
            {
                "name": "Accounts desk",
                "parent_id": company.id,
                "phone": "9876543210",
                "company_id": self.company_a.id,
            }
        )
        vendor = self.Partner.create(
            {
                "name": "Steel Supplier",
                "phone": "9876543210",
                "customer": False,
                "supplier": True,
                "company_id": self.company_a.id,
            }
        )
        self.assertFalse(child.sme_phone_normalized)
        self.assertFalse(vendor.sme_phone_normalized)

    def test_invalid_phone_on_a_customer_is_refused(self):
        with self.assertRaises(ValidationError):
            self.Partner.create(
                {
                    "name": "Bad Phone",
                    "phone": "12345",
                    "customer": True,
                    "company_id": self.company_a.id,
                }
            )

    def test_unique_index_holds_below_the_orm(self):
        """Even SQL that bypasses the ORM checks cannot duplicate a phone,
        for archived customers and for customers without a company."""
        existing = self.customer("Asha Rao", "9876543210")
        existing.active = False
        cr = self.env.cr
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with cr.savepoint():
                cr.execute(
                    "INSERT INTO res_partner (name, company_id, customer, active,"
                    " sme_phone_normalized, display_name)"
                    " VALUES ('Dup', %s, true, true, '+919876543210', 'Dup')",
                    (self.company_a.id,),
                )
        for _attempt in range(2):
            try:
                with cr.savepoint():
                    cr.execute(
                        "INSERT INTO res_partner (name, customer, active,"
                        " sme_phone_normalized, display_name)"
                        " VALUES ('No company', true, true, '+919000000001', 'No company')"
                    )
            except psycopg2.IntegrityError:
                break
        else:
            self.fail("two company-less customers shared a phone")

    def test_search_by_any_phone_spelling(self):
        partner = self.customer("Asha Rao", "9876543210")
        found = self.Partner.search(
            [
                ("sme_phone_search", "=", "+91 98765-43210"),
                ("company_id", "=", self.company_a.id),
            ]
        )
        self.assertEqual(found, partner)

    def test_user_partners_are_not_customers(self):
        self.assertFalse(self.user_a.partner_id.customer)
