# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The upsert and the lookup check what callers send (issue 14, points
1-4 and 6): a blank phone never matches a partner, letters are not digits,
NaN and invisible names are refused, and a value of the wrong kind gets a
refusal naming it, never an exception from deeper down."""
from odoo.exceptions import AccessError, UserError

from .common import CustomerMasterCase

BLANK_PHONES = ["   ", "\t", "\u00a0\u00a0", "\u3000", " \t\u2007 "]


class TestUpsertArguments(CustomerMasterCase):
    def assertRefused(self, values, fragment, company=None, exception=UserError):
        with self.assertRaises(exception, msg=repr(values)) as caught:
            self.upsert(values, company)
        self.assertIn(fragment, caught.exception.name, repr(values))
        return caught.exception

    def partners_with(self, **domain):
        """Partners of company A (other companies hold the e2e tests' data)."""
        return self.Partner.with_context(active_test=False).search(
            [("company_id", "=", self.company_a.id)]
            + [(name, "=", value) for name, value in domain.items()]
        )

    # Point 1 ----------------------------------------------------------------
    def test_blank_phone_is_refused_and_touches_nobody(self):
        company_partner, user_partner = (
            self.company_a.partner_id,
            self.user_a.partner_id,
        )
        names = (company_partner.name, user_partner.name)
        for phone in BLANK_PHONES:
            self.assertRefused(
                {"name": "Intruder", "phone": phone}, "phone number is required"
            )
            self.assertFalse(
                self.Partner.sme_find_customer_by_phone(phone, self.company_a.id)
            )
        self.assertEqual((company_partner.name, user_partner.name), names)
        self.assertFalse(self.partners_with(name="Intruder"))

    def test_lookup_never_matches_an_empty_phone(self):
        self.Partner.create(
            {
                "name": "No Phone Customer",
                "customer": True,
                "company_id": self.company_a.id,
            }
        )
        self.assertFalse(self.Partner._sme_find_customer(None, self.company_a))
        self.assertFalse(self.Partner._sme_find_customer(False, self.company_a))

    # Point 2 ----------------------------------------------------------------
    def test_phone_with_letters_is_refused(self):
        keypad_twin = self.customer("Asha Rao", "9876522233")  # 98765ABCDE on a keypad
        self.assertRefused(
            {"name": "Somebody Else", "phone": "98765ABCDE"}, "no letters"
        )
        self.assertRefused(
            {"name": "Flowers Inc", "phone": "1-800-FLOWERS"}, "no letters"
        )
        self.assertRefused(
            {"name": "Asha Rao", "phone": "9876543210", "mobile": "98765ABCDE"},
            "mobile",
        )
        self.assertEqual(keypad_twin.name, "Asha Rao")
        self.assertFalse(
            self.Partner.sme_find_customer_by_phone("98765ABCDE", self.company_a.id)
        )
        self.assertFalse(self.partners_with(name="Flowers Inc"))

    # Point 3 ----------------------------------------------------------------
    def test_credit_limit_must_be_a_finite_amount(self):
        for limit in [
            float("nan"),
            float("inf"),
            float("-inf"),
            -1,
            "5000",
            True,
            [5000],
        ]:
            self.assertRefused(
                {"name": "Asha Rao", "phone": "9876543210", "credit_limit": limit},
                "credit_limit must be a number",
            )
        self.assertFalse(self.partners_with(sme_phone_normalized="+919876543210"))
        partner = self.customer("Asha Rao", "9876543210", credit_limit=2500)
        self.assertEqual(partner.credit_limit, 2500.0)

    def test_invisible_names_are_empty(self):
        invisible = [
            "\u200b\u200b\u200b",
            "\u200d",
            "\ufeff\ufeff",
            "\u3164\u3164",
            "\u2800",
            " \u200b \u00a0",
            "\u2060\u034f",
            "\u202e\u202d",
        ]
        for name in invisible:
            self.assertRefused({"name": name, "phone": "9876543210"}, "needs a name")
        self.assertFalse(self.partners_with(sme_phone_normalized="+919876543210"))
        partner = self.customer("Asha Rao", "9876543210")
        for name in invisible:
            self.assertRefused({"name": name, "phone": "9876543210"}, "needs a name")
        self.assertEqual(partner.name, "Asha Rao")

    def test_invisible_characters_are_removed_but_joiners_kept(self):
        self.assertEqual(
            self.customer("\u200bAsha\u200b Rao\u202e", "9876543210").name, "Asha Rao"
        )
        conjunct = (
            "\u0915\u094d\u200d\u0937 Traders"  # a Devanagari conjunct shaped by a ZWJ
        )
        self.assertEqual(self.customer(conjunct, "9822012345").name, conjunct)

    # Point 4 ----------------------------------------------------------------
    def test_values_of_the_wrong_kind_are_named(self):
        user_b = self.user_b.id
        cases = [
            ({"name": ["Asha"]}, "name must be a text"),
            ({"name": {"first": "Asha"}}, "name must be a text"),
            ({"name": 42}, "name must be a text"),
            ({"name": "A" * 300}, "name must be a text of 1 to 256"),
            ({"state_id": "MH"}, "state_id must be a record id"),
            ({"state_id": [1]}, "state_id must be a record id"),
            ({"state_id": 2**40}, "state_id must be a record id"),
            ({"state_id": 2**31 - 1}, "state_id: there is no"),
            ({"country_id": "IN"}, "country_id must be a record id"),
            ({"country_id": {"id": 1}}, "country_id must be a record id"),
            ({"user_id": "admin"}, "user_id must be a record id"),
            ({"user_id": 2**31 - 1}, "user_id must be a user of"),
            ({"user_id": user_b}, "user_id must be a user of"),
            ({"website": ["x"]}, "website must be a text"),
            ({"website": 5}, "website must be a text"),
            ({"lang": "xx_XX"}, "lang must be one of"),
            ({"lang": ["en_US"]}, "lang must be one of"),
            ({"credit_limit": {"amount": 5}}, "credit_limit must be a number"),
            ({"email": ["a@b.in"]}, "email must be a text"),
            ({"comment": {"x": 1}}, "comment must be a text"),
            ({"sme_credit_hold": "yes"}, "sme_credit_hold must be true or false"),
            ({"ref": "R" * 100}, "ref must be a text of 1 to 64"),
            ({"zip": 411001}, "zip must be a text"),
            ({"state_code": "%"}, "Unknown state code '%'"),
            ({"state_code": ["MH"]}, "state_code must be a text"),
            ({"country_code": "%"}, "Unknown country code"),
            ({"gst_treatment": "registered"}, "gst_treatment must be one of"),
            ({"place_of_supply": "ZZ"}, "place_of_supply"),
            ({"gstin": "27AAPFU0939F1ZV", "vat": "27AAPFU0939F1ZV"}, "not both"),
            ({"state_code": "MH", "state_id": 1}, "not both"),
            ({"phone": ["9876543210"]}, "phone must be a text"),
            ({"phone": 9876543210}, "phone must be a text"),
        ]
        for extra, fragment in cases:
            values = dict({"name": "Asha Rao", "phone": "9876543210"}, **extra)
            self.assertRefused(values, fragment)
        self.assertFalse(self.partners_with(sme_phone_normalized="+919876543210"))

    def test_company_id_of_the_wrong_kind(self):
        values = {"name": "Asha Rao", "phone": "9876543210"}
        for company_id in [
            "abc",
            "1",
            [1],
            {"id": 1},
            2**40,
            -1,
            1.5,
            True,
            float("nan"),
        ]:
            with self.assertRaises(UserError, msg=repr(company_id)) as caught:
                self.Partner.sme_upsert_customer(values, company_id)
            self.assertIn("company_id must be a record id", caught.exception.name)
        with self.assertRaises(AccessError):
            self.Partner.sme_upsert_customer(values, 2**31 - 1)

    def test_unknown_and_other_companies_get_the_same_answer(self):
        answers = set()
        for company_id in (self.company_b.id, 2**31 - 1):
            with self.assertRaises(AccessError) as caught:
                self.Partner.sudo(self.user_a).sme_upsert_customer(
                    {"name": "Asha Rao", "phone": "9876543210"}, company_id
                )
            answers.add(caught.exception.name.replace(str(company_id), "N"))
        self.assertEqual(len(answers), 1, answers)
        self.assertNotIn(self.company_b.name, answers.pop())

    def test_state_must_lie_in_the_country(self):
        california = self.env.ref("base.state_us_5")
        self.assertRefused(
            {
                "name": "Asha Rao",
                "phone": "9876543210",
                "state_id": california.id,
                "country_code": "IN",
            },
            "is not in India",
        )

    def test_lookup_arguments(self):
        for phone in [["9876543210"], {"phone": 1}, 9876543210, 5.5]:
            with self.assertRaises(UserError, msg=repr(phone)) as caught:
                self.Partner.sme_find_customer_by_phone(phone, self.company_a.id)
            self.assertIn("phone must be a text", caught.exception.name)
        with self.assertRaises(UserError):
            self.Partner.sme_find_customer_by_phone("9876543210", "abc")
        self.assertFalse(self.Partner.sme_find_customer_by_phone("", self.company_a.id))

    def test_events_since_arguments(self):
        Event = self.env["sme.customer.event"]
        for after, limit in [
            (float("inf"), 10),
            (float("nan"), 10),
            (0, float("inf")),
            ([1], 10),
            (-1, 10),
            (0, 0),
        ]:
            with self.assertRaises(UserError, msg=repr((after, limit))):
                Event.sme_events_since(after, limit, self.company_a.id)

    # Point 6 ----------------------------------------------------------------
    def test_control_characters_are_refused(self):
        self.assertRefused({"name": "Asha\x0bRao", "phone": "9876543210"}, "U+000B")
        self.assertRefused({"name": "Asha Rao", "phone": "98765\x0043210"}, "U+0000")
        self.assertRefused(
            {"name": "Asha Rao", "phone": "9876543210", "city": "Pune\x1b"}, "U+001B"
        )
        self.assertRefused(
            {"name": "Asha Rao", "phone": "9876543210", "city": "Pune\nMH"},
            "single line",
        )
        with self.assertRaises(UserError):
            self.Partner.sme_find_customer_by_phone("98765\x0b43210", self.company_a.id)
        self.assertFalse(self.partners_with(sme_phone_normalized="+919876543210"))
        partner = self.customer(
            "Asha Rao", "9876543210", comment="Line one\nLine two\tend"
        )
        self.assertEqual(partner.comment, "Line one\nLine two\tend")

    def test_plain_create_refuses_control_characters_in_a_customer_name(self):
        with self.assertRaises(UserError) as caught:
            self.Partner.create(
                {
                    "name": "Asha\x00Rao",
                    "phone": "9876543210",
                    "customer": True,
                    "company_id": self.company_a.id,
                }
            )
        self.assertIn("U+0000", caught.exception.name)
