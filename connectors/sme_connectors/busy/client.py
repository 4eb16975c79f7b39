# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""BusyClient: the hub's side of the Busy agent (``busy_agent/`` in this
repository), which runs on the Windows PC next to Busy."""
import time

from ..base import (
    AccountingClient,
    ConnectorError,
    Customer,
    ProtocolError,
    SettingsMissing,
    Voucher,
    VoucherLine,
    WriteResult,
)
from ..http import HttpTransport

REFUSED = 422


class BusyClient(AccountingClient):
    """Busy keeps no change counter: reads resume from the agent's high-water
    mark (``position``: the master or voucher code) and customers carry no
    version, so the hub compares their content. Vouchers sent from Odoo are
    numbered with the Odoo number in ``series``: Busy keeps numbers unique per
    series, which is what makes a retried send safe."""

    system, label = "busy", "Busy"
    pulls = frozenset(("customers", "invoices", "payments", "journals"))
    pushes = frozenset(("customers", "invoices", "payments", "journals"))
    full_read_hours = (
        24  # no change counter: a daily full read catches edits of old masters
    )
    note = (
        "Busy: through the SME Hub agent on the Busy PC (see the agent's readme): "
        "customers both ways; sales, credit notes, receipts and journals out; sales, "
        "receipts and journals in. "
        "API key = the agent's token."
    )

    @classmethod
    def from_settings(cls, settings):
        if not (settings.get("url") and settings.get("api_key")):
            raise SettingsMissing(
                "Set the agent's address and its token (API key) first."
            )
        return cls(
            settings["url"],
            settings["api_key"],
            company=settings.get("company"),
            series=settings.get("series"),
            timeout=settings.get("timeout") or 30,
            customer_group=settings.get("customer_group"),
        )

    def __init__(
        self,
        url,
        token,
        company=None,
        series="Main",
        timeout=30.0,
        session=None,
        customer_group="Sundry Debtors",
    ):
        self.company = company
        self.customer_group = customer_group or "Sundry Debtors"
        self.series = series or "Main"
        self.http = HttpTransport(
            "the Busy agent",
            url,
            timeout,
            session,
            headers={"Authorization": "Bearer %s" % (token or "")},
        )

    def _get(self, path, **params):
        return self.http.request("GET", path, params=params).json()

    def _write(self, method, path, body=None, params=None):
        response = self.http.request(
            method, path, passthrough=(REFUSED,), json=body, params=params
        )
        return response.status_code != REFUSED, response.json()

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def test_connection(self):
        started = time.time()
        health = self._get("health")
        if health.get("status") != "ok":
            raise ProtocolError("the agent answered %s" % health)
        if self.company and health.get("company") != self.company:
            raise ConnectorError(
                "the agent serves Busy company %s, not %s: check the agent's configuration"
                % (health.get("company"), self.company)
            )
        return time.time() - started, "agent %s, Busy company %s" % (
            health.get("agent"),
            health.get("company"),
        )

    def iter_customers(self, since=None):
        for row in self._get(
            "customers", after=int(since or 0), group=self.customer_group
        )["customers"]:
            yield _customer(row)

    def find_customer(self, name):
        rows = self._get("customers", name=name)["customers"]
        return _customer(rows[0]) if rows else None

    def iter_vouchers(self, kinds=None, since=None, date_from=None, date_to=None):
        params = {"after": int(since or 0)}
        if kinds:
            params["kinds"] = ",".join(
                k for k in kinds if k in ("sales", "credit_note", "receipt", "journal")
            )
        for row in self._get("vouchers", **params)["vouchers"]:
            if (date_from and row["date"] < date_from) or (
                date_to and row["date"] > date_to
            ):
                continue
            yield _voucher(row)

    def find_voucher(self, remote_id, date, number=None, kind=None):
        """The voucher numbered ``number`` in this client's series on ``date``, or None."""
        if not number:
            return None
        rows = self._get("vouchers", series=self.series, number=number)["vouchers"]
        return next(
            (_voucher(row) for row in rows if row["date"] == str(date)[:10]), None
        )

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def push_customer(self, customer, alter=False):
        ok, answer = self._write(
            "POST",
            "accounts",
            {
                "name": customer.name,
                "group": self.customer_group,
                "phone": customer.phone,
                "mobile": customer.mobile,
                "email": customer.email,
                "gstin": customer.gstin,
                "modify": bool(alter),
                "address": [
                    line
                    for line in (customer.street, customer.city, customer.zip)
                    if line
                ],
            },
        )
        if ok:
            return WriteResult(customer.name, answer["result"], str(answer["code"]))
        if answer.get("error") == "duplicate_name":
            existing = self.find_customer(
                customer.name
            )  # the same name there: link to it
            if existing:
                return WriteResult(customer.name, "linked", existing.external_id)
        return WriteResult(customer.name, "failed", None, answer.get("message"))

    def push_voucher(self, voucher, alter=False):
        ok, answer = self._write(
            "POST", "vouchers", dict(self._voucher_body(voucher), modify=bool(alter))
        )
        if ok:
            return WriteResult(voucher.number, answer["result"], str(answer["code"]))
        if answer.get("error") == "duplicate_number" and not alter:
            existing = self.find_voucher(
                voucher.remote_id, voucher.date, voucher.number
            )
            if (
                existing
                and existing.party == voucher.party
                and _total(existing) == _total(voucher)
            ):
                return WriteResult(
                    voucher.number, "linked", existing.external_id
                )  # sent before
        return WriteResult(voucher.number, "failed", None, answer.get("message"))

    def delete_voucher(self, voucher):
        ok, answer = self._write(
            "DELETE",
            "vouchers",
            params={
                "kind": voucher.kind,
                "series": self.series,
                "date": voucher.date,
                "number": voucher.number,
            },
        )
        return WriteResult(
            voucher.number,
            "deleted" if ok else "failed",
            None,
            None if ok else answer.get("message"),
        )

    def _voucher_body(self, voucher):
        body = {
            "kind": voucher.kind,
            "series": self.series,
            "number": voucher.number,
            "date": str(voucher.date)[:10],
            "party": voucher.party,
            "narration": voucher.narration,
        }
        if voucher.kind in ("sales", "credit_note"):
            # mapping.voucher_from_invoice: party line, then the sales line, then taxes
            sales, taxes = voucher.lines[1], voucher.lines[2:]
            items = [
                {
                    "name": item.name,
                    "quantity": item.quantity,
                    "price": item.price,
                    "amount": item.amount,
                }
                for item in voucher.items or []
            ] or [{"name": sales.account, "amount": sales.amount}]
            body.update(
                sales_account=sales.account,
                items=items,
                taxes=[
                    {"account": line.account, "amount": line.amount} for line in taxes
                ],
            )
        elif voucher.kind in ("receipt", "journal"):
            body["entries"] = [
                {
                    "account": line.account,
                    "amount": line.amount,
                    "debit": bool(line.debit),
                }
                for line in voucher.lines
            ]
        else:
            raise ConnectorError(
                "Busy takes sales, credit notes, receipts and journals, not %s vouchers"
                % voucher.kind
            )
        return body

    def _not_in_busy(self, *args, **kwargs):
        raise ConnectorError(
            "the Busy agent does not read the chart of accounts or the trial balance"
        )

    iter_accounts = trial_balance = _not_in_busy


def _customer(row):
    return Customer(
        external_id=str(row["code"]),
        name=row["name"],
        phone=row.get("phone"),
        mobile=row.get("mobile"),
        email=row.get("email"),
        gstin=row.get("gstin"),
        street=", ".join(row.get("address") or []) or None,
        group=row.get("group"),
        position=int(row["code"]),
    )


def _voucher(row):
    return Voucher(
        kind=row["kind"],
        remote_id=None,
        number=row["number"],
        date=row["date"],
        party=row.get("party"),
        narration=row.get("narration"),
        external_id=str(row["code"]),
        position=int(row["code"]),
        lines=[
            VoucherLine(entry["account"], entry["amount"], entry["debit"])
            for entry in row["entries"]
        ],
    )


def _total(voucher):
    return round(sum(line.amount for line in voucher.lines if line.debit), 2)
