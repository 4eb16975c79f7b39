# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The books a Zoho Books sandbox keeps: organizations with contacts (and
their contact persons), items, invoices, credit notes, customer payments,
journals, accounts and taxes, each stamped with a created_time and a
last_modified_time from a sandbox clock."""
import copy
import json
import threading
from datetime import datetime, timedelta

COLLECTIONS = (
    "contacts",
    "items",
    "invoices",
    "creditnotes",
    "customerpayments",
    "journals",
    "chartofaccounts",
    "taxes",
)
ID_KEYS = {
    "contacts": "contact_id",
    "items": "item_id",
    "invoices": "invoice_id",
    "creditnotes": "creditnote_id",
    "customerpayments": "payment_id",
    "journals": "journal_id",
    "chartofaccounts": "account_id",
    "taxes": "tax_id",
}


class ZohoOrganization(object):
    def __init__(self, organization_id, name):
        self.organization_id = str(organization_id)
        self.name = name
        self.rows = {collection: [] for collection in COLLECTIONS}


class ZohoBooks(object):
    def __init__(self):
        self.organizations = {}
        self.clock = datetime(2026, 1, 1, 9, 0, 0)
        self.next_id = 460000000001000
        self.lock = threading.RLock()

    def stamp(self):
        self.clock += timedelta(seconds=1)
        return self.clock.strftime("%Y-%m-%dT%H:%M:%S+0530")

    def new_id(self):
        self.next_id += 1
        return str(self.next_id)

    def add(self, organization_id, collection, row):
        with self.lock:
            row = dict(row)
            row.setdefault(ID_KEYS[collection], self.new_id())
            if collection == "contacts":
                self.number_persons(row)
            row["last_modified_time"] = self.stamp()
            row.setdefault("created_time", row["last_modified_time"])
            self.organizations[str(organization_id)].rows[collection].append(row)
            return row

    def number_persons(self, contact):
        """Contact persons get their ids; the primary one is the contact's
        ``primary_contact_id``."""
        persons = contact.get("contact_persons") or []
        for person in persons:
            person.setdefault("contact_person_id", self.new_id())
        if persons and not any(p.get("is_primary_contact") for p in persons):
            persons[0]["is_primary_contact"] = True
        primary = [p for p in persons if p.get("is_primary_contact")]
        contact["primary_contact_id"] = (
            primary[0]["contact_person_id"] if primary else ""
        )

    def find(self, organization_id, collection, record_id):
        for row in self.organizations[str(organization_id)].rows[collection]:
            if row[ID_KEYS[collection]] == str(record_id):
                return row
        return None

    def touch(self, row, **values):
        with self.lock:
            row.update(values)
            row["last_modified_time"] = self.stamp()
            return row

    def seed(self, data):
        with self.lock:
            for organization in data.get("organizations", []):
                org = ZohoOrganization(
                    organization["organization_id"], organization["name"]
                )
                self.organizations[org.organization_id] = org
                for collection in COLLECTIONS:
                    for row in organization.get(collection, []):
                        self.add(org.organization_id, collection, copy.deepcopy(row))

    def seed_file(self, path):
        with open(path) as handle:
            self.seed(json.load(handle))

    def summary(self):
        return {
            oid: {c: len(rows) for c, rows in org.rows.items()}
            for oid, org in self.organizations.items()
        }
