"""ZohoClient: Zoho Books API v3 for one organization."""
import time
from datetime import datetime, timedelta

from ..base import (Account, AuthError, ConnectorError, Customer, ProtocolError, QuotaExhausted, TransientError,
                    TrialBalanceLine, Voucher, VoucherItem, VoucherLine, WriteResult, receipt_allocation)
from ..http import HttpTransport, retry_after
from ..oauth import OAuthClient
from .gst import contact_gst

# Data centre → (API root, accounts server). India first.
REGIONS = {
    "in": ("https://www.zohoapis.in/books/v3/", "https://accounts.zoho.in/"),
    "com": ("https://www.zohoapis.com/books/v3/", "https://accounts.zoho.com/"),
    "eu": ("https://www.zohoapis.eu/books/v3/", "https://accounts.zoho.eu/"),
    "com.au": ("https://www.zohoapis.com.au/books/v3/", "https://accounts.zoho.com.au/"),
    "jp": ("https://www.zohoapis.jp/books/v3/", "https://accounts.zoho.jp/"),
}
SCOPE = "ZohoBooks.fullaccess.all"
PER_PAGE = 200
# Zoho's codes for "too many calls": per minute (wait) and for the day (pause to tomorrow).
DAILY_LIMIT_CODES = (45,)
DUPLICATE_NAME_CODES = (3062,)
IST = timedelta(hours=5, minutes=30)
# Vouchers by kind: listing, key of the list, key of one, number field.
DOCUMENTS = {
    "sales": ("invoices", "invoices", "invoice", "invoice_number"),
    "credit_note": ("creditnotes", "creditnotes", "creditnote", "creditnote_number"),
    "receipt": ("customerpayments", "customerpayments", "payment", "payment_number"),
    "journal": ("journals", "journals", "journal", "entry_number"),
}


def oauth_client(client_id, client_secret, region="in", accounts_url=None, timeout=30.0):
    """Zoho Accounts for this data centre: offline access (a refresh token)."""
    accounts = (accounts_url or REGIONS[region][1]).rstrip("/") + "/"
    return OAuthClient(accounts + "oauth/v2/auth", accounts + "oauth/v2/token", client_id, client_secret, SCOPE,
                       timeout=timeout, extra_authorize_params={"access_type": "offline", "prompt": "consent"})


class DailyLimitReached(QuotaExhausted):
    """The organization's API calls for the day are used up."""


