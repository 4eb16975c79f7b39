# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The business date SME Hub works with.

Scheduled actions that look at a given day (overdue invoices on the 15th)
put that day in the context as ``sme_today``, so that every listener of the
events they publish judges the same day; otherwise it is the user's today.
"""
from odoo import fields


def sme_today(record):
    """``datetime.date`` of the business day for ``record``'s environment."""
    value = record.env.context.get("sme_today") or fields.Date.context_today(record)
    return fields.Date.from_string(value)
