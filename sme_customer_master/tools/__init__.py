# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Plain-Python rules of the customer master (no ORM), shared by its models."""
from .phone import normalize_phone, InvalidPhone  # noqa: F401
from .names import sanitize_name, InvalidName  # noqa: F401
from .validation import clean_gstin, is_valid_email  # noqa: F401
