# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An in-memory Busy that answers the agent's COM calls as Busy's DLL does.

Busy keeps masters in ``Master1`` and vouchers in ``Tran1`` (header) and
``Tran2`` (account entries, debit positive, credit negative); here they are
SQLite tables of the same names and columns, so the agent's SQL runs
unchanged. Saves parse Busy's XML and answer with Busy's error strings;
voucher numbers are unique per type and series. ``lock(n)`` makes the next
``n`` calls fail with "Too many client tasks", as a Busy whose data files
are held by other users does.
"""
import json
import sqlite3
import threading
from datetime import datetime
from xml.etree import ElementTree as ET

from busy_agent.com import BusyCom

SCHEMA = """
CREATE TABLE Master1 (Code INTEGER PRIMARY KEY, MasterType INTEGER, Name TEXT,
    PrintName TEXT, ParentGrp INTEGER, Phone TEXT, Mobile TEXT, Email TEXT,
    Address1 TEXT, Address2 TEXT, Address3 TEXT, Address4 TEXT, GSTNo TEXT);
CREATE TABLE Tran1 (VchCode INTEGER PRIMARY KEY, VchType INTEGER, Series TEXT,
    VchNo TEXT, VchDate TEXT, PartyCode INTEGER, NetAmt REAL, Narration TEXT);
CREATE TABLE Tran2 (VchCode INTEGER, SrNo INTEGER, MasterCode1 INTEGER, Value1 REAL);
CREATE TABLE Tran3 (VchCode INTEGER, SrNo INTEGER, ItemName TEXT, Qty REAL,
    Price REAL, Amt REAL);
