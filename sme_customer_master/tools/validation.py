# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Format checks for customer identifiers."""
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.in_ import gstin as stdnum_gstin

from odoo.tools.mail import single_email_re


def clean_gstin(value):
    """Return the GSTIN compacted and upper-cased, or raise ValueError with
    the reason (length, format or check digit) when it is not valid."""
    compact = stdnum_gstin.compact(value or "")
    try:
        return stdnum_gstin.validate(compact)
    except StdnumValidationError as error:
        raise ValueError(error.message) from error


def is_valid_email(value):
    return bool(single_email_re.match((value or "").strip()))
