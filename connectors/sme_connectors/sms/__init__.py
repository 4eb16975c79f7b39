# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SMS gateway connector: plain Python, no ``odoo`` import (see client.py)."""
from .client import DeliveryStatus, RateLimited, SendResult, SmsClient  # noqa: F401