"""
GROUP, ACCOUNT = 1, 2
ITEM_VOUCHERS = {9: 1, 3: -1}  # sale / sales return: party debited / credited
ACCOUNT_VOUCHERS = (14, 16)  # receipt, journal
ROOTS = {9: "Sale", 3: "SaleReturn", 14: "Receipt", 16: "Journal"}


def _text(element, tag):
    found = element.find(tag)
    return found.text.strip() if found is not None and found.text else None


class FakeBusyCom(BusyCom):
    def __init__(self, company_code="COMP0001", returns_code=True):
        self.company_code = company_code
        self.returns_code = (
            returns_code  # newer Busy builds return the new voucher's code
        )
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.db.executescript(SCHEMA)
        self.lock_ = threading.RLock()
        self.locked_calls = 0
        self.opened = False
        self.calls = []

    # -- faults ---------------------------------------------------------
    def lock(self, calls):
        self.locked_calls = calls

    def _locked(self):
        if self.locked_calls > 0:
            self.locked_calls -= 1
            return True
        return False

    # -- the DLL's calls ------------------------------------------------
    def open_company(self):
        self.opened = True

    def query(self, sql):
        with self.lock_:
            self.calls.append("query")
            if self._locked():
                raise RuntimeError("Too many client tasks")
            if not sql.lstrip().upper().startswith("SELECT"):
                raise RuntimeError("GetRecordset takes SELECT queries only")
            rows = [dict(row) for row in self.db.execute(sql)]
        for row in rows:  # dates come out of the DLL as dates, not text
            if row.get("VchDate"):
                row["VchDate"] = datetime.strptime(row["VchDate"], "%Y-%m-%d")
        return rows

    def _start_save(self, call, xml):
        """``(root, None)``, or ``(None, Busy's error)`` when locked or not XML."""
        self.calls.append(call)
        if self._locked():
            return None, "Too many client tasks"
        try:
            return ET.fromstring(xml), None
        except ET.ParseError as error:
            return None, "Invalid XML : %s" % error

    def save_master(self, master_type, xml, modify=False):
        with self.lock_:
            root, error = self._start_save("save_master", xml)
            if error:
                return False, error, None
            name = _text(root, "Name")
            if master_type != ACCOUNT or root.tag != "Account" or not name:
                return False, "Invalid Master Type or Name", None
            group = self._code(_text(root, "ParentGroup") or "", GROUP)
            if not group:
                return (
                    False,
                    "Invalid Parent Group : %s" % _text(root, "ParentGroup"),
                    None,
                )
            existing = self._code(name, ACCOUNT)
            if existing and not modify:
                return False, "Name already exists : %s" % name, None
            if modify and not existing:
                return False, "Master not found : %s" % name, None
            values = (
                name,
                _text(root, "PrintName") or name,
                group,
                _text(root, "Phone"),
                _text(root, "Mobile"),
                _text(root, "Email"),
                _text(root, "Address1"),
                _text(root, "Address2"),
                _text(root, "Address3"),
                _text(root, "Address4"),
                _text(root, "GSTNo"),
            )
            if existing:
                self.db.execute(
                    "UPDATE Master1 SET Name=?, PrintName=?, ParentGrp=?, Phone=?, "
                    "Mobile=?, Email=?, Address1=?, Address2=?, Address3=?, Address4=?, "
                    "GSTNo=? WHERE Code=?",
                    values + (existing,),
                )
                return True, "", existing
            cursor = self.db.execute(
                "INSERT INTO Master1 (MasterType, Name, PrintName, ParentGrp, Phone, "
                "Mobile, Email, Address1, Address2, Address3, Address4, GSTNo) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (ACCOUNT,) + values,
            )
            return True, "", cursor.lastrowid

    def save_voucher(self, vch_type, xml, modify=False):
        with self.lock_:
            root, error = self._start_save("save_voucher", xml)
            if error:
                return False, error, None
            if ROOTS.get(vch_type) != root.tag or str(vch_type) != (
                _text(root, "VchType") or ""
            ):
                return False, "Invalid Voucher Type", None
            series, number = _text(root, "VchSeriesName") or "Main", _text(
                root, "VchNo"
            )
            try:
                day = datetime.strptime(_text(root, "Date") or "", "%d-%m-%Y").strftime(
                    "%Y-%m-%d"
                )
            except ValueError:
                return False, "Invalid Date : %s" % _text(root, "Date"), None
            if not number:
                return False, "Voucher Number is blank", None
            existing = self.db.execute(
                "SELECT VchCode FROM Tran1 WHERE VchType=? AND Series=? AND VchNo=?",
                (vch_type, series, number),
            ).fetchone()
            if existing and not modify:
                return (
                    False,
                    "Voucher number already exists in series %s" % series,
                    None,
                )
            if modify and not existing:
                return False, "Voucher not found", None
            built = self._entries(vch_type, root)
            if isinstance(built, str):
                return False, built, None
            party, entries, items = built
            if existing:
                code = existing["VchCode"]
                for table in ("Tran1", "Tran2", "Tran3"):
                    self.db.execute("DELETE FROM %s WHERE VchCode=?" % table, (code,))
            net = sum(value for _account, value in entries if value > 0)
            cursor = self.db.execute(
                "INSERT INTO Tran1 (VchCode, VchType, Series, VchNo, VchDate, PartyCode, "
                "NetAmt, Narration) VALUES (?,?,?,?,?,?,?,?)",
                (
                    existing["VchCode"] if existing else None,
                    vch_type,
                    series,
                    number,
                    day,
                    party,
                    round(net, 2),
                    _text(root, "Narration"),
                ),
            )
            code = cursor.lastrowid
            for number_, (account, value) in enumerate(entries, 1):
                self.db.execute(
                    "INSERT INTO Tran2 VALUES (?,?,?,?)",
                    (code, number_, account, round(value, 2)),
                )
            for number_, item in enumerate(items, 1):
                self.db.execute(
                    "INSERT INTO Tran3 VALUES (?,?,?,?,?,?)", (code, number_) + item
                )
            return True, "", code if self.returns_code else None

    def _entries(self, vch_type, root):
        """``(party code, [(account code, signed value)], items)`` or an error string."""
        if vch_type in ITEM_VOUCHERS:
            sign = ITEM_VOUCHERS[vch_type]
            party = self._code(_text(root, "MasterName1") or "", ACCOUNT)
            if not party:
                return "Invalid Account Name : %s" % _text(root, "MasterName1")
            sales = self._code(_text(root, "MasterName2") or "", ACCOUNT)
            if not sales:
                return "Invalid Account Name : %s" % _text(root, "MasterName2")
            items = [
                (
                    _text(d, "ItemName"),
                    float(_text(d, "Qty") or 1),
                    float(_text(d, "Price") or 0),
                    float(_text(d, "Amt") or 0),
                )
                for d in root.findall("ItemEntries/ItemDetail")
            ]
            if not items:
                return "No Item Entered"
            base = sum(item[3] for item in items)
            entries = [(sales, -sign * base)]
            for sundry in root.findall("BillSundries/BSDetail"):
                account = self._code(_text(sundry, "BSName") or "", ACCOUNT)
                if not account:
                    return "Invalid Account Name : %s" % _text(sundry, "BSName")
                entries.append((account, -sign * float(_text(sundry, "Amt") or 0)))
            total = -sum(value for _account, value in entries)
            return party, [(party, total)] + entries, items
        entries = []
        for detail in root.findall("AccEntries/AccDetail"):
            account = self._code(_text(detail, "AccountName") or "", ACCOUNT)
            if not account:
                return "Invalid Account Name : %s" % _text(detail, "AccountName")
            amount = float(_text(detail, "AmtMainCur") or 0)
            entries.append(
                (account, amount if _text(detail, "AmountType") == "1" else -amount)
            )
        if len(entries) < 2 or abs(sum(value for _account, value in entries)) > 0.005:
            return "Voucher not balanced (Dr and Cr differ)"
        debtors = self._code("Sundry Debtors", GROUP)
        party = next(
            (
                account
                for account, _value in entries
                if self.db.execute(
                    "SELECT 1 FROM Master1 WHERE Code=? AND ParentGrp=?",
                    (account, debtors),
                ).fetchone()
            ),
            0,
        )
        return party, entries, []

    def delete_voucher(self, vch_type, series, date_ddmmyyyy, number):
        with self.lock_:
            self.calls.append("delete_voucher")
            if self._locked():
                return False, "Too many client tasks", None
            day = datetime.strptime(date_ddmmyyyy, "%d-%m-%Y").strftime("%Y-%m-%d")
            row = self.db.execute(
                "SELECT VchCode FROM Tran1"
                " WHERE VchType=? AND Series=? AND VchNo=? AND VchDate=?",
                (vch_type, series, number, day),
            ).fetchone()
            if not row:
                return False, "Voucher not found", None
            for table in ("Tran1", "Tran2", "Tran3"):
                self.db.execute(
                    "DELETE FROM %s WHERE VchCode=?" % table, (row["VchCode"],)
                )
            return True, "", None

    # -- helpers for the sandbox and tests ------------------------------
    def _code(self, name, master_type):
        row = self.db.execute(
            "SELECT Code FROM Master1 WHERE Name=? AND MasterType=?",
            (name, master_type),
        ).fetchone()
        return row["Code"] if row else None

    def add_group(self, name):
        with self.lock_:
            return self.db.execute(
                "INSERT INTO Master1 (MasterType, Name, PrintName) VALUES (?,?,?)",
                (GROUP, name, name),
            ).lastrowid

    def add_account(self, name, group, **fields):
        with self.lock_:
            columns = ["MasterType", "Name", "PrintName", "ParentGrp"] + sorted(fields)
            values = [ACCOUNT, name, name, self._code(group, GROUP)] + [
                fields[k] for k in sorted(fields)
            ]
            return self.db.execute(
                "INSERT INTO Master1 (%s) VALUES (%s)"
                % (", ".join(columns), ", ".join("?" * len(values))),
                values,
            ).lastrowid

    def rows(self, table, **where):
        with self.lock_:
            sql = "SELECT * FROM %s" % table
            if where:
                sql += " WHERE " + " AND ".join("%s=?" % key for key in sorted(where))
            return [
                dict(row)
                for row in self.db.execute(sql, [where[k] for k in sorted(where)])
            ]

    def seed(self, data):
        """Loads ``{"groups": [...], "accounts": [{name, group, ...}],
        "vouchers": [{type, xml}]}``."""
        for group in data.get("groups", []):
            self.add_group(group)
        for account in data.get("accounts", []):
            account = dict(account)
            self.add_account(account.pop("name"), account.pop("group"), **account)
        for voucher in data.get("vouchers", []):
            ok, error, _code = self.save_voucher(voucher["type"], voucher["xml"])
            if not ok:
                raise ValueError("seed voucher refused: %s" % error)

    def seed_file(self, path):
        with open(path) as handle:
            self.seed(json.load(handle))

    def summary(self):
        return {
            table: len(self.rows(table))
            for table in ("Master1", "Tran1", "Tran2", "Tran3")
        }
