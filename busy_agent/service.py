# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the agent does with Busy: reads by high-water mark, saves and
deletes, with Busy's codes and error strings turned into clear results.

Busy has no change counter: reads return records whose code is above a
point (``after``) and the highest code seen; edits of older records are
found by the hub's periodic full read. SQL is built from integers only
(codes, types): names are matched in Python, never put into SQL.
"""
import time

from . import codes, xmlbuild
from .com import BusyUnavailable

CUSTOMER_COLUMNS = (
    "Code, Name, PrintName, ParentGrp, Phone, Mobile, Email, Address1, Address2, "
    "Address3, Address4, GSTNo"
)
VOUCHER_COLUMNS = (
    "VchCode, VchType, Series, VchNo, VchDate, PartyCode, NetAmt, Narration"
)


class BusyLocked(Exception):
    """Busy kept its data locked through every retry."""


class RecordRefused(Exception):
    """Busy refused one record: ``code`` (duplicate_number, unknown_account,
    ...) and a clear ``message``."""

    def __init__(self, code, message, busy_error=None):
        super(RecordRefused, self).__init__(message)
        self.code = code
        self.message = message
        self.busy_error = busy_error


class BusyService(object):
    def __init__(self, com, company_code, retries=4, retry_wait=0.5, sleep=time.sleep):
        self.com = com
        self.company_code = company_code
        self.retries = retries
        self.retry_wait = retry_wait
        self.sleep = sleep
        self.opened = False

    # ------------------------------------------------------------------
    # Calling Busy
    # ------------------------------------------------------------------
    def _call(self, method, *args):
        """Call the COM object; Busy's "too many client tasks" lock clears
        within moments, so the call is retried a few times before giving up."""
        if not self.opened:
            self.com.open_company()
            self.opened = True
        for attempt in range(self.retries + 1):
            try:
                outcome = getattr(self.com, method)(*args)
            except BusyUnavailable:
                self.opened = False
                raise
            except Exception as error:  # the DLL raises its lock as a COM error on reads
                if not codes.is_locked(str(error)):
                    raise
                outcome = (False, str(error), None)
            locked = (
                isinstance(outcome, tuple)
                and not outcome[0]
                and codes.is_locked(outcome[1])
            )
            if not locked:
                return outcome
            if attempt < self.retries:
                self.sleep(self.retry_wait * (attempt + 1))
        raise BusyLocked(
            "Busy's data stayed locked (too many client tasks) through %d tries"
            % (self.retries + 1)
        )

    def _query(self, sql):
        return self._call("query", sql)

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def health(self):
        groups = self._groups()
        return {"status": "ok", "company": self.company_code, "groups": len(groups)}

    def _groups(self):
        rows = self._query(
            "SELECT Code, Name FROM Master1 WHERE MasterType = %d" % codes.MASTER_GROUP
        )
        return {row["Name"]: int(row["Code"]) for row in rows}

    def _account_names(self):
        rows = self._query(
            "SELECT Code, Name FROM Master1 WHERE MasterType = %d"
            % codes.MASTER_ACCOUNT
        )
        return {int(row["Code"]): row["Name"] for row in rows}

    def customers(self, after=0, group="Sundry Debtors", name=None):
        """Accounts under ``group`` with a code above ``after`` (or named ``name``)."""
        group_code = self._groups().get(group)
        if group_code is None:
            raise RecordRefused(
                "unknown_group", "there is no account group '%s' in Busy" % group
            )
        rows = self._query(
            "SELECT %s FROM Master1 WHERE MasterType = %d AND ParentGrp = %d AND Code > %d "
            "ORDER BY Code"
            % (
                CUSTOMER_COLUMNS,
                codes.MASTER_ACCOUNT,
                group_code,
                0 if name else int(after or 0),
            )
        )
        customers = [self._customer(row, group) for row in rows]
        if name is not None:
            customers = [c for c in customers if c["name"] == name]
        return {
            "customers": customers,
            "high_water": max([c["code"] for c in customers] or [int(after or 0)]),
        }

    @staticmethod
    def _customer(row, group):
        return {
            "code": int(row["Code"]),
            "name": row["Name"],
            "print_name": row.get("PrintName"),
            "group": group,
            "phone": row.get("Phone") or None,
            "mobile": row.get("Mobile") or None,
            "email": row.get("Email") or None,
            "gstin": row.get("GSTNo") or None,
            "address": [
                row.get("Address%d" % n)
                for n in range(1, 5)
                if row.get("Address%d" % n)
            ],
        }

    def vouchers(self, after=0, kinds=None, series=None, number=None):
        """Vouchers of ``kinds`` with a code above ``after``, or the one
        numbered ``number`` in ``series``, with their account entries."""
        types = [
            codes.VOUCHER_KINDS[kind][0] for kind in (kinds or codes.VOUCHER_KINDS)
        ]
        rows = self._query(
            "SELECT %s FROM Tran1 WHERE VchCode > %d AND VchType IN (%s) ORDER BY VchCode"
            % (
                VOUCHER_COLUMNS,
                0 if number else int(after or 0),
                ", ".join(str(int(t)) for t in types),
            )
        )
        if number is not None:
            rows = [
                row
                for row in rows
                if row["VchNo"] == number
                and (series is None or row["Series"] == series)
            ]
        names = self._account_names()
        first = min([int(row["VchCode"]) for row in rows] or [0])
        entries = {}
        for entry in (
            self._query(
                "SELECT VchCode, SrNo, MasterCode1, Value1 FROM Tran2 WHERE VchCode >= %d "
                "ORDER BY VchCode, SrNo" % first
            )
            if rows
            else []
        ):
            value = float(entry["Value1"])
            entries.setdefault(int(entry["VchCode"]), []).append(
                {
                    "account": names.get(
                        int(entry["MasterCode1"]), str(entry["MasterCode1"])
                    ),
                    "amount": round(abs(value), 2),
                    "debit": value > 0,
                }
            )
        vouchers = [
            {
                "code": int(row["VchCode"]),
                "kind": codes.KIND_BY_TYPE.get(int(row["VchType"]), "other"),
                "vch_type": int(row["VchType"]),
                "series": row["Series"],
                "number": row["VchNo"],
                "date": codes.iso_date(row["VchDate"]),
                "party": names.get(int(row["PartyCode"] or 0)),
                "amount": round(float(row["NetAmt"] or 0), 2),
                "narration": row.get("Narration") or None,
                "entries": entries.get(int(row["VchCode"]), []),
            }
            for row in rows
        ]
        return {
            "vouchers": vouchers,
            "high_water": max([v["code"] for v in vouchers] or [int(after or 0)]),
        }

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def save_account(self, account, modify=False):
        if not (account.get("name") or "").strip():
            raise RecordRefused("invalid", "an account needs a name")
        ok, error, _code = self._call(
            "save_master",
            codes.MASTER_ACCOUNT,
            xmlbuild.account_xml(account),
            bool(modify),
        )
        if not ok:
            code, message = codes.explain(error, name=account["name"])
            raise RecordRefused(code, message, error)
        saved = self.customers(
            group=account.get("group") or "Sundry Debtors", name=account["name"]
        )
        found = saved["customers"]
        return {
            "result": "altered" if modify else "created",
            "code": found[0]["code"] if found else None,
        }

    def save_voucher(self, voucher, modify=False):
        kind = voucher.get("kind")
        if kind not in codes.VOUCHER_KINDS:
            raise RecordRefused(
                "invalid",
                "unknown voucher kind %r (one of %s)"
                % (kind, ", ".join(sorted(codes.VOUCHER_KINDS))),
            )
        for field in ("series", "number", "date"):
            if not voucher.get(field):
                raise RecordRefused("invalid", "a voucher needs a %s" % field)
        try:
            xml = xmlbuild.voucher_xml(voucher)
        except (KeyError, ValueError) as error:
            raise RecordRefused(
                "invalid", "the voucher is incomplete: %s" % error
            ) from error
        ok, error, code = self._call(
            "save_voucher", codes.VOUCHER_KINDS[kind][0], xml, bool(modify)
        )
        if not ok:
            reason, message = codes.explain(
                error, number=voucher["number"], series=voucher["series"]
            )
            raise RecordRefused(reason, message, error)
        if not code:  # older Busy builds do not return the new voucher's code
            found = self.vouchers(
                kinds=[kind], series=voucher["series"], number=voucher["number"]
            )["vouchers"]
            code = found[0]["code"] if found else None
        return {"result": "altered" if modify else "created", "code": code}

    def delete_voucher(self, kind, series, date, number):
        if kind not in codes.VOUCHER_KINDS:
            raise RecordRefused("invalid", "unknown voucher kind %r" % kind)
        ok, error, _code = self._call(
            "delete_voucher",
            codes.VOUCHER_KINDS[kind][0],
            series,
            codes.busy_date(date),
            number,
        )
        if not ok:
            reason, message = codes.explain(error, number=number, series=series)
            raise RecordRefused(reason, message, error)
        return {"result": "deleted"}
