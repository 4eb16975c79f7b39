# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The plain-Python rules: phone normalisation, names, GSTIN, email."""
import unittest

from odoo.exceptions import UserError

from odoo.addons.sme_customer_master.tools import (
    InvalidName,
    InvalidPhone,
    arguments,
    clean_gstin,
    is_valid_email,
    normalize_phone,
    sanitize_name,
)


class TestPhone(unittest.TestCase):
    def test_indian_spellings_are_one_number(self):
        spellings = [
            "+91 98765 43210",
            "098765-43210",
            "9876543210",
            "+919876543210",
            "0091 98765 43210",
            " (+91) 98765-43210 ",
        ]
        self.assertEqual(
            {normalize_phone(s, "IN") for s in spellings}, {"+919876543210"}
        )

    def test_landline_with_std_code(self):
        self.assertEqual(normalize_phone("020-2553 1122", "IN"), "+912025531122")

    def test_region_applies_only_without_prefix(self):
        self.assertEqual(normalize_phone("+1 650 253 0000", "IN"), "+16502530000")
        self.assertEqual(normalize_phone("650 253 0000", "US"), "+16502530000")

    def test_empty_is_none(self):
        self.assertIsNone(normalize_phone("  ", "IN"))
        self.assertIsNone(normalize_phone(None, "IN"))

    def test_invalid_numbers_are_refused(self):
        for text in ["12345", "abc", "+91 98765", "98765432101234"]:
            with self.assertRaises(InvalidPhone, msg=text):
                normalize_phone(text, "IN")


class TestNames(unittest.TestCase):
    def test_trims_and_collapses_whitespace(self):
        self.assertEqual(sanitize_name("  Asha \t  Rao\n"), "Asha Rao")

    def test_short_name_becomes_placeholder(self):
        self.assertEqual(sanitize_name(" A "), "clientCustomer")
        self.assertEqual(sanitize_name("A", "Walk-in customer"), "Walk-in customer")
        self.assertEqual(sanitize_name("Al"), "Al")

    def test_empty_name_is_refused(self):
        for name in ["", "   ", None]:
            with self.assertRaises(ValueError):
                sanitize_name(name)


class TestIdentifiers(unittest.TestCase):
    def test_gstin_is_compacted_and_checked(self):
        self.assertEqual(clean_gstin(" 27aapfu0939f1zv "), "27AAPFU0939F1ZV")
        with self.assertRaises(ValueError):
            clean_gstin("27AAPFU0939F1ZX")  # wrong check digit
        with self.assertRaises(ValueError):
            clean_gstin("27AAPFU0939")

    def test_email(self):
        self.assertTrue(is_valid_email("asha.rao@example.in"))
        self.assertFalse(is_valid_email("asha.rao@"))
        self.assertFalse(is_valid_email("asha rao@example.in"))


class TestHardenedRules(unittest.TestCase):
    """Issue 14: blanks, letters, invisible and control characters."""

    def test_any_white_space_is_an_empty_phone(self):
        for text in ["\t", "\u00a0", "\u3000", " \u2007 "]:
            self.assertIsNone(normalize_phone(text, "IN"), repr(text))

    def test_letters_are_not_keypad_digits(self):
        for text in [
            "98765ABCDE",
            "1-800-FLOWERS",
            "+91 98765 4321O",
            "9876543210 ext 12",
        ]:
            with self.assertRaises(InvalidPhone, msg=text):
                normalize_phone(text, "IN")
        self.assertEqual(
            normalize_phone(
                "\u096f\u096e\u096d\u096c\u096b\u096a\u0969\u0968\u0967\u0966", "IN"
            ),
            "+919876543210",
            "Devanagari digits are digits",
        )

    def test_names_without_visible_characters_are_empty(self):
        for name in [
            "\u200b",
            "\u200c\u200d",
            "\ufeff \u2060",
            "\u3164",
            "\u2800\u2800",
            "\u034f",
        ]:
            with self.assertRaises(InvalidName, msg=repr(name)):
                sanitize_name(name)
        self.assertEqual(sanitize_name("\u200bAsha\u00a0 Rao\u200b"), "Asha Rao")

    def test_control_characters_in_names_are_refused(self):
        for name in ["Asha\x00Rao", "Asha\x0bRao", "Asha\x7f", "Asha\x85Rao"]:
            with self.assertRaises(InvalidName, msg=repr(name)) as caught:
                sanitize_name(name)
            self.assertIn("control character", str(caught.exception))


class TestArguments(unittest.TestCase):
    def test_record_ids(self):
        self.assertEqual(arguments.record_id("x", 7), 7)
        self.assertIs(arguments.record_id("x", None), False)
        for value in ["7", 7.0, True, [7], {"id": 7}, 0, -1, 2**31]:
            with self.assertRaises(arguments.InvalidArgument, msg=repr(value)):
                arguments.record_id("x", value)

    def test_amounts(self):
        self.assertEqual(arguments.amount("limit", 10), 10.0)
        for value in [float("nan"), float("inf"), -0.5, "10", True, 1e16]:
            with self.assertRaises(arguments.InvalidArgument, msg=repr(value)):
                arguments.amount("limit", value)

    def test_texts(self):
        self.assertEqual(arguments.text("city", "Pune", 10), "Pune")
        self.assertIs(arguments.text("city", "", 10), False)
        self.assertEqual(
            arguments.text("note", "a\nb\tc", 10, multiline=True), "a\nb\tc"
        )
        for value in [5, ["Pune"], "P" * 11, "Pu\x00ne", "Pu\nne", "Pu\ud800"]:
            with self.assertRaises(UserError, msg=repr(value)):
                arguments.text("city", value, 10)

    def test_messages_name_the_argument_and_stay_printable(self):
        with self.assertRaises(arguments.InvalidArgument) as caught:
            arguments.text("city", "\x0b" * 100, 10)
        message = caught.exception.name
        self.assertTrue(
            message.startswith("city must be a text of 1 to 10 characters"), message
        )
        self.assertNotIn("\x0b", message)
        self.assertLess(len(message), 200)
