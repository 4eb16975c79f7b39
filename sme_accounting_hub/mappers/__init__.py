# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo records <-> connector records, an entity a module, both ways. Odoo-aware,
system-neutral: the connection's settings name the accounts (Tally ledgers)
to use."""
