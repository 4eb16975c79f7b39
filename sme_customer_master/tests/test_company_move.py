# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Moving a customer to another company (issue 14, point 5): the answer
never tells a user what the customers of a company they do not work in
are, and never is a database error."""
from odoo.exceptions import AccessError, ValidationError

from .common import CustomerMasterCase


class TestCompanyMove(CustomerMasterCase):
    def move_as(self, user, partner, company):
        with self.assertRaises(AccessError) as caught:
            partner.sudo(user).write({"company_id": company.id})
        return caught.exception.name.replace(partner.name, "<name>")

    def test_same_refusal_whether_or_not_the_target_has_the_phone(self):
        self.customer("Asha Rao", "9876543210", self.company_a)
        taken = self.customer("Asha R.", "9876543210", self.company_b)
        free = self.customer("Ravi Kumar", "9822012345", self.company_b)
        answers = {
            self.move_as(self.user_b, taken, self.company_a),
            self.move_as(self.user_b, free, self.company_a),
        }
        self.assertEqual(len(answers), 1, answers)
        self.assertEqual(
            (taken.company_id, free.company_id), (self.company_b, self.company_b)
        )

    def test_a_user_of_both_companies_is_told_who_has_the_phone(self):
        both = self._make_user(
            "both", self.company_b, self.env.ref("account.group_account_invoice")
        )
        both.company_ids = self.company_a | self.company_b
        in_a = self.customer("Asha Rao", "9876543210", self.company_a)
        in_b = self.customer("Asha R.", "9876543210", self.company_b)
        with self.assertRaises(ValidationError) as caught:
            in_b.sudo(both).write({"company_id": self.company_a.id})
        self.assertIn("ID %d" % in_a.id, caught.exception.name)

    def test_administrator_moves_a_customer_whose_phone_is_free(self):
        free = self.customer("Ravi Kumar", "9822012345", self.company_b)
        free.write({"company_id": self.company_a.id})
        self.assertEqual(
            (free.company_id, free.sme_phone_normalized),
            (self.company_a, "+919822012345"),
        )

    def test_administrator_gets_a_message_not_a_database_error(self):
        self.customer("Asha Rao", "9876543210", self.company_a)
        in_b = self.customer("Asha R.", "9876543210", self.company_b)
        with self.assertRaises(ValidationError):
            in_b.write({"company_id": self.company_a.id})
        self.Partner.create(
            {
                "name": "Shared Customer",
                "phone": "9822012345",
                "customer": True,
                "company_id": False,
            }
        )
        in_b_too = self.customer("Ravi Kumar", "9822012345", self.company_b)
        with self.assertRaises(ValidationError):
            in_b_too.write({"company_id": False})
        self.assertEqual(in_b_too.company_id, self.company_b)
