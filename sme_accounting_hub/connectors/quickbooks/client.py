"""QuickBooksClient: QuickBooks Online Accounting API v3 for one company (realm)."""
import time
import uuid

from ..base import (Account, AuthError, ConnectorError, Customer, ProtocolError, TransientError,
                    TrialBalanceLine, Voucher, VoucherItem, VoucherLine, WriteResult, receipt_allocation)
from ..http import HttpTransport, retry_after
from ..oauth import OAuthClient

HOSTS = {"production": "https://quickbooks.api.intuit.com/", "sandbox": "https://sandbox-quickbooks.api.intuit.com/"}
AUTHORIZE_URL = "https://appcenter.intuit.com/connect/oauth2"
TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
SCOPE = "com.intuit.quickbooks.accounting"
MINOR_VERSION = "65"
PAGE = 1000
STALE, DUPLICATE_NAME = "5010", "6240"
# kind → QuickBooks entity
ENTITIES = {"sales": "Invoice", "credit_note": "CreditMemo", "receipt": "Payment", "journal": "JournalEntry"}
KINDS = {entity: kind for kind, entity in ENTITIES.items()}
# Where requestids are derived from: the same write always sends the same one.
REQUEST_NAMESPACE = uuid.UUID("6f0c6f8e-3b7a-4f0e-9a55-5d2a1c7e9b10")


def oauth_client(client_id, client_secret, authorize_url=None, token_url=None, timeout=30.0):
    """Intuit's OAuth 2.0 server: client credentials as HTTP Basic; the
    refresh token rotates (the newest must be kept)."""
    return OAuthClient(authorize_url or AUTHORIZE_URL, token_url or TOKEN_URL, client_id, client_secret, SCOPE,
                       basic_auth=True, timeout=timeout)


def quote(value):
    """A string literal of QuickBooks' query language."""
    return "'%s'" % str(value).replace("\\", "\\\\").replace("'", "\\'")


