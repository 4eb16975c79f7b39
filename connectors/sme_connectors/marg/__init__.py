# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from .client import MargClient  # noqa: F401
from .codec import MargDecodeError, decode_payload  # noqa: F401
