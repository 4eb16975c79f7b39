# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Accounting system connectors: plain Python, no ``odoo`` import.

Each system is a package with a client that keeps the contract of
:class:`.base.AccountingClient` (its capabilities as class attributes),
speaks the system's real wire protocol and turns its answers into the
records of :mod:`.base`. The hub knows systems only through ``CLIENTS``;
the connectors stay portable and are tested against the local sandboxes in
``sme_connectors.sandbox`` (tests in the repository's ``connectors/tests``).
"""
from collections import OrderedDict

from .busy import BusyClient
from .marg import MargClient
from .quickbooks import QuickBooksClient
from .tally import TallyClient
from .zoho import ZohoClient

# In the order the connection form offers them.
CLIENTS = OrderedDict(
    (client.system, client)
    for client in (TallyClient, ZohoClient, QuickBooksClient, BusyClient, MargClient)
)