class QuickBooksClient(object):
    """``auth``: a :class:`~..oauth.BearerAuth`. Cursors are
    ``MetaData.LastUpdatedTime``; versions are ``SyncToken``s; every write
    carries a ``requestid`` derived from what it writes, so a retried request
    is answered with the first result instead of booking twice."""

    def __init__(self, realm_id, auth, environment="production", base_url=None, timeout=30.0, session=None,
                 sales_item="Sales"):
        self.realm_id = str(realm_id)
        self.auth = auth
        root = (base_url or HOSTS[environment]).rstrip("/") + "/"
        self.http = HttpTransport("QuickBooks", root + "v3/company/%s/" % self.realm_id, timeout, session)
        self.sales_item = sales_item
        self._cache = {}

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------
    def _call(self, method, path, params=None, body=None):
        """``(ok, answer)``: the answer body, or its ``Fault`` when not ok."""
        params = dict(params or {}, minorversion=MINOR_VERSION)
        response = self.auth.send(lambda token: self.http.request(
            method, path, passthrough=(400, 401, 429), params=params, json=body,
            headers={"Authorization": "Bearer %s" % token, "Accept": "application/json"}))
        try:
            answer = response.json()
        except ValueError:
            raise ProtocolError("QuickBooks answered something that is not JSON (HTTP %d)" % response.status_code)
        fault = answer.get("Fault") or answer.get("fault")
        if response.status_code == 401:
            raise AuthError("QuickBooks refused the access token: %s" % _fault_text(fault))
        if response.status_code == 429:
            raise TransientError("QuickBooks: too many requests (%s)" % _fault_text(fault),
                                 retry_after=retry_after(response) or 60)
        if fault:
            return False, fault
        return True, answer

    def _read(self, path, params=None):
        ok, answer = self._call("GET", path, params)
        if not ok:
            raise ConnectorError("QuickBooks: %s" % _fault_text(answer))
        return answer

    def query(self, entity, where=None, since=None):
        """Every row of ``entity`` matching ``where``, changed after ``since``,
        oldest change first, a page of 1000 at a time."""
        conditions = [where] if where else []
        if since:
            conditions.append("MetaData.LastUpdatedTime > %s" % quote(since))
        start = 1
        while True:
            text = "select * from %s%s ORDERBY MetaData.LastUpdatedTime STARTPOSITION %d MAXRESULTS %d" % (
                entity, (" where " + " and ".join(conditions)) if conditions else "", start, PAGE)
            rows = self._read("query", {"query": text}).get("QueryResponse", {}).get(entity) or []
            for row in rows:
                yield row
            if len(rows) < PAGE:
                return
            start += PAGE

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def test_connection(self):
        started = time.time()
        info = self._read("companyinfo/%s" % self.realm_id).get("CompanyInfo") or {}
        return time.time() - started, "company %s (realm %s)" % (info.get("CompanyName"), self.realm_id)

    def iter_customers(self, group=None, since=None):
        for row in self.query("Customer", since=since):
            yield _customer(row)

    def find_customer(self, name_or_id):
        if str(name_or_id).isdigit():
            ok, answer = self._call("GET", "customer/%s" % name_or_id)
            if ok and answer.get("Customer"):
                return _customer(answer["Customer"])
        rows = list(self.query("Customer", "DisplayName = %s" % quote(name_or_id)))
        return _customer(rows[0]) if rows else None

    def iter_vouchers(self, from_date=None, to_date=None, after_alter_id=None, kinds=None):
        for kind in kinds or ENTITIES:
            if kind not in ENTITIES:
                continue
            for row in self.query(ENTITIES[kind], since=after_alter_id):
                voucher = self._voucher(kind, row)
                if (from_date and voucher.date < from_date) or (to_date and voucher.date > to_date):
                    continue
                yield voucher

    def find_voucher(self, remote_id, date, number=None, kind="sales"):
        """The document this side sent: its DocNumber, and our remote id in PrivateNote."""
        if not number or kind not in ENTITIES:
            return None
        for row in self.query(ENTITIES[kind], "DocNumber = %s" % quote(number)):
            if (row.get("PrivateNote") or "") == remote_id:
                return self._voucher(kind, row)
        return None

    def iter_accounts(self):
        for row in self.query("Account"):
            yield Account(name=row["Name"], groups=(row.get("AccountType"),), code=row.get("AcctNum"),
                          external_id=str(row["Id"]), version=row.get("SyncToken"))

    def trial_balance(self, from_date, to_date):
        report = self._read("reports/TrialBalance", {"start_date": from_date, "end_date": to_date})
        lines = []
        for row in (report.get("Rows") or {}).get("Row") or []:
            cells = row.get("ColData") or []
            if len(cells) >= 3 and cells[0].get("id"):
                lines.append(TrialBalanceLine(cells[0].get("value"), _money(cells[1].get("value")),
                                              _money(cells[2].get("value"))))
        return lines

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def _write(self, entity, body, request_key):
        """POST with a requestid derived from ``request_key``."""
        request_id = str(uuid.uuid5(REQUEST_NAMESPACE, "%s|%s" % (self.realm_id, request_key)))
        return self._call("POST", entity.lower(), {"requestid": request_id}, body)

    def push_customer(self, customer, group=None, alter=False):
        """Create, or update with the SyncToken the hub last saw
        (``customer.version``; a fresh one when None): a ``stale`` result
        says QuickBooks changed the customer since."""
        body = {"DisplayName": customer.name[:500], "PrimaryPhone": {"FreeFormNumber": customer.phone or ""},
                "Mobile": {"FreeFormNumber": customer.mobile or ""},
                "BillAddr": {"Line1": customer.street or "", "City": customer.city or "",
                             "PostalCode": customer.zip or ""}}
        if customer.email:
            body["PrimaryEmailAddr"] = {"Address": customer.email}
        if customer.gstin:
            body.update(GSTIN=customer.gstin, GSTRegistrationType="GST_REG_REG")
        if alter and customer.external_id:
            token = customer.version or self._read("customer/%s" % customer.external_id)["Customer"]["SyncToken"]
            body.update(Id=customer.external_id, SyncToken=token, sparse=True)
            ok, answer = self._write("Customer", body, "customer|%s|%s" % (customer.external_id, token))
        else:
            ok, answer = self._write("Customer", body, "customer|new|%s" % customer.name)
        if ok:
            saved = answer["Customer"]
            return WriteResult(customer.name, "altered" if alter else "created", str(saved["Id"]),
                               version=saved.get("SyncToken"))
        code = _fault_code(answer)
        if code == STALE:
            return WriteResult(customer.name, "stale", customer.external_id, _fault_text(answer))
        if code == DUPLICATE_NAME and not alter:
            existing = self.find_customer(customer.name)
            if existing:
                return WriteResult(customer.name, "linked", existing.external_id, version=existing.version)
        return WriteResult(customer.name, "failed", None, "QuickBooks: %s" % _fault_text(answer))

    def push_voucher(self, voucher, alter=False):
        entity = ENTITIES.get(voucher.kind)
        if not entity:
            raise ConnectorError("QuickBooks takes invoices, credit notes, payments and journals, not %s"
                                 % voucher.kind)
        try:
            body = getattr(self, "_%s_body" % voucher.kind)(voucher)
        except ConnectorError as error:
            return WriteResult(voucher.number, "failed", None, str(error))
        key = "%s|%s" % (entity, voucher.remote_id)
        if alter and voucher.external_id:
            token = self._read("%s/%s" % (entity.lower(), voucher.external_id))[entity]["SyncToken"]
            body.update(Id=voucher.external_id, SyncToken=token, sparse=True)
            key += "|%s" % token
        ok, answer = self._write(entity, body, key)
        if not ok:
            return WriteResult(voucher.number, "failed", None, "QuickBooks: %s" % _fault_text(answer))
        saved = answer[entity]
        return WriteResult(voucher.number, "altered" if alter else "created", str(saved["Id"]),
                           version=saved.get("SyncToken"))

    def _lookup(self, entity, name):
        cache = self._cache.setdefault(entity, {})
        if name not in cache:
            rows = list(self.query(entity, "Name = %s" % quote(name)))
            if not rows:
                raise ConnectorError("QuickBooks has no %s named '%s'" % (entity.lower(), name))
            cache[name] = str(rows[0]["Id"])
        return cache[name]

    def _sales_lines(self, voucher):
        lines = []
        for item in voucher.items or []:
            detail = {"ItemRef": {"value": self._lookup("Item", self.sales_item)}, "Qty": item.quantity,
                      "UnitPrice": item.price}
            if item.amount and item.tax_amount:
                detail["TaxCodeRef"] = {"value": self._lookup("TaxCode", "GST %g%%" % round(
                    100.0 * item.tax_amount / item.amount, 2))}
            lines.append({"DetailType": "SalesItemLineDetail", "Amount": round(item.amount, 2),
                          "Description": item.name, "SalesItemLineDetail": detail})
        return lines

    def _sales_body(self, voucher):
        return {"CustomerRef": {"value": voucher.party_id}, "DocNumber": voucher.number, "TxnDate": str(voucher.date),
                "PrivateNote": voucher.remote_id, "Line": self._sales_lines(voucher)}

    _credit_note_body = _sales_body

    def _receipt_body(self, voucher):
        amount, shares = receipt_allocation(voucher, lambda number: [
            (row["Id"], row.get("Balance")) for row in self.query("Invoice", "DocNumber = %s" % quote(number))])
        return {"CustomerRef": {"value": voucher.party_id}, "TotalAmt": amount, "TxnDate": str(voucher.date),
                "PaymentRefNum": (voucher.number or "")[:21], "PrivateNote": voucher.remote_id,
                "Line": [{"Amount": share, "LinkedTxn": [{"TxnId": invoice, "TxnType": "Invoice"}]}
                         for invoice, share in shares]}

    def _journal_body(self, voucher):
        return {"TxnDate": str(voucher.date), "DocNumber": (voucher.number or "")[:21], "PrivateNote": voucher.remote_id,
                "Line": [{"DetailType": "JournalEntryLineDetail", "Amount": line.amount, "Description": voucher.narration or "",
                          "JournalEntryLineDetail": {"PostingType": "Debit" if line.debit else "Credit",
                                                     "AccountRef": {"value": self._lookup("Account", line.account)}}}
                         for line in voucher.lines]}

    def _voucher(self, kind, row):
        party = (row.get("CustomerRef") or {}).get("name")
        modified = (row.get("MetaData") or {}).get("LastUpdatedTime")
        items, lines = None, []
        if kind in ("sales", "credit_note"):
            sales = [l for l in row.get("Line") or [] if l.get("DetailType") == "SalesItemLineDetail"]
            base = sum(float(l.get("Amount") or 0) for l in sales) or 1.0
            tax = float((row.get("TxnTaxDetail") or {}).get("TotalTax") or 0)
            items = [VoucherItem(name=l.get("Description") or "", quantity=float(l["SalesItemLineDetail"].get("Qty") or 1),
                                 price=float(l["SalesItemLineDetail"].get("UnitPrice") or 0), amount=float(l["Amount"]),
                                 tax_amount=round(tax * float(l["Amount"]) / base, 2)) for l in sales]
            lines = [VoucherLine(party, float(row.get("TotalAmt") or 0), kind == "sales")]
        elif kind == "receipt":
            amount = float(row.get("TotalAmt") or 0)
            lines = [VoucherLine("Undeposited Funds", amount, True), VoucherLine(party, amount, False)]
        else:
            for line in row.get("Line") or []:
                detail = line.get("JournalEntryLineDetail") or {}
                lines.append(VoucherLine((detail.get("AccountRef") or {}).get("name"), float(line.get("Amount") or 0),
                                         detail.get("PostingType") == "Debit"))
        return Voucher(kind=kind, remote_id=row.get("PrivateNote") or None, number=row.get("DocNumber")
                       or row.get("PaymentRefNum"), date=row.get("TxnDate"), party=party,
                       party_id=(row.get("CustomerRef") or {}).get("value"), narration=None, lines=lines, items=items,
                       external_id=str(row["Id"]), version=row.get("SyncToken"), position=modified)


def _customer(row):
    address = row.get("BillAddr") or {}
    return Customer(
        external_id=str(row["Id"]), name=row.get("DisplayName"),
        phone=(row.get("PrimaryPhone") or {}).get("FreeFormNumber") or None,
        mobile=(row.get("Mobile") or {}).get("FreeFormNumber") or None,
        email=(row.get("PrimaryEmailAddr") or {}).get("Address") or None, gstin=row.get("GSTIN") or None,
        street=address.get("Line1") or None, city=address.get("City") or None, zip=address.get("PostalCode") or None,
        version=row.get("SyncToken"), position=(row.get("MetaData") or {}).get("LastUpdatedTime"),
    )


def _fault_code(fault):
    errors = (fault or {}).get("Error") or (fault or {}).get("error") or [{}]
    return str(errors[0].get("code") or "")


def _fault_text(fault):
    errors = (fault or {}).get("Error") or (fault or {}).get("error") or []
    return "; ".join("%s%s (code %s)" % (e.get("Message") or e.get("message"),
                                          (": " + e["Detail"]) if e.get("Detail") else "", e.get("code"))
                     for e in errors) or "no reason given"


def _money(value):
    try:
        return float(value or 0)
    except ValueError:
        return 0.0
