"""Tally (TallyPrime / Tally.ERP 9): XML over HTTP, default port 9000."""
from .client import TallyClient  # noqa: F401
