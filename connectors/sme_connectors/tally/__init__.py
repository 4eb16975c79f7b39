# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Tally (TallyPrime / Tally.ERP 9): XML over HTTP, default port 9000."""
from .client import TallyClient  # noqa: F401