class ZohoClient(object):
    """``auth`` is a :class:`~..oauth.BearerAuth`: a fresh token before each
    call, one renewal after a 401. Cursors are ``last_modified_time``."""

    def __init__(self, organization_id, auth, region="in", base_url=None, timeout=30.0, session=None):
        self.organization_id = str(organization_id)
        self.auth = auth
        self.http = HttpTransport("Zoho Books", base_url or REGIONS[region][0], timeout, session)
        self._cache = {}

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------
    def _call(self, method, path, params=None, body=None):
        params = dict(params or {}, organization_id=self.organization_id)
        response = self.auth.send(lambda token: self.http.request(
            method, path, passthrough=(400, 401, 404, 429), params=params, json=body,
            headers={"Authorization": "Zoho-oauthtoken %s" % token}))
        envelope = self._envelope(response)
        if response.status_code == 401:
            raise AuthError("Zoho Books refused the access token: %s" % envelope.get("message"))
        if response.status_code == 429:
            if envelope.get("code") in DAILY_LIMIT_CODES or "day" in str(envelope.get("message", "")).lower():
                raise DailyLimitReached("Zoho Books: the organization's API calls for today are used up (%s)"
                                        % envelope.get("message"), retry_after=_seconds_to_tomorrow_ist())
            raise TransientError("Zoho Books: too many requests (%s)" % envelope.get("message"),
                                 retry_after=retry_after(response) or 60)
        return response.status_code, envelope

    @staticmethod
    def _envelope(response):
        try:
            body = response.json()
        except ValueError:
            raise ProtocolError("Zoho Books answered something that is not JSON (HTTP %d)" % response.status_code)
        if not isinstance(body, dict) or "code" not in body:
            raise ProtocolError("Zoho Books answered without its code/message envelope")
        return body

    def _read(self, path, params=None):
        status, envelope = self._call("GET", path, params)
        if envelope["code"] != 0:
            raise ConnectorError("Zoho Books: %s (code %s)" % (envelope.get("message"), envelope["code"]))
        return envelope

    def _pages(self, path, key, params=None):
        page = 1
        while True:
            envelope = self._read(path, dict(params or {}, page=page, per_page=PER_PAGE))
            for row in envelope.get(key) or []:
                yield row
            if not (envelope.get("page_context") or {}).get("has_more_page"):
                return
            page += 1

    def _since(self, path, key, since, params=None):
        """Rows changed after ``since``, newest first (Zoho sorts by
        last_modified_time; the read stops at the first older row)."""
        for row in self._pages(path, key, dict(params or {}, sort_column="last_modified_time",
                                               sort_order="D")):
            if since and row.get("last_modified_time", "") <= since:
                return
            yield row

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def test_connection(self):
        started = time.time()
        organizations = self._read("organizations").get("organizations") or []
        mine = [o for o in organizations if str(o.get("organization_id")) == self.organization_id]
        if not mine:
            raise ConnectorError("organization %s is not one of this Zoho account's (%s)" % (
                self.organization_id, ", ".join(str(o.get("organization_id")) for o in organizations)))
        return time.time() - started, "organization %s (%s)" % (mine[0].get("name"), self.organization_id)

    def iter_customers(self, group=None, since=None):
        for row in self._since("contacts", "contacts", since, {"contact_type": "customer"}):
            yield _customer(row)

    def find_customer(self, name_or_id):
        """The customer contact with this contact_id or this name, or None."""
        if str(name_or_id).isdigit():
            status, envelope = self._call("GET", "contacts/%s" % name_or_id)
            if envelope.get("code") == 0 and envelope.get("contact"):
                return _customer(envelope["contact"])
        rows = self._read("contacts", {"contact_name": name_or_id, "contact_type": "customer"}).get("contacts") or []
        rows = [row for row in rows if row.get("contact_name") == name_or_id]
        return _customer(rows[0]) if rows else None

    def iter_vouchers(self, from_date=None, to_date=None, after_alter_id=None, kinds=None):
        """Invoices, credit notes, customer payments and journals changed
        since ``after_alter_id`` (a last_modified_time), with their lines."""
        for kind in kinds or DOCUMENTS:
            listing, key, one, _number = DOCUMENTS[kind]
            for row in self._since(listing, key, after_alter_id):
                if (from_date and row.get("date", "") < from_date) or (to_date and row.get("date", "") > to_date):
                    continue
                detail = self._read("%s/%s" % (listing, _id_of(kind, row))).get(one) or row
                yield _voucher(kind, detail, row.get("last_modified_time"))

    def find_voucher(self, remote_id, date, number=None, kind="sales"):
        """The document this side sent (its reference_number is our remote id)."""
        for doc_kind in ([kind] if kind else DOCUMENTS):
            listing, key, _one, _number = DOCUMENTS[doc_kind]
            rows = self._read(listing, {"reference_number": remote_id}).get(key) or []
            for row in rows:
                if row.get("reference_number") == remote_id:
                    return _voucher(doc_kind, row, row.get("last_modified_time"))
        return None

    def iter_accounts(self):
        for row in self._pages("chartofaccounts", "chartofaccounts"):
            yield Account(name=row["account_name"], groups=(row.get("account_type"),), code=row.get("account_code"),
                          external_id=str(row["account_id"]), version=row.get("last_modified_time"))

    def trial_balance(self, from_date, to_date):
        report = self._read("reports/trialbalance", {"from_date": from_date, "to_date": to_date})
        lines = []

        def walk(rows):
            for row in rows or []:
                if row.get("account_id"):
                    lines.append(TrialBalanceLine(row.get("name") or row.get("account_name"),
                                                  float(row.get("net_debit_total") or 0),
                                                  float(row.get("net_credit_total") or 0)))
                walk(row.get("rows") or row.get("account_transactions"))
        walk(report.get("trial_balance"))
        return lines

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def _write(self, method, path, body, key, params=None):
        status, envelope = self._call(method, path, params, body)
        if envelope["code"] == 0:
            return True, envelope.get(key) or {}, envelope
        return False, None, envelope

    def push_customer(self, customer, group=None, alter=False):
        body = dict(contact_gst(customer.gstin), contact_name=customer.name, contact_type="customer",
                    phone=customer.phone or "", mobile=customer.mobile or "",
                    billing_address={"address": customer.street or "", "city": customer.city or "",
                                     "zip": customer.zip or "", "state": customer.state or ""})
        if customer.email:
            body["contact_persons"] = [{"first_name": customer.name[:100], "email": customer.email,
                                        "is_primary_contact": True}]
        if alter and customer.external_id:
            ok, contact, envelope = self._write("PUT", "contacts/%s" % customer.external_id, body, "contact")
        else:
            ok, contact, envelope = self._write("POST", "contacts", body, "contact")
        if ok:
            return WriteResult(customer.name, "altered" if alter else "created", str(contact.get("contact_id")))
        if envelope["code"] in DUPLICATE_NAME_CODES:
            existing = self.find_customer(customer.name)
            if existing:
                return WriteResult(customer.name, "linked", existing.external_id)
        return WriteResult(customer.name, "failed", None, "Zoho Books: %s" % envelope.get("message"))

    def push_voucher(self, voucher, alter=False):
        listing, _key, one, _number = DOCUMENTS.get(voucher.kind, (None,) * 4)
        if not listing:
            raise ConnectorError("Zoho Books takes invoices, credit notes, payments and journals, not %s"
                                 % voucher.kind)
        try:
            body = getattr(self, "_%s_body" % voucher.kind)(voucher)
        except ConnectorError as error:  # a tax or account Zoho does not have: this record fails alone
            return WriteResult(voucher.number, "failed", None, str(error))
        params = {"ignore_auto_number_generation": "true"} if voucher.kind in ("sales", "credit_note") else None
        if alter and voucher.external_id:
            ok, saved, envelope = self._write("PUT", "%s/%s" % (listing, voucher.external_id), body, one, params)
        else:
            ok, saved, envelope = self._write("POST", listing, body, one, params)
        if not ok:
            return WriteResult(voucher.number, "failed", None, "Zoho Books: %s" % envelope.get("message"))
        return WriteResult(voucher.number, "altered" if alter else "created", _id_of(voucher.kind, saved))

    def _tax_id(self, rate):
        """Zoho's tax (or tax group) with this GST rate."""
        if "taxes" not in self._cache:
            self._cache["taxes"] = self._read("settings/taxes").get("taxes") or []
        for tax in self._cache["taxes"]:
            if abs(float(tax.get("tax_percentage") or 0) - rate) < 0.01:
                return tax["tax_id"]
        raise ConnectorError("Zoho Books has no tax of %.2f%%: add it in Zoho (Settings › Taxes)" % rate)

    def _account_id(self, name):
        if "accounts" not in self._cache:
            self._cache["accounts"] = {a.name: a.external_id for a in self.iter_accounts()}
        if name not in self._cache["accounts"]:
            raise ConnectorError("Zoho Books has no account named '%s'" % name)
        return self._cache["accounts"][name]

    def _line_items(self, voucher):
        items = []
        for item in voucher.items or []:
            line = {"name": item.name[:100], "description": item.name, "rate": item.price,
                    "quantity": item.quantity}
            if item.amount and item.tax_amount:
                line["tax_id"] = self._tax_id(round(100.0 * item.tax_amount / item.amount, 2))
            items.append(line)
        return items

    def _sales_body(self, voucher):
        return {"customer_id": voucher.party_id, "invoice_number": voucher.number, "date": str(voucher.date),
                "reference_number": voucher.remote_id, "notes": voucher.narration or "",
                "line_items": self._line_items(voucher)}

    def _credit_note_body(self, voucher):
        return {"customer_id": voucher.party_id, "creditnote_number": voucher.number, "date": str(voucher.date),
                "reference_number": voucher.remote_id, "line_items": self._line_items(voucher)}

    def _receipt_body(self, voucher):
        amount, shares = receipt_allocation(voucher, lambda number: [
            (row["invoice_id"], row.get("balance"))
            for row in self._read("invoices", {"invoice_number": number}).get("invoices") or []])
        return {"customer_id": voucher.party_id, "payment_mode": "banktransfer", "amount": amount,
                "date": str(voucher.date), "reference_number": voucher.remote_id,
                "invoices": [{"invoice_id": invoice, "amount_applied": share} for invoice, share in shares]}

    def _journal_body(self, voucher):
        return {"journal_date": str(voucher.date), "reference_number": voucher.remote_id,
                "notes": voucher.narration or voucher.number or "",
                "line_items": [{"account_id": self._account_id(line.account), "amount": line.amount,
                                "debit_or_credit": "debit" if line.debit else "credit"} for line in voucher.lines]}


