"""MargClient: reads a Marg ERP company through Marg's Corporate EDE data API."""
import json
import time

from ..base import AuthError, ConnectorError, ProtocolError
from ..http import HttpTransport
from .codec import MargDecodeError, decode_payload
from .records import details_to_vouchers, party_to_customer

DEFAULT_URL = "https://wservices.margcompusoft.com/"
EDE_PATH = "api/eOnlineData/MargCorporateEDE"
BRANCHES_PATH = "api/margcorporateede/masters"
LAST_PAGE = 10  # DataStatus of the last page
# FAILURE messages that only an admin can fix (wrong key or company code).
CREDENTIAL_WORDS = ("key", "company", "margid", "unauthori", "invalid")


class MargClient(object):
    """Pull-only: Marg has no API to create ledgers, invoices, receipts or
    journals (only orders), and no trial balance.

    ``marg_key`` is the API key sent with every request; ``decryption_key``
    opens the encrypted payloads. A full read sends a blank ``Datetime``;
    an incremental one sends the ``DateTime`` of the previous answer.
    """

    def __init__(self, url, company_code, marg_key, decryption_key, company_id="0", api_type="2",
                 timeout=30.0, session=None):
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
        """One page: ``(envelope, sections)``."""
        response = self.http.request("POST", EDE_PATH, json={
            "CompanyCode": self.company_code, "Datetime": since or "", "MargKey": self.marg_key,
            "Index": str(index), "CompanyID": str(self.company_id), "APIType": self.api_type,
        })
        envelope = self._envelope(response.text)
        if str(envelope.get("Status", "")).upper() == "FAILURE":
            message = envelope.get("Message") or "no reason given"
            if any(word in message.lower() for word in CREDENTIAL_WORDS):
                raise AuthError("Marg refused the request: %s" % message)
            raise ConnectorError("Marg answered FAILURE: %s" % message)
        data = envelope.get("Data")
        if isinstance(data, str):
            data = self._decode(data)
        return envelope, data or {}

    def _envelope(self, text):
        """Marg answers either a JSON envelope or the bare encrypted string
        (as text or as a JSON string); the bare string decrypts to one."""
        try:
            body = json.loads(text)
        except ValueError:
            body = text
        if isinstance(body, str):
            body = self._decode(body)
            if "Data" not in body:  # sections only: one page, no paging fields
                return {"Status": "SUCCESS", "DataStatus": LAST_PAGE, "Data": body}
        if not isinstance(body, dict):
            raise ProtocolError("Marg answered something that is not its envelope: %s" % text[:120])
        return body

    def _decode(self, text):
        try:
            return decode_payload(text, self.decryption_key)
        except MargDecodeError as error:
            raise AuthError("Marg's answer could not be read: %s" % error)

    def pages(self, since=None):
        """Every page of changes since ``since`` (all data when None), as
        ``(sections, datetime)``; ``datetime`` is where the next read resumes."""
        index = 0
        while True:
            envelope, data = self._page(since, index)
            yield data, envelope.get("DateTime") or since
            if int(envelope.get("DataStatus") or LAST_PAGE) == LAST_PAGE:
                return
            following = int(envelope.get("Index") or 0)
            if following <= index:
                raise ProtocolError("Marg's paging did not move on from index %d" % index)
            index = following

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def test_connection(self):
        """Seconds a first data page took, and what Marg says of the company."""
        started = time.time()
        branches = self.branches()
        envelope, _data = self._page(time.strftime("%Y-%m-%d %H:%M:%S"), 0)
        return time.time() - started, "company %s: %d branch(es), data as of %s" % (
            self.company_code, len(branches), envelope.get("DateTime") or "now")

    def branches(self):
        """The company's branches (this endpoint is not encrypted)."""
        response = self.http.request("GET", BRANCHES_PATH, params={"companycode": self.company_code})
        try:
            body = response.json()
        except ValueError:
            raise ProtocolError("Marg's branch list is not JSON: %s" % response.text[:120])
        if isinstance(body, dict):
            if str(body.get("Status", "")).upper() == "FAILURE":
                raise AuthError("Marg refused the request: %s" % body.get("Message"))
            body = body.get("Data") or body.get("Details") or []
        return body

    def iter_customers(self, group=None, since=None):
        """Parties changed since ``since``; ``position`` is the answer's DateTime."""
        for data, stamp in self.pages(since):
            for row in data.get("Party") or []:
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
                parties.extend(data.get("Party") or [])
                products.extend(data.get("Product") or [])
            self._masters = {"parties": parties, "products": products}
        return self._masters

    def iter_products(self, since=None):
        for data, _stamp in self.pages(since):
            for row in data.get("Product") or []:
                yield row

    def iter_stock(self, since=None):
        """Stock rows: ``PID, Batch, Expiry, Stock, MRP, RateA…RateC``."""
        for data, _stamp in self.pages(since):
            for row in data.get("Stock") or []:
                yield row

    def iter_vouchers(self, from_date=None, to_date=None, after_alter_id=None, kinds=None):
        """Sales bills (and returns) changed since ``after_alter_id`` (a Marg
        DateTime), from the sales detail lines grouped by voucher."""
        details, parties, products, stamp = [], {}, {}, after_alter_id
        for data, stamp in self.pages(after_alter_id):
            details.extend(data.get("Details") or [])
            parties.update(_names(data.get("Party"), "CID", "ParNam"))
            products.update(_names(data.get("Product"), "PID", "ProNam", "Name"))
        if any(str(row.get("CID")) not in parties or str(row.get("PID")) not in products for row in details):
            masters = self.masters()  # names of parties / products unchanged since the cursor
            parties.update(_names(masters["parties"], "CID", "ParNam"))
            products.update(_names(masters["products"], "PID", "ProNam", "Name"))
        for voucher in details_to_vouchers(details, parties, products, position=stamp):
            if (from_date and voucher.date < from_date) or (to_date and voucher.date > to_date):
                continue
            if not kinds or voucher.kind in kinds:
                yield voucher

    # ------------------------------------------------------------------
    # Writes: Marg takes none of these
    # ------------------------------------------------------------------
    def _read_only(self, *args, **kwargs):
        raise ConnectorError("Marg ERP has no API to create or change accounting records: "
                             "its connection only pulls.")

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

