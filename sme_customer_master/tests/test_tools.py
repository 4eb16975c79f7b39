"""The plain-Python rules: phone normalisation, names, GSTIN, email."""
import unittest

from odoo.addons.sme_customer_master.tools import (
    InvalidPhone, clean_gstin, is_valid_email, normalize_phone, sanitize_name)


class TestPhone(unittest.TestCase):

    def test_indian_spellings_are_one_number(self):
        spellings = ["+91 98765 43210", "098765-43210", "9876543210", "+919876543210",
                     "0091 98765 43210", " (+91) 98765-43210 "]
        self.assertEqual({normalize_phone(s, "IN") for s in spellings}, {"+919876543210"})

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