def _id_of(kind, row):
    key = {"sales": "invoice_id", "credit_note": "creditnote_id", "receipt": "payment_id",
           "journal": "journal_id"}[kind]
    return str(row.get(key)) if row.get(key) else None


def _customer(row):
    address = row.get("billing_address") or {}
    return Customer(
        external_id=str(row["contact_id"]), name=row.get("contact_name"), phone=row.get("phone") or None,
        mobile=row.get("mobile") or None, email=row.get("email") or None, gstin=row.get("gst_no") or None,
        street=address.get("address") or None, city=address.get("city") or None, zip=address.get("zip") or None,
        state=address.get("state") or None, version=row.get("last_modified_time"),
    )


def _voucher(kind, row, modified):
    number = row.get(DOCUMENTS[kind][3])
    party = row.get("customer_name")
    if kind in ("sales", "credit_note"):
        items = [VoucherItem(name=line.get("name") or line.get("description") or "", quantity=float(line.get("quantity") or 1),
                             price=float(line.get("rate") or 0), amount=float(line.get("item_total") or 0),
                             tax_amount=round(float(line.get("item_total") or 0) * float(line.get("tax_percentage") or 0)
                                              / 100.0, 2), code=line.get("item_id"))
                 for line in row.get("line_items") or []]
        lines = [VoucherLine(party, float(row.get("total") or 0), kind == "sales")]
    elif kind == "receipt":
        items, amount = None, float(row.get("amount") or 0)
        lines = [VoucherLine(row.get("account_name") or "Bank", amount, True), VoucherLine(party, amount, False)]
    else:
        items = None
        lines = [VoucherLine(line.get("account_name"), float(line.get("amount") or 0),
                             line.get("debit_or_credit") == "debit") for line in row.get("line_items") or []]
    return Voucher(kind=kind, remote_id=row.get("reference_number"), number=number, date=row.get("date")
                   or row.get("journal_date"), party=party, party_id=row.get("customer_id"),
                   narration=row.get("notes") or None, lines=lines, items=items,
                   external_id=_id_of(kind, row), version=modified, position=modified)


def _seconds_to_tomorrow_ist():
    now = datetime.utcnow() + IST
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=5, second=0, microsecond=0)
    return (tomorrow - now).total_seconds()
