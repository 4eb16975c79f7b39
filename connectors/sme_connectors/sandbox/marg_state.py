# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An in-memory Marg ERP company set: parties, products, sales lines and
stock, each row stamped with the (sandbox) time it last changed. Sections
are named as in Marg's decrypted pages (sales lines: ``Dis``); ``Details``,
the name older seeds and callers use for the sales lines, is taken for
``Dis``."""
import copy
import json
import threading
from datetime import datetime, timedelta

SECTIONS = ("Party", "Product", "Dis", "Stock")
ALIASES = {"Details": "Dis"}
STAMP_FORMAT = "%Y-%m-%d %H:%M:%S"
# Row keys, for upserts (Marg integrations dedupe on these too).
KEYS = {
    "Party": ("CID",),
    "Product": ("PID",),
    "Dis": ("Voucher", "Date", "PID", "Batch"),
    "Stock": ("PID", "Batch"),
}


class MargCompany(object):
    def __init__(self, code, marg_key, decryption_key, company_id="0", branches=None):
        self.code = code
        self.marg_key = marg_key
        self.decryption_key = decryption_key
        self.company_id = str(company_id)
        self.branches = branches or [
            {"CompanyID": self.company_id, "Name": "Head Office"}
        ]
        self.rows = {section: [] for section in SECTIONS}


class MargBooks(object):
    """Every change moves the sandbox clock one second on, so that
    'changed since DateTime' is exact and repeatable."""

    def __init__(self):
        self.companies = {}
        self.clock = datetime(2026, 1, 1, 9, 0, 0)
        self.lock = threading.RLock()

    def now(self):
        return self.clock.strftime(STAMP_FORMAT)

    def tick(self):
        self.clock += timedelta(seconds=1)
        return self.now()

    def add_company(
        self, code, marg_key, decryption_key, company_id="0", branches=None
    ):
        self.companies[code] = MargCompany(
            code, marg_key, decryption_key, company_id, branches
        )
        return self.companies[code]

    def upsert(self, code, section, row):
        """Add or replace a row (by its key) and stamp it."""
        section = ALIASES.get(section, section)
        with self.lock:
            company = self.companies[code]
            key = tuple(str(row.get(field)) for field in KEYS[section])
            rows = [
                r
                for r in company.rows[section]
                if tuple(str(r.get(field)) for field in KEYS[section]) != key
            ]
            rows.append(dict(row, _changed=self.tick()))
            company.rows[section] = rows

    def changed_since(self, code, since):
        """``[(section, row)]`` changed after ``since`` (everything when blank),
        oldest first."""
        company = self.companies[code]
        found = []
        for section in SECTIONS:
            for row in company.rows[section]:
                if not since or row["_changed"] > since:
                    found.append(
                        (row["_changed"], SECTIONS.index(section), section, row)
                    )
        found.sort(key=lambda entry: entry[:2])
        return [
            (section, {k: v for k, v in row.items() if k != "_changed"})
            for _stamp, _order, section, row in found
        ]

    def seed(self, data):
        with self.lock:
            for company in data.get("companies", []):
                self.add_company(
                    company["code"],
                    company["marg_key"],
                    company["decryption_key"],
                    company.get("company_id", "0"),
                    company.get("branches"),
                )
                for section in SECTIONS:
                    names = [section] + [
                        alias for alias, name in ALIASES.items() if name == section
                    ]
                    for row in [row for name in names for row in company.get(name, [])]:
                        self.upsert(company["code"], section, copy.deepcopy(row))

    def seed_file(self, path):
        with open(path) as handle:
            self.seed(json.load(handle))

    def summary(self):
        return {
            code: {section: len(rows) for section, rows in company.rows.items()}
            for code, company in self.companies.items()
        }
