# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""MargClient: reads a Marg ERP company through Marg's Corporate EDE data API."""
import json
import time

from ..base import (
    AccountingClient,
    AuthError,
    ConnectorError,
    ProtocolError,
    SettingsMissing,
)
from ..http import HttpTransport
from .codec import MargDecodeError, decode_payload
from .records import details_to_vouchers, party_to_customer, read_page

DEFAULT_URL = "https://wservices.margcompusoft.com/"
EDE_PATH = "api/eOnlineData/MargCorporateEDE"
BRANCHES_PATH = "api/margcorporateede/masters"
# Members of the JSON envelope around the encrypted data.
ENVELOPE_FIELDS = (
    "Status",
    "Message",
    "DateTime",
    "Datetime",
    "DataStatus",
    "Datastatus",
    "Index",
    "Data",
    "Aborting",
)
# FAILURE messages that only an admin can fix (wrong key or company code).
CREDENTIAL_WORDS = ("key", "company", "margid", "unauthori", "invalid")


class MargClient(AccountingClient):
    """Pull-only: Marg has no API to create ledgers, invoices, receipts or
    journals (only orders), and no trial balance.

    ``marg_key`` is the API key sent with every request; ``decryption_key``
    opens the encrypted payloads. A full read sends a blank ``Datetime``;
    an incremental one sends the ``DateTime`` of the previous answer.
    """

    system, label = "marg", "Marg ERP"
    pulls = frozenset(("customers", "invoices"))
    note = (
        "Marg ERP gives data out only: parties and sales bills are pulled into Odoo; "
        "nothing is sent to Marg. API key = MargKey, password = the company's "
        "decryption key."
    )

    @classmethod
    def from_settings(cls, settings):
        if not (
            settings.get("company")
            and settings.get("api_key")
            and settings.get("password")
        ):
            raise SettingsMissing(
                "Set the Marg company code, the MargKey (API key) and the decryption key "
                "(password) first."
            )
        return cls(
            settings.get("url"),
            settings["company"],
            settings["api_key"],
            settings["password"],
            company_id=settings.get("branch") or "0",
            timeout=settings.get("timeout") or 30,
        )

    def __init__(
        self,
        url,
        company_code,
        marg_key,
        decryption_key,
        company_id="0",
        api_type="2",
        timeout=30.0,
        session=None,
    ):
        self.url = (url or DEFAULT_URL).rstrip("/") + "/"
        self.company_code = company_code
        self.marg_key = marg_key
        self.decryption_key = decryption_key
        self.company_id = company_id or "0"
        self.api_type = api_type
        self.http = HttpTransport("Marg", self.url, timeout, session)
        self._masters = None

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------
    def _page(self, since, index):
        """One page: ``(cursor, sections)`` (see :func:`.records.read_page`)."""
        response = self.http.request(
            "POST",
            EDE_PATH,
            json={
                "CompanyCode": self.company_code,
                "Datetime": since or "",
                "MargKey": self.marg_key,
                "Index": str(index),
                "CompanyID": str(self.company_id),
                "APIType": self.api_type,
            },
        )
        envelope, document = self._envelope(response.text)
        cursor, sections = read_page(document, envelope)
        self._refuse_failure(cursor)
        return cursor, sections

    @staticmethod
    def _refuse_failure(answer):
        if str(answer.get("Status", "")).upper() == "FAILURE":
            message = answer.get("Message") or "no reason given"
            if any(word in message.lower() for word in CREDENTIAL_WORDS):
                raise AuthError("Marg refused the request: %s" % message)
            raise ConnectorError("Marg answered FAILURE: %s" % message)

    def _envelope(self, text):
        """``(envelope, decrypted document)``. Marg answers a JSON envelope
        whose ``Data`` is the encrypted string (or, on some tenants, the
        document itself), or the bare encrypted string (as text or as a JSON
        string) that decrypts to the document; an envelope without ``Data``
        is its own document."""
        try:
            body = json.loads(text)
        except ValueError:
            body = text
        if isinstance(body, str):
            return {}, self._decode(body)
        if not isinstance(body, dict):
            raise ProtocolError(
                "Marg answered something that is not its envelope: %s" % text[:120]
            )
        self._refuse_failure(
            body
        )  # before anything is decrypted: a refusal carries no data
        data = body.get("Data")
        if isinstance(data, str) and data.strip():
            return body, self._decode(data)
        if isinstance(data, dict):
            return body, data
        if "Data" in body and not data:
            return body, {}  # nothing on this page
        return body, {
            key: value for key, value in body.items() if key not in ENVELOPE_FIELDS
        }

    def _decode(self, text):
        try:
            return decode_payload(text, self.decryption_key)
        except MargDecodeError as error:
            raise AuthError("Marg's answer could not be read: %s" % error) from None

    def pages(self, since=None):
        """Every page of changes since ``since`` (all data when None), as
        ``(sections, datetime)``; ``datetime`` is where the next read resumes.
        The last page says so with ``DataStatus`` 10 or ``"Completed"``."""
        index = 0
        while True:
            cursor, sections = self._page(since, index)
            yield sections, cursor.get("DateTime") or since
            if cursor["last"]:
                return
            following = cursor.get("Index") or 0
            if following <= index:
                raise ProtocolError(
                    "Marg's paging did not move on from index %d (DataStatus %r)"
                    % (index, cursor.get("DataStatus"))
                )
            index = following

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def test_connection(self):
        """Seconds a first data page took, and what Marg says of the company."""
        started = time.time()
        branches = self.branches()
        cursor, _sections = self._page(time.strftime("%Y-%m-%d %H:%M:%S"), 0)
        return time.time() - started, "company %s: %d branch(es), data as of %s" % (
            self.company_code,
            len(branches),
            cursor.get("DateTime") or "now",
        )

    def branches(self):
        """The company's branches (this endpoint is not encrypted)."""
        response = self.http.request(
            "GET", BRANCHES_PATH, params={"companycode": self.company_code}
        )
        try:
            body = response.json()
        except ValueError:
            raise ProtocolError(
                "Marg's branch list is not JSON: %s" % response.text[:120]
            ) from None
        if isinstance(body, dict):
            if str(body.get("Status", "")).upper() == "FAILURE":
                raise AuthError("Marg refused the request: %s" % body.get("Message"))
            body = body.get("Data") or body.get("Details") or []
        return body

    def iter_customers(self, since=None):
        """Parties changed since ``since``; ``position`` is the answer's DateTime."""
        for data, stamp in self.pages(since):
            for row in data["Party"]:
                yield party_to_customer(row, position=stamp)

    def find_customer(self, key):
        """The party with this CID or name, from a full read (kept for this client)."""
        for row in self.masters()["parties"]:
            if key in (str(row.get("CID")), row.get("ParNam")):
                return party_to_customer(row)
        return None

    def masters(self):
        """Every party and product of the company, read once per client."""
        if self._masters is None:
            parties, products = [], []
            for data, _stamp in self.pages(None):
                parties.extend(data["Party"])
                products.extend(data["Product"])
            self._masters = {"parties": parties, "products": products}
        return self._masters

    def iter_products(self, since=None):
        for data, _stamp in self.pages(since):
            for row in data["Product"]:
                yield row

    def iter_stock(self, since=None):
        """Stock rows: ``PID, Batch, Expiry, Stock, MRP, RateA…RateC``."""
        for data, _stamp in self.pages(since):
            for row in data["Stock"]:
                yield row

    def iter_vouchers(self, kinds=None, since=None, date_from=None, date_to=None):
        """Sales bills (and returns) changed since ``since`` (a Marg
        DateTime), from the sales detail lines grouped by voucher."""
        details, parties, products, stamp = [], {}, {}, since
        for data, page_stamp in self.pages(since):
            stamp = page_stamp  # the last page's DateTime: where the next read resumes
            details.extend(data["Sales"])
            parties.update(_names(data["Party"], "CID", "ParNam"))
            products.update(_names(data["Product"], "PID", "ProNam", "Name"))
        if any(
            str(row.get("CID")) not in parties or str(row.get("PID")) not in products
            for row in details
        ):
            masters = (
                self.masters()
            )  # names of parties / products unchanged since the cursor
            parties.update(_names(masters["parties"], "CID", "ParNam"))
            products.update(_names(masters["products"], "PID", "ProNam", "Name"))
        for voucher in details_to_vouchers(details, parties, products, position=stamp):
            if (date_from and voucher.date < date_from) or (
                date_to and voucher.date > date_to
            ):
                continue
            if not kinds or voucher.kind in kinds:
                yield voucher

    # ------------------------------------------------------------------
    # Writes: Marg takes none of these
    # ------------------------------------------------------------------
    def _read_only(self, *args, **kwargs):
        raise ConnectorError(
            "Marg ERP has no API to create or change accounting records: "
            "its connection only pulls."
        )

    push_customer = push_voucher = trial_balance = iter_accounts = _read_only

    def find_voucher(self, remote_id, date, number=None, kind=None):
        return None


def _names(rows, key, *name_fields):
    names = {}
    for row in rows or []:
        name = next((row.get(field) for field in name_fields if row.get(field)), None)
        if row.get(key) is not None and name:
            names[str(row.get(key))] = str(name).strip()
    return names
