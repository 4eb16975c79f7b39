# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which unit syncs which entity, and which Odoo model goes out as which
entity: the hub's dispatch (no method looked up by name)."""
from collections import OrderedDict

from .accounts import AccountSync
from .customers import CustomerSync
from .invoices import InvoiceSync
from .journal_entries import BankSync, JournalSync, move_entity
from .payments import PaymentSync
from .trial_balance import TrialBalanceSync

# Pulled in this order (customers before the vouchers that name them, accounts before journals).
UNITS = OrderedDict(
    (unit.entity, unit)
    for unit in (
        CustomerSync,
        AccountSync,
        InvoiceSync,
        PaymentSync,
        JournalSync,
        BankSync,
        TrialBalanceSync,
    )
)
PULL_ENTITIES = tuple(UNITS)


def export_entity(record):
    """The entity a record is sent as (None: it does not go by itself)."""
    if record._name == "account.move":
        return move_entity(record)
    return {
        "res.partner": "customers",
        "account.invoice": "invoices",
        "account.payment": "payments",
    }.get(record._name)
