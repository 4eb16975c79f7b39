# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The books a Tally sandbox keeps in memory: companies, groups, voucher
types, ledgers and vouchers, with GUID, MASTERID and ALTERID as Tally
assigns them.

Written independently of the hub's connector, from Tally's documented
behaviour (shared/reference/tally.md) and the answers real TallyPrime /
Tally.ERP 9 companies gave (shared/real-samples/tally), so that tests of
the connector against it mean something.

A voucher is a dict: DATE, VOUCHERTYPENAME, VOUCHERNUMBER, PARTYLEDGERNAME,
NARRATION, REMOTEID, and ENTRIES, its complete ledger lines as
``(ledger, amount, is_deemed_positive)`` with Tally's signs (debits
negative; ISDEEMEDPOSITIVE is usually "amount < 0" but not always: a TDS
line of an expense voucher is deemed positive and credited). An
invoice-view voucher also has INVENTORY (its stock lines, each with the
ledger its amount posts to) and LEDGER_ENTRIES (its lines other than the
stock lines' ledgers); its ENTRIES hold both. BILLS, when a line has
bill-wise details, is ``{ledger: [{NAME, BILLTYPE, AMOUNT}]}`` (the
invoice numbers a receipt pays, an invoice's "New Ref").
"""
import json
import threading
import uuid

STANDARD_GROUPS = {
    "Capital Account": None,
    "Current Assets": None,
    "Current Liabilities": None,
    "Direct Expenses": None,
    "Direct Incomes": None,
    "Indirect Expenses": None,
    "Indirect Incomes": None,
    "Sales Accounts": None,
    "Purchase Accounts": None,
    "Bank Accounts": "Current Assets",
    "Cash-in-Hand": "Current Assets",
    "Sundry Debtors": "Current Assets",
    "Sundry Creditors": "Current Liabilities",
    "Duties & Taxes": "Current Liabilities",
}
# Tally's predefined voucher types: each is its own parent and carries its
# name as RESERVEDNAME, which stays when a user renames it.
STANDARD_VOUCHER_TYPES = (
    "Contra",
    "Credit Note",
    "Debit Note",
    "Delivery Note",
    "Journal",
    "Memorandum",
    "Payment",
    "Physical Stock",
    "Purchase",
    "Purchase Order",
    "Receipt",
    "Receipt Note",
    "Rejections In",
    "Rejections Out",
    "Reversing Journal",
    "Sales",
    "Sales Order",
    "Stock Journal",
)
# Where a TallyPrime 3 ledger's dated lists start when nothing else is said.
DEFAULT_APPLICABLE_FROM = "20240401"


class TallyError(Exception):
    """A record Tally refuses, with Tally's own words."""


class Company(object):
    def __init__(self, name):
        self.name = name
        self.guid = str(uuid.uuid4())
        self.groups = dict(STANDARD_GROUPS)
        self.voucher_types = {}  # name -> dict(RESERVEDNAME, PARENT, GUID, ...)
        self.ledgers = {}  # name -> dict
        self.vouchers = []  # dicts, in entry order
        self.last_alter_id = 0
        self.last_master_id = 0
        for name in STANDARD_VOUCHER_TYPES:
            self.add_voucher_type(name, parent=name, reserved=name)

    def _stamp(self, record, new):
        self.last_alter_id += 1
        record["ALTERID"] = self.last_alter_id
        if new:
            self.last_master_id += 1
            record["MASTERID"] = self.last_master_id
            # Tally's GUIDs: the company's GUID and the object's serial.
            record["GUID"] = "%s-%08x" % (self.guid, self.last_master_id)

    # -- voucher types --------------------------------------------------
    def add_voucher_type(self, name, parent=None, reserved=None):
        """A voucher type under ``parent`` (users' own types have no
        RESERVEDNAME)."""
        if name in self.voucher_types:
            raise TallyError("Voucher Type '%s' already exists!" % name)
        if parent not in self.voucher_types and parent != name:
            raise TallyError("Voucher Type '%s' does not exist!" % parent)
        record = {"NAME": name, "PARENT": parent, "RESERVEDNAME": reserved or ""}
        self._stamp(record, new=True)
        self.voucher_types[name] = record
        return record

    def rename_voucher_type(self, old, new):
        """What a user does in Alter Voucher Type: the reserved name stays,
        a predefined type stays its own parent, and everything that named
        the type names it anew."""
        record = self.voucher_types.pop(old, None)
        if record is None:
            raise TallyError("Voucher Type '%s' does not exist!" % old)
        record["NAME"] = new
        for other in list(self.voucher_types.values()) + [record]:
            if other["PARENT"] == old:
                other["PARENT"] = new
        for voucher in self.vouchers:
            if voucher["VOUCHERTYPENAME"] == old:
                voucher["VOUCHERTYPENAME"] = new
        self._stamp(record, new=False)
        self.voucher_types[new] = record

    # -- ledgers --------------------------------------------------------
    def save_ledger(self, values, action):
        name = values["NAME"]
        existing = self.ledgers.get(name)
        if action == "Create" and existing:
            raise TallyError(
                "Could not set OPENINGBALANCE : Duplicate name '%s'" % name
            )
        if action == "Alter" and not existing:
            raise TallyError("Ledger '%s' does not exist!" % name)
        parent = values.get("PARENT") or (existing or {}).get("PARENT")
        if parent not in self.groups:
            raise TallyError("Group '%s' does not exist!" % parent)
        if existing:
            existing.update({k: v for k, v in values.items() if v not in (None, "")})
            _sync_dated_lists(existing)
            self._stamp(existing, new=False)
            return "altered", existing
        record = dict(
            values, PARENT=parent, OPENINGBALANCE=values.get("OPENINGBALANCE") or 0.0
        )
        _flatten_dated_lists(record)
        self._stamp(record, new=True)
        self.ledgers[name] = record
        return "created", record

    # -- vouchers -------------------------------------------------------
    def save_voucher(self, values, action):
        if not values.get("DATE"):
            raise TallyError("Voucher date is missing")
        if values.get("VOUCHERTYPENAME") not in self.voucher_types:
            raise TallyError(
                "Voucher Type '%s' does not exist!" % values.get("VOUCHERTYPENAME")
            )
        for ledger, _amount, _positive in values["ENTRIES"]:
            if ledger not in self.ledgers:
                raise TallyError("Ledger '%s' does not exist!" % ledger)
        if round(sum(amount for _l, amount, _p in values["ENTRIES"]), 2) != 0:
            raise TallyError("Voucher totals do not match!")
        by_remote = values.get("REMOTEID") and next(
            (v for v in self.vouchers if v.get("REMOTEID") == values["REMOTEID"]), None
        )
        if action == "Alter" or by_remote:
            # Sending a REMOTEID again alters that voucher instead of booking twice.
            if not by_remote:
                raise TallyError(
                    "Voucher '%s' does not exist!" % values.get("REMOTEID")
                )
            by_remote.update(values)
            self._stamp(by_remote, new=False)
            return "altered", by_remote
        duplicate = next(
            (
                v
                for v in self.vouchers
                if v["VOUCHERTYPENAME"] == values["VOUCHERTYPENAME"]
                and v.get("VOUCHERNUMBER")
                and v["VOUCHERNUMBER"] == values.get("VOUCHERNUMBER")
            ),
            None,
        )
        if duplicate:
            raise TallyError(
                "Voucher Number '%s' already exists!" % values["VOUCHERNUMBER"]
            )
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
            if voucher.get("ISCANCELLED") or voucher.get("ISOPTIONAL"):
                continue
            balance += sum(
                amount
                for ledger, amount, _p in voucher["ENTRIES"]
                if ledger == ledger_name
            )
        return round(balance, 2)


# A TallyPrime 3 ledger keeps its address (MAILING) and GST registration
# (GSTREG) as lists of entries applicable from a date; the flat fields of
# older releases are the latest entry's.
_MAILING_FIELDS = {
    "ADDRESS": "ADDRESS",
    "STATE": "LEDSTATENAME",
    "PINCODE": "PINCODE",
    "COUNTRY": "COUNTRYNAME",
}
_GSTREG_FIELDS = {
    "GSTIN": "PARTYGSTIN",
    "GSTREGISTRATIONTYPE": "GSTREGISTRATIONTYPE",
    "PLACEOFSUPPLY": "PLACEOFSUPPLY",
}


def latest(entries):
    """The entry applicable from the latest date (the last one at a tie)."""
    if not entries:
        return None
    return max(
        enumerate(entries),
        key=lambda pair: (pair[1].get("APPLICABLEFROM") or "", pair[0]),
    )[1]


def _flatten_dated_lists(record):
    """A new ledger's flat fields from the latest dated entries it was given."""
    for key, fields in (("MAILING", _MAILING_FIELDS), ("GSTREG", _GSTREG_FIELDS)):
        current = latest(record.get(key))
        if current:
            for field, flat in fields.items():
                if current.get(field) not in (None, "", []):
                    record[flat] = current[field]


def _sync_dated_lists(record):
    """After an alteration sent in the flat shape, the latest dated entry
    says what the flat fields say (the sandbox is lenient here: a real
    TallyPrime 3 may keep the dated lists as they were)."""
    for key, fields in (("MAILING", _MAILING_FIELDS), ("GSTREG", _GSTREG_FIELDS)):
        current = latest(record.get(key))
        if current:
            for field, flat in fields.items():
                if record.get(flat) not in (None, "", []):
                    current[field] = record[flat]


def _seed_entry(line):
    amount = float(line["amount"])
    positive = line["deemed_positive"] if "deemed_positive" in line else amount < 0
    return (line["ledger"], amount, bool(positive))


def voucher_from_seed(voucher):
    """A seed's voucher (``{"date", "type", "number", "party", "entries":
    [{"ledger", "amount", "deemed_positive"?, "bills"?}], "inventory": [{"item",
    "qty", "unit", "rate", "amount", "ledger"?, "gst_rate"?}], "view"?}``,
    amounts signed as Tally signs them) as the sandbox keeps it."""
    ledger_entries = [_seed_entry(line) for line in voucher.get("entries", [])]
    inventory = [dict(item) for item in voucher.get("inventory", [])]
    entries = list(ledger_entries)
    for item in inventory:
        if item.get("ledger"):
            entries.append(
                (item["ledger"], float(item["amount"]), float(item["amount"]) < 0)
            )
    values = {
        "DATE": voucher["date"],
        "VOUCHERTYPENAME": voucher["type"],
        "VOUCHERNUMBER": voucher.get("number"),
        "PARTYLEDGERNAME": voucher.get("party"),
        "NARRATION": voucher.get("narration"),
        "REMOTEID": voucher.get("remote_id"),
        "ENTRIES": entries,
    }
    if inventory or voucher.get("view") == "invoice":
        values.update(
            INVENTORY=inventory, LEDGER_ENTRIES=ledger_entries, ISINVOICE=True
        )
    if voucher.get("cancelled"):
        values["ISCANCELLED"] = True
    if voucher.get("optional"):
        values["ISOPTIONAL"] = True
    if voucher.get("class"):
        values["CLASSNAME"] = voucher["class"]
    # Bill-wise details of a line: ``"bills": [{"name", "type"?, "amount"?}]``
    # (a receipt's "Agst Ref" to the invoices it pays; the amount is the line's).
    bills = {}
    for line in voucher.get("entries", []):
        for bill in line.get("bills") or []:
            bills.setdefault(line["ledger"], []).append(
                {
                    "NAME": bill["name"],
                    "BILLTYPE": bill.get("type") or "Agst Ref",
                    "AMOUNT": float(bill.get("amount", line["amount"])),
                }
            )
    if bills:
        values["BILLS"] = bills
    return values


class TallyBooks(object):
    """Every company of the sandbox, and which ones are open."""

    def __init__(self):
        self.lock = threading.Lock()
        self.companies = {}
        self.open_companies = set()

    def company(self, name):
        if not name:
            # Without SVCURRENTCOMPANY Tally uses the active company.
            return (
                self.companies.get(sorted(self.open_companies)[0])
                if self.open_companies
                else None
            )
        return self.companies.get(name) if name in self.open_companies else None

    def add_company(self, name, is_open=True):
        company = self.companies.setdefault(name, Company(name))
        if is_open:
            self.open_companies.add(name)
        return company

    def seed(self, data):
        """Load ``{'settings': {...}?, 'companies': [{'name', 'groups': {},
        'voucher_types': [{'name', 'parent'} | {'name', 'rename'}],
        'ledgers': [{...}], 'vouchers': [...]}]}``. ``settings`` (the
        release's answer shapes, e.g. ``{"ledger_shape": "prime3"}``) are
        the server's to apply."""
        for spec in data.get("companies", []):
            company = self.add_company(spec["name"], spec.get("open", True))
            for group, parent in spec.get("groups", {}).items():
                company.groups[group] = parent
            for vch_type in spec.get("voucher_types", []):
                if vch_type.get("rename"):
                    company.rename_voucher_type(vch_type["rename"], vch_type["name"])
                else:
                    company.add_voucher_type(vch_type["name"], vch_type["parent"])
            for ledger in spec.get("ledgers", []):
                company.save_ledger(dict(ledger), "Create")
            for voucher in spec.get("vouchers", []):
                company.save_voucher(voucher_from_seed(voucher), "Create")

    def seed_file(self, path):
        with open(path) as handle:
            data = json.load(handle)
        self.seed(data)
        return data.get("settings") or {}

    def summary(self):
        return {
            name: {
                "open": name in self.open_companies,
                "ledgers": len(c.ledgers),
                "vouchers": len(c.vouchers),
                "last_alter_id": c.last_alter_id,
            }
            for name, c in self.companies.items()
        }
