# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Phone numbers to E.164, the one spelling the customer master stores."""
import phonenumbers


class InvalidPhone(ValueError):
    """The text is not a valid phone number for the region."""


def normalize_phone(raw, region="IN"):
    """Return ``raw`` as E.164 (``+919876543210``), or None when it is empty
    (only white space, of any kind).

    ``region`` is the ISO country code used for numbers written without a
    country prefix (``098765-43210`` in India). Raises InvalidPhone for text
    that is not a possible, valid number, and for text with letters:
    ``phonenumbers`` would read ``1-800-FLOWERS`` or ``98765ABCDE`` as keypad
    letters, and a customer's number is never written that way.
    """
    if raw is None:
        return None
    text = str(raw).strip()
    if not text:
        return None
    if any(char.isalpha() for char in text):
        raise InvalidPhone(text)
    try:
        number = phonenumbers.parse(text, (region or "IN").upper())
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone(text) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
