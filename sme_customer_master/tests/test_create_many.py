# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Customers created together (importers) are the customers create() makes."""
from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import CustomerMasterCase, listening

# What differs between two customers by nature (record, phone) or by the
# path (create() draws a default avatar; importers do not).
DIFFERENT_BY_NATURE = {
    "id",
    "create_date",
    "write_date",
    "__last_update",
    "display_name",
    "phone",
    "sme_phone_normalized",
    "image",
    "image_medium",
    "image_small",
    "commercial_partner_id",
    "message_ids",
    "message_follower_ids",
    "message_partner_ids",
    "message_channel_ids",
    "message_last_post",
    "website_message_ids",
}

VALUES = {
    "name": "  Sharma   Electricals ",
    "email": "accounts@sharma.in",
    "street": "12 MG Road",
    "city": "Pune",
    "zip": "411001",
    "state_code": "MH",
    "country_code": "IN",
    "gstin": "27aapfu0939f1zv",
    "website": "sharma.in",
    "credit_limit": 50000,
}


class TestCreateMany(CustomerMasterCase):
    def _compared(self, partner):
        names = [
            name
            for name, field in partner._fields.items()
            if (field.store or field.company_dependent)
            and name not in DIFFERENT_BY_NATURE
            and field.type not in ("one2many", "many2many")
        ]
        return partner.read(names)[0]

    def test_same_customer_as_create(self):
        Partner = self.Partner.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True
        )
        one = Partner.browse(
            Partner.sme_upsert_customer(
                dict(VALUES, phone="98200 11111"), self.company_a.id
            )["id"]
        )
        two = Partner._sme_create_customers(
            [dict(VALUES, phone="98200 22222")], self.company_a
        )
        self.assertEqual(len(two), 1)
        self.assertEqual(two.sme_phone_normalized, "+919820022222")
        self.assertEqual(two.commercial_partner_id, two)
        self.assertEqual(two.display_name, "Sharma Electricals")
        compared_one, compared_two = self._compared(one), self._compared(two)
        differences = {
            name: (compared_one[name], compared_two[name])
            for name in compared_one
            if name != "id" and compared_one[name] != compared_two[name]
        }
        self.assertEqual(differences, {})

    def test_many_in_one_go_with_events(self):
        values = [
            {"name": "Customer %d" % n, "phone": "98201 %05d" % n} for n in range(25)
        ]
        before = len(self.outbox(self.company_a, "on_sme_customer_created"))
        with listening(self.env, "on_sme_customer_created") as received:
            partners = self.Partner._sme_create_customers(values, self.company_a)
        self.assertEqual(
            partners.mapped("name"), ["Customer %d" % n for n in range(25)]
        )
        self.assertEqual(
            sorted(partners.mapped("sme_phone_normalized")),
            sorted("+919820%s" % ("1%05d" % n) for n in range(25)),
        )
        outbox = self.outbox(self.company_a, "on_sme_customer_created")
        self.assertEqual(len(outbox) - before, 25)
        self.assertEqual(outbox[-25:].mapped("partner_id"), partners)
        self.assertEqual(len(set(outbox.mapped("sequence"))), len(outbox))
        self.assertEqual(
            received[0][1], partners
        )  # one notification carrying all of them
        # Found by phone afterwards, as any customer.
        self.assertEqual(
            self.Partner.sme_find_customer_by_phone("9820100007", self.company_a.id)[
                "id"
            ],
            partners[7].id,
        )

    def test_refused_value_refuses_the_batch(self):
        values = [
            {"name": "Fine", "phone": "98202 00001"},
            {"name": "Bad mail", "phone": "98202 00002", "email": "not-an-address"},
        ]
        with self.assertRaises((UserError, ValidationError)):
            with self.env.cr.savepoint():
                self.Partner._sme_create_customers(values, self.company_a)
        self.assertFalse(
            self.Partner.sme_find_customer_by_phone("9820200001", self.company_a.id)
        )

    def test_taken_phone_is_refused_by_the_index(self):
        self.customer("First", "98203 00001")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.env.cr.savepoint():
                self.Partner._sme_create_customers(
                    [{"name": "Second", "phone": "+91 98203 00001"}], self.company_a
                )

    def test_required_fields_of_the_company_apply(self):
        self.company_a.sme_require_customer_email = True
        with self.assertRaises(ValidationError):
            with self.env.cr.savepoint():
                self.Partner._sme_create_customers(
                    [{"name": "No mail", "phone": "98204 00001"}], self.company_a
                )
