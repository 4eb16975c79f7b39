"""The books a Tally sandbox keeps in memory: companies, groups, ledgers
and vouchers, with GUID, MASTERID and ALTERID as Tally assigns them.

Written independently of the hub's connector, from Tally's documented
behaviour (shared/reference/tally.md), so that tests of the connector
against it mean something.
"""
import json
import threading
import uuid

STANDARD_GROUPS = {
    "Capital Account": None, "Current Assets": None, "Current Liabilities": None,
    "Direct Expenses": None, "Direct Incomes": None, "Indirect Expenses": None,
    "Indirect Incomes": None, "Sales Accounts": None, "Purchase Accounts": None,
    "Bank Accounts": "Current Assets", "Cash-in-Hand": "Current Assets",
    "Sundry Debtors": "Current Assets", "Sundry Creditors": "Current Liabilities",
    "Duties & Taxes": "Current Liabilities",
}


class TallyError(Exception):
    """A record Tally refuses, with Tally's own words."""


class Company(object):
    def __init__(self, name):
        self.name = name
        self.groups = dict(STANDARD_GROUPS)
        self.ledgers = {}      # name -> dict
        self.vouchers = []     # dicts, in entry order
        self.last_alter_id = 0
        self.last_master_id = 0

    def _stamp(self, record, new):
        self.last_alter_id += 1
        record["ALTERID"] = self.last_alter_id
        if new:
            self.last_master_id += 1
            record["MASTERID"] = self.last_master_id
            record["GUID"] = str(uuid.uuid4())

    # -- ledgers --------------------------------------------------------
    def save_ledger(self, values, action):
        name = values["NAME"]
        existing = self.ledgers.get(name)
        if action == "Create" and existing:
            raise TallyError("Could not set OPENINGBALANCE : Duplicate name '%s'" % name)
        if action == "Alter" and not existing:
            raise TallyError("Ledger '%s' does not exist!" % name)
        parent = values.get("PARENT") or (existing or {}).get("PARENT")
        if parent not in self.groups:
            raise TallyError("Group '%s' does not exist!" % parent)
        if existing:
            existing.update({k: v for k, v in values.items() if v not in (None, "")})
            self._stamp(existing, new=False)
            return "altered", existing
        record = dict(values, PARENT=parent, OPENINGBALANCE=values.get("OPENINGBALANCE") or 0.0)
        self._stamp(record, new=True)
        self.ledgers[name] = record
        return "created", record

    # -- vouchers -------------------------------------------------------
    def save_voucher(self, values, action):
        if not values.get("DATE"):
            raise TallyError("Voucher date is missing")
        for ledger, _amount, _positive in values["ENTRIES"]:
            if ledger not in self.ledgers:
                raise TallyError("Ledger '%s' does not exist!" % ledger)
        if round(sum(amount for _l, amount, _p in values["ENTRIES"]), 2) != 0:
            raise TallyError("Voucher totals do not match!")
        by_remote = values.get("REMOTEID") and next(
            (v for v in self.vouchers if v.get("REMOTEID") == values["REMOTEID"]), None)
        if action == "Alter" or by_remote:
            # Sending a REMOTEID again alters that voucher instead of booking twice.
            if not by_remote:
                raise TallyError("Voucher '%s' does not exist!" % values.get("REMOTEID"))
            by_remote.update(values)
            self._stamp(by_remote, new=False)
            return "altered", by_remote
        duplicate = next((v for v in self.vouchers if v["VOUCHERTYPENAME"] == values["VOUCHERTYPENAME"]
                          and v.get("VOUCHERNUMBER") and v["VOUCHERNUMBER"] == values.get("VOUCHERNUMBER")),
                         None)
        if duplicate:
            raise TallyError("Voucher Number '%s' already exists!" % values["VOUCHERNUMBER"])
        record = dict(values)
        self._stamp(record, new=True)
        self.vouchers.append(record)
        return "created", record

    def closing_balance(self, ledger_name, to_date=None):
        """Tally's sign: debit negative."""
        balance = float(self.ledgers[ledger_name].get("OPENINGBALANCE") or 0.0)
        for voucher in self.vouchers:
            if to_date and voucher["DATE"] > to_date:
                continue
            balance += sum(amount for ledger, amount, _p in voucher["ENTRIES"] if ledger == ledger_name)
        return round(balance, 2)


class TallyBooks(object):
    """Every company of the sandbox, and which ones are open."""

    def __init__(self):
        self.lock = threading.Lock()
        self.companies = {}
        self.open_companies = set()

    def company(self, name):
        if not name:
            # Without SVCURRENTCOMPANY Tally uses the active company.
            return self.companies.get(sorted(self.open_companies)[0]) if self.open_companies else None
        return self.companies.get(name) if name in self.open_companies else None

    def add_company(self, name, is_open=True):
        company = self.companies.setdefault(name, Company(name))
        if is_open:
            self.open_companies.add(name)
        return company

    def seed(self, data):
        """Load ``{'companies': [{'name', 'ledgers': [{...}], 'vouchers': [...]}]}``."""
        for spec in data.get("companies", []):
            company = self.add_company(spec["name"], spec.get("open", True))
            for group, parent in spec.get("groups", {}).items():
                company.groups[group] = parent
            for ledger in spec.get("ledgers", []):
                company.save_ledger(dict(ledger), "Create")
            for voucher in spec.get("vouchers", []):
                entries = [(line["ledger"], float(line["amount"]), float(line["amount"]) < 0)
                           for line in voucher["entries"]]
                company.save_voucher({
                    "DATE": voucher["date"], "VOUCHERTYPENAME": voucher["type"],
                    "VOUCHERNUMBER": voucher.get("number"), "PARTYLEDGERNAME": voucher.get("party"),
                    "NARRATION": voucher.get("narration"), "REMOTEID": voucher.get("remote_id"),
                    "ENTRIES": entries}, "Create")

    def seed_file(self, path):
        with open(path) as handle:
            self.seed(json.load(handle))

    def summary(self):
        return {name: {"open": name in self.open_companies, "ledgers": len(c.ledgers),
                       "vouchers": len(c.vouchers), "last_alter_id": c.last_alter_id}
                for name, c in self.companies.items()}
