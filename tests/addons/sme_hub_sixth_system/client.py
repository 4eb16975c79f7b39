# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The made-up system's client: the AccountingClient contract, its
capabilities as class attributes. A real system's client goes into the
connectors package and its CLIENTS; the test puts this one there while it
runs (plain Python: no Odoo here)."""
from sme_connectors.base import AccountingClient, Records, SettingsMissing, WriteResult


class MadeUpBooks(AccountingClient):
    """Customers kept in memory, numbered; versions grow with each write."""

    system, label = "madeup", "Made-up Books"
    pulls = frozenset(("customers",))
    pushes = frozenset(("customers",))
    note = "Made-up Books: customers both ways."
    ledgers = {}  # external id -> Customer, shared by the clients of a test
    last_settings = None  # what the hub made the last client from

    @classmethod
    def from_settings(cls, settings):
        if not settings.get("url"):
            raise SettingsMissing("Set the Made-up Books address first.")
        cls.last_settings = dict(settings)
        return cls()

    def test_connection(self):
        return 0.001, "Made-up Books at your service"

    def iter_customers(self, since=None):
        changed = [c for c in self.ledgers.values() if c.version > (since or 0)]
        return Records(changed, expected=len(changed))

    def find_customer(self, key):
        return self.ledgers.get(key) or next(
            (c for c in self.ledgers.values() if c.name == key), None
        )

    def push_customer(self, customer, alter=False):
        existing = self.find_customer(customer.external_id if alter else customer.name)
        if existing and not alter:
            return WriteResult(customer.name, "linked", existing.external_id)
        external_id = (
            existing.external_id if existing else "MU%03d" % (len(self.ledgers) + 1)
        )
        version = max([c.version for c in self.ledgers.values()] or [0]) + 1
        self.ledgers[external_id] = customer._replace(
            external_id=external_id, version=version
        )
        return WriteResult(
            customer.name,
            "altered" if existing else "created",
            external_id,
            version=version,
        )
