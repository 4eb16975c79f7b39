# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""ZohoClient: Zoho Books API v3 for one organization.

What each behaviour rests on (Zoho's documentation or recorded answers) is
in README.md beside this file."""
import time
from datetime import datetime, timedelta

from ..base import (
    Account,
    AccountingClient,
    Allocation,
    AuthError,
    ConnectorError,
    Customer,
    ProtocolError,
    QuotaExhausted,
    SettingsMissing,
    TransientError,
    TrialBalanceLine,
    Voucher,
    VoucherItem,
    VoucherLine,
    WriteResult,
    receipt_allocation,
)
from ..http import HttpTransport, retry_after
from ..oauth import OAuthClient
from .gst import GST_STATES, contact_gst, same_state, state_code, tax_kind

# Data centre → (API root, accounts server). India first.
REGIONS = {
    "in": ("https://www.zohoapis.in/books/v3/", "https://accounts.zoho.in/"),
    "com": ("https://www.zohoapis.com/books/v3/", "https://accounts.zoho.com/"),
    "eu": ("https://www.zohoapis.eu/books/v3/", "https://accounts.zoho.eu/"),
    "com.au": (
        "https://www.zohoapis.com.au/books/v3/",
        "https://accounts.zoho.com.au/",
    ),
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
# Lists whose documentation has a ``last_modified_time`` filter ("modified
# after"). Zoho documents no ``last_modified_time`` sort for invoices, so
# no list is read "newest first, stop at the first older row": the others
# are read whole and each row's own last_modified_time says if it changed.
MODIFIED_FILTER = frozenset(("invoices",))
# Lines Zoho wants an item on (``line_items[].item_id`` is "Required" in the
# Create/Update an invoice arguments); credit notes get one too.
ITEM_LINES = frozenset(("sales", "credit_note"))
# A line's tax is the Zoho tax whose rate gives its tax amount within this.
TAX_TOLERANCE = 0.02


def oauth_client(
    client_id, client_secret, region="in", accounts_url=None, timeout=30.0
):
    """Zoho Accounts for this data centre: offline access (a refresh token)."""
    accounts = (accounts_url or REGIONS[region][1]).rstrip("/") + "/"
    return OAuthClient(
        accounts + "oauth/v2/auth",
        accounts + "oauth/v2/token",
        client_id,
        client_secret,
        SCOPE,
        timeout=timeout,
        extra_authorize_params={"access_type": "offline", "prompt": "consent"},
    )


class DailyLimitReached(QuotaExhausted):
    """The organization's API calls for the day are used up."""


class ZohoClient(AccountingClient):
    """``auth`` is a :class:`~..oauth.BearerAuth`: a token kept until it
    nears expiry, one renewal after a 401. Cursors are Zoho's
    ``last_modified_time`` strings, as Zoho writes them.

    ``company_state`` is the seller's state (a two-letter code, a state
    name or the company's GSTIN): an invoice takes CGST + SGST when the
    customer's place of supply is that state and IGST when it is another."""

    system, label = "zoho", "Zoho Books"
    pulls = frozenset(
        ("customers", "accounts", "invoices", "payments", "journals", "trial_balance")
    )
    pushes = frozenset(("customers", "invoices", "payments", "journals"))
    needs_oauth = True
    account_kinds = {
        "income": "revenue",
        "other_income": "other_income",
        "expense": "expenses",
        "other_expense": "expenses",
        "cost_of_goods_sold": "direct_costs",
        "bank": "liquidity",
        "cash": "liquidity",
        "other_current_asset": "current_assets",
        "fixed_asset": "fixed_assets",
        "equity": "equity",
        "other_current_liability": "current_liabilities",
        "long_term_liability": "non_current_liabilities",
        "accounts_receivable": "receivable",
        "accounts_payable": "payable",
    }
    note = (
        "Zoho Books (API v3): customers and invoices both ways, payments, credit "
        "notes and journals out, chart of accounts, payments, journals and trial "
        "balance in. Connect with your Zoho app's client ID and secret "
        "(api-console.zoho.in), then Connect."
    )

    @classmethod
    def from_settings(cls, settings):
        if not settings.get("organization_id"):
            raise SettingsMissing(
                "Set the Zoho organization ID first (Zoho Books › Settings › Organization)."
            )
        return cls(
            settings["organization_id"],
            settings["auth"],
            region=settings.get("region") or "in",
            base_url=settings.get("url"),
            timeout=settings.get("timeout") or 30,
            company_state=settings.get("company_state"),
        )

    @classmethod
    def oauth_client(cls, client_id, client_secret, settings):
        return oauth_client(
            client_id,
            client_secret,
            settings.get("region") or "in",
            settings.get("oauth_url"),
            timeout=settings.get("timeout") or 30,
        )

    def __init__(
        self,
        organization_id,
        auth,
        region="in",
        base_url=None,
        timeout=30.0,
        session=None,
        company_state=None,
    ):
        self.organization_id = str(organization_id)
        self.auth = auth
        self.http = HttpTransport(
            "Zoho Books", base_url or REGIONS[region][0], timeout, session
        )
        self.company_state = company_state or None
        self._cache = {}

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------
    def _call(self, method, path, params=None, body=None):
        params = dict(params or {}, organization_id=self.organization_id)
        response = self.auth.send(
            lambda token: self.http.request(
                method,
                path,
                passthrough=(400, 401, 404, 429),
                params=params,
                json=body,
                headers={"Authorization": "Zoho-oauthtoken %s" % token},
            )
        )
        envelope = self._envelope(response)
        if response.status_code == 401:
            raise AuthError(
                "Zoho Books refused the access token: %s" % envelope.get("message")
            )
        if response.status_code == 429:
            if (
                envelope.get("code") in DAILY_LIMIT_CODES
                or "day" in str(envelope.get("message", "")).lower()
            ):
                raise DailyLimitReached(
                    "Zoho Books: the organization's API calls for today are used up (%s)"
                    % envelope.get("message"),
                    retry_after=_seconds_to_tomorrow_ist(),
                )
            raise TransientError(
                "Zoho Books: too many requests (%s)" % envelope.get("message"),
                retry_after=retry_after(response) or 60,
            )
        return response.status_code, envelope

    @staticmethod
    def _envelope(response):
        try:
            body = response.json()
        except ValueError:
            raise ProtocolError(
                "Zoho Books answered something that is not JSON (HTTP %d)"
                % response.status_code
            ) from None
        if not isinstance(body, dict) or "code" not in body:
            raise ProtocolError("Zoho Books answered without its code/message envelope")
        return body

    def _read(self, path, params=None):
        status, envelope = self._call("GET", path, params)
        if envelope["code"] != 0:
            raise ConnectorError(
                "Zoho Books: %s (code %s)" % (envelope.get("message"), envelope["code"])
            )
        return envelope

    def _pages(self, path, key, params=None):
        page = 1
        while True:
            envelope = self._read(
                path, dict(params or {}, page=page, per_page=PER_PAGE)
            )
            for row in envelope.get(key) or []:
                yield row
            if not _page_context(envelope).get("has_more_page"):
                return
            page += 1

    def _changed(self, listing, key, since, params=None):
        """Rows of a list changed after ``since``, in whatever order Zoho
        gives them: the documented ``last_modified_time`` filter where the
        list has one, the whole list otherwise; either way a row is kept
        when its own last_modified_time is after ``since`` (a row without
        one is kept: its detail decides)."""
        params = dict(params or {})
        if since and listing in MODIFIED_FILTER:
            params["last_modified_time"] = since
        for row in self._pages(listing, key, params):
            if (
                since
                and row.get("last_modified_time")
                and not modified_after(row["last_modified_time"], since)
            ):
                continue
            yield row

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def test_connection(self):
        started = time.time()
        organizations = self._read("organizations").get("organizations") or []
        mine = [
            o
            for o in organizations
            if str(o.get("organization_id")) == self.organization_id
        ]
        if not mine:
            raise ConnectorError(
                "organization %s is not one of this Zoho account's (%s)"
                % (
                    self.organization_id,
                    ", ".join(str(o.get("organization_id")) for o in organizations),
                )
            )
        return time.time() - started, "organization %s (%s)" % (
            mine[0].get("name"),
            self.organization_id,
        )

    def iter_customers(self, since=None):
        """Customer contacts changed after ``since``, whole: a list row has
        no address nor GST details, so each changed one is read by its id."""
        for row in self._changed("contacts", "contacts", since):
            if row.get("contact_type") and row.get("contact_type") != "customer":
                continue  # vendors
            detail = self._contact(_text(row["contact_id"]), fresh=True) or row
            modified = detail.get("last_modified_time") or row.get("last_modified_time")
            if (
                since
                and not row.get("last_modified_time")
                and modified
                and not modified_after(modified, since)
            ):
                continue
            yield customer_from_contact(detail, row)

    def _contact(self, contact_id, fresh=False):
        """A contact's detail (``GET /contacts/{id}``), kept for this run."""
        contacts = self._cache.setdefault("contacts", {})
        if fresh or contact_id not in contacts:
            status, envelope = self._call("GET", "contacts/%s" % contact_id)
            if envelope.get("code") != 0 or not envelope.get("contact"):
                if status == 404 or envelope.get("code") == 1002:
                    return None
                raise ConnectorError(
                    "Zoho Books: %s (code %s)"
                    % (envelope.get("message"), envelope.get("code"))
                )
            contacts[contact_id] = envelope["contact"]
        return contacts[contact_id]

    def find_customer(self, name_or_id):
        """The customer contact with this contact_id or this name, or None."""
        if str(name_or_id).isdigit():
            contact = self._contact(str(name_or_id), fresh=True)
            if contact:
                return customer_from_contact(contact)
        rows = (
            self._read("contacts", {"contact_name": name_or_id}).get("contacts") or []
        )
        rows = [
            row
            for row in rows
            if row.get("contact_name") == name_or_id
            and row.get("contact_type") in (None, "customer")
        ]
        if not rows:
            return None
        return customer_from_contact(
            self._contact(_text(rows[0]["contact_id"]), fresh=True) or rows[0], rows[0]
        )

    def iter_vouchers(self, kinds=None, since=None, date_from=None, date_to=None):
        """Invoices, credit notes, customer payments and journals changed
        since ``since`` (a last_modified_time), with their lines."""
        for kind in kinds or DOCUMENTS:
            listing, key, one, _number = DOCUMENTS[kind]
            for row in self._changed(listing, key, since):
                date = row.get("date") or row.get("journal_date") or ""
                if (date_from and date and date < date_from) or (
                    date_to and date and date > date_to
                ):
                    continue
                detail = (
                    self._read("%s/%s" % (listing, _id_of(kind, row))).get(one) or row
                )
                modified = row.get("last_modified_time") or detail.get(
                    "last_modified_time"
                )
                if (
                    since
                    and not row.get("last_modified_time")
                    and modified
                    and not modified_after(modified, since)
                ):
                    continue
                yield voucher_from_document(kind, detail, modified)

    def find_voucher(self, remote_id, date, number=None, kind="sales"):
        """The document this side sent (its reference_number is our remote id)."""
        for doc_kind in [kind] if kind else DOCUMENTS:
            listing, key, _one, _number = DOCUMENTS[doc_kind]
            rows = self._read(listing, {"reference_number": remote_id}).get(key) or []
            for row in rows:
                if row.get("reference_number") == remote_id:
                    return voucher_from_document(
                        doc_kind, row, row.get("last_modified_time")
                    )
        return None

    def iter_accounts(self):
        for row in self._pages("chartofaccounts", "chartofaccounts"):
            yield Account(
                name=row["account_name"],
                groups=(row.get("account_type"),),
                code=row.get("account_code"),
                external_id=_text(row["account_id"]),
                version=row.get("last_modified_time"),
            )

    def trial_balance(self, date_from, date_to):
        """The trial balance for the period: Zoho's ``trialbalance`` report
        asked for those dates (``filter_by=TransactionDate.CustomDate``)."""
        report = self._read(
            "reports/trialbalance",
            {
                "filter_by": "TransactionDate.CustomDate",
                "from_date": str(date_from),
                "to_date": str(date_to),
            },
        )
        return trial_balance_lines(report)

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def _write(self, method, path, body, key, params=None):
        status, envelope = self._call(method, path, params, body)
        if envelope["code"] == 0:
            return True, envelope.get(key) or {}, envelope
        return False, None, envelope

    def push_customer(self, customer, alter=False):
        body = dict(
            contact_gst(
                customer.gstin,
                customer.gst_treatment,
                customer.place_of_supply or customer.state,
            ),
            contact_name=customer.name,
            contact_type="customer",
            billing_address={
                "address": customer.street or "",
                "city": customer.city or "",
                "zip": customer.zip or "",
                "state": customer.state or "",
                "country": customer.country or "",
            },
        )
        existing = (
            self._contact(customer.external_id, fresh=True)
            if alter and customer.external_id
            else None
        )
        persons = contact_persons(customer, existing)
        if persons is not None:
            body["contact_persons"] = persons
        if alter and customer.external_id:
            ok, contact, envelope = self._write(
                "PUT", "contacts/%s" % customer.external_id, body, "contact"
            )
        else:
            ok, contact, envelope = self._write("POST", "contacts", body, "contact")
        if ok:
            contact_id = _text(contact.get("contact_id")) or customer.external_id
            self._cache.get("contacts", {}).pop(contact_id, None)
            return WriteResult(
                customer.name,
                "altered" if alter else "created",
                contact_id,
                version=contact.get("last_modified_time"),
            )
        if envelope["code"] in DUPLICATE_NAME_CODES:
            existing = self.find_customer(customer.name)
            if existing:
                return WriteResult(customer.name, "linked", existing.external_id)
            return WriteResult(
                customer.name,
                "failed",
                None,
                "Zoho Books already has a contact named '%s' that is not a customer "
                "(or that this connection cannot see): rename one of them, or make "
                "that contact a customer in Zoho (Zoho: %s, code %s)"
                % (customer.name, envelope.get("message"), envelope["code"]),
            )
        return WriteResult(
            customer.name,
            "failed",
            None,
            "Zoho Books: %s (code %s)"
            % (envelope.get("message"), envelope.get("code")),
        )

    def push_voucher(self, voucher, alter=False):
        listing, _key, one, _number = DOCUMENTS.get(voucher.kind, (None,) * 4)
        if not listing:
            raise ConnectorError(
                "Zoho Books takes invoices, credit notes, payments and journals, not %s"
                % voucher.kind
            )
        try:
            body = getattr(self, "_%s_body" % voucher.kind)(voucher)
        except ConnectorError as error:
            # A tax, item or account Zoho does not have: this record fails alone.
            if isinstance(error, (TransientError, AuthError)):
                raise
            return WriteResult(voucher.number, "failed", None, str(error))
        params = (
            {"ignore_auto_number_generation": "true"}
            if voucher.kind in ("sales", "credit_note")
            else None
        )
        if alter and voucher.external_id:
            ok, saved, envelope = self._write(
                "PUT", "%s/%s" % (listing, voucher.external_id), body, one, params
            )
        else:
            ok, saved, envelope = self._write("POST", listing, body, one, params)
        if not ok:
            return WriteResult(
                voucher.number,
                "failed",
                None,
                "Zoho Books: %s (code %s)"
                % (envelope.get("message"), envelope.get("code")),
            )
        return WriteResult(
            voucher.number,
            "altered" if alter else "created",
            _id_of(voucher.kind, saved),
            version=saved.get("last_modified_time"),
        )

    # -- taxes ---------------------------------------------------------
    def _taxes(self):
        if "taxes" not in self._cache:
            self._cache["taxes"] = self._read("settings/taxes").get("taxes") or []
        return self._cache["taxes"]

    def _tax_id(self, amount, tax_amount, inter_state):
        """The Zoho tax for a line: IGST across states, the CGST + SGST group
        within the seller's state, at the rate that gives this tax amount."""
        wanted = "igst" if inter_state else "intra"
        rate = 100.0 * tax_amount / amount
        candidates = [
            tax
            for tax in self._taxes()
            if tax_kind(tax) == wanted
            and abs(amount * float(tax.get("tax_percentage") or 0) / 100.0 - tax_amount)
            <= max(TAX_TOLERANCE, abs(amount) * 0.0001)
        ]
        if not candidates:
            raise ConnectorError(
                "Zoho Books has no tax of %.2f%% for %s: add it in Zoho (Settings › Taxes)"
                % (
                    rate,
                    "an inter-state sale (IGST)"
                    if inter_state
                    else "a sale within the state (a CGST + SGST tax group)",
                )
            )
        candidates.sort(
            key=lambda tax: abs(float(tax.get("tax_percentage") or 0) - rate)
        )
        return _text(candidates[0]["tax_id"])

    def _place_of_supply(self, voucher):
        """``(Zoho's place of supply code or None, inter_state)`` for a
        document to this customer: the contact's place of contact, else the
        state of its GSTIN; a customer with neither is served within the
        seller's state (where Zoho itself puts such a sale)."""
        contact = self._contact(_text(voucher.party_id)) if voucher.party_id else None
        contact = contact or {}
        place = (
            contact.get("place_of_contact") or contact.get("place_of_supply") or None
        )
        known = place or (
            state_code(contact.get("gst_no")) if contact.get("gst_no") else None
        )
        if not known:
            return None, False
        same = same_state(self.company_state, known)
        if same is None:
            raise ConnectorError(
                "cannot choose between CGST + SGST and IGST: the company's state is not known "
                "to the Zoho connection (the customer's place of supply is %s)" % known
            )
        return (state_code(place) if place else None), not same

    def _account_id(self, name):
        if "accounts" not in self._cache:
            self._cache["accounts"] = {
                a.name: a.external_id for a in self.iter_accounts()
            }
        if name not in self._cache["accounts"]:
            raise ConnectorError("Zoho Books has no account named '%s'" % name)
        return self._cache["accounts"][name]

    # -- items ---------------------------------------------------------
    def _items(self, reload=False):
        if reload or "items" not in self._cache:
            self._cache["items"] = [
                row
                for row in self._pages("items", "items")
                if row.get("status") in (None, "", "active")
            ]
        return self._cache["items"]

    def _item_id(self, item):
        """The Zoho item of an Odoo line: by SKU (the product's internal
        reference), else by name, else a new item; looked up once a run."""
        name = (item.name or "").strip()[:100] or "Item"
        found = _find_item(self._items(), item.code, name)
        if found:
            return found
        body = {
            "name": name,
            "rate": item.price or 0.0,
            "description": (item.name or "")[:2000],
        }
        if item.code:
            body["sku"] = item.code
        ok, saved, envelope = self._write("POST", "items", body, "item")
        if ok and saved.get("item_id"):
            self._cache["items"].append(saved)
            return _text(saved["item_id"])
        found = _find_item(
            self._items(reload=True), item.code, name
        )  # made meanwhile by another run
        if found:
            return found
        raise ConnectorError(
            "Zoho Books refused to create the item '%s': %s (code %s)"
            % (name, envelope.get("message"), envelope.get("code"))
        )

    def _line_items(self, voucher):
        place, inter_state = None, False
        if any(item.amount and item.tax_amount for item in voucher.items or []):
            place, inter_state = self._place_of_supply(voucher)
        lines = []
        for item in voucher.items or []:
            line = {
                "item_id": self._item_id(item),
                "description": (item.name or "")[:2000],
                "rate": item.price,
                "quantity": item.quantity,
            }
            if item.amount and item.tax_amount:
                line["tax_id"] = self._tax_id(item.amount, item.tax_amount, inter_state)
            lines.append(line)
        return lines, place

    def _sales_body(self, voucher):
        lines, place = self._line_items(voucher)
        body = {
            "customer_id": voucher.party_id,
            "invoice_number": voucher.number,
            "date": str(voucher.date),
            "reference_number": voucher.remote_id,
            "notes": voucher.narration or "",
            "line_items": lines,
        }
        if place:
            body["place_of_supply"] = place
        return body

    def _credit_note_body(self, voucher):
        lines, place = self._line_items(voucher)
        body = {
            "customer_id": voucher.party_id,
            "creditnote_number": voucher.number,
            "date": str(voucher.date),
            "reference_number": voucher.remote_id,
            "line_items": lines,
        }
        if place:
            body["place_of_supply"] = place
        return body

    def _receipt_body(self, voucher):
        amount, shares = receipt_allocation(
            voucher,
            lambda number: [
                (_text(row["invoice_id"]), row.get("balance"))
                for row in self._read("invoices", {"invoice_number": number}).get(
                    "invoices"
                )
                or []
                if row.get("invoice_number") == number
            ],
        )
        return {
            "customer_id": voucher.party_id,
            "payment_mode": "banktransfer",
            "amount": amount,
            "date": str(voucher.date),
            "reference_number": voucher.remote_id,
            "description": voucher.narration or voucher.number or "",
            "invoices": [
                {"invoice_id": invoice, "amount_applied": share}
                for invoice, share in shares
            ],
        }

    def _journal_body(self, voucher):
        return {
            "journal_date": str(voucher.date),
            "reference_number": voucher.remote_id,
            "notes": voucher.narration or voucher.number or "",
            "line_items": [
                {
                    "account_id": self._account_id(line.account),
                    "amount": line.amount,
                    "debit_or_credit": "debit" if line.debit else "credit",
                }
                for line in voucher.lines
            ],
        }


# ----------------------------------------------------------------------
# Zoho's answers → the hub's records (plain functions: the real-sample
# tests read recorded answers through them)
# ----------------------------------------------------------------------
def _text(value):
    """Zoho ids are strings live and numbers in its documentation's examples."""
    if value is None or value == "":
        return None
    return str(value).strip() or None


def _page_context(envelope):
    """``page_context`` is an object, and a one-element array in some of
    Zoho's documented examples."""
    context = envelope.get("page_context") or {}
    if isinstance(context, list):
        context = context[0] if context and isinstance(context[0], dict) else {}
    return context


def _id_of(kind, row):
    key = {
        "sales": "invoice_id",
        "credit_note": "creditnote_id",
        "receipt": "payment_id",
        "journal": "journal_id",
    }[kind]
    return _text(row.get(key))


def _time(value):
    """A Zoho time ("2013-11-18T02:02:51-0800") as an aware datetime, or None."""
    text = str(value or "").strip()
    for pattern in ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%f%z"):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def modified_after(modified, since):
    """True when ``modified`` is later than ``since`` (both Zoho times,
    compared as instants whatever their offsets)."""
    a, b = _time(modified), _time(since)
    if a is None or b is None:
        return str(modified) > str(since)
    return a > b


def primary_person(contact):
    """The contact's primary contact person (by flag, else by
    ``primary_contact_id``, else the first), or an empty dict."""
    persons = [p for p in contact.get("contact_persons") or [] if isinstance(p, dict)]
    for person in persons:
        if person.get("is_primary_contact"):
            return person
    primary_id = _text(contact.get("primary_contact_id"))
    for person in persons:
        if primary_id and _text(person.get("contact_person_id")) == primary_id:
            return person
    return persons[0] if persons else {}


def customer_from_contact(contact, row=None):
    """A Zoho contact (its detail, as ``GET /contacts/{id}`` gives it) as a
    Customer: email and phones from its primary contact person, GST
    treatment, GSTIN and place of supply (a two-letter state code)."""
    row = row or {}
    person = primary_person(contact)
    address = contact.get("billing_address") or {}
    street = ", ".join(
        str(part).strip()
        for part in (address.get("address"), address.get("street2"))
        if part and str(part).strip()
    )
    gstin = (contact.get("gst_no") or "").strip() or None
    place = contact.get("place_of_contact") or contact.get("place_of_supply") or None
    place = (
        (str(place).strip().upper() or None)
        if place
        else (GST_STATES.get(gstin[:2]) if gstin else None)
    )

    def first(*values):
        for value in values:
            if value is not None and str(value).strip():
                return str(value).strip()
        return None

    return Customer(
        external_id=_text(contact.get("contact_id") or row.get("contact_id")),
        name=contact.get("contact_name") or row.get("contact_name"),
        email=first(person.get("email"), contact.get("email"), row.get("email")),
        phone=first(
            person.get("phone"),
            address.get("phone"),
            contact.get("phone"),
            row.get("phone"),
        ),
        mobile=first(person.get("mobile"), contact.get("mobile"), row.get("mobile")),
        gstin=gstin,
        street=street or None,
        city=first(address.get("city")),
        zip=first(address.get("zip")),
        state=first(address.get("state")),
        country=first(address.get("country")),
        gst_treatment=first(contact.get("gst_treatment")),
        place_of_supply=place,
        version=contact.get("last_modified_time") or row.get("last_modified_time"),
    )


def contact_persons(customer, existing=None):
    """``contact_persons`` for a write: the customer's email and phones on
    its primary person (the one Zoho already has, by its id, when altering;
    the contact's other persons are sent back as they are so none is
    deleted). None when there is nothing to say."""
    if not (customer.email or customer.phone or customer.mobile):
        return None
    persons = [
        dict(p)
        for p in (existing or {}).get("contact_persons") or []
        if isinstance(p, dict)
    ]
    primary = (
        primary_person(
            {
                "contact_persons": persons,
                "primary_contact_id": (existing or {}).get("primary_contact_id"),
            }
        )
        if persons
        else None
    )
    mine = {
        "email": customer.email or "",
        "phone": customer.phone or "",
        "mobile": customer.mobile or "",
        "is_primary_contact": True,
    }
    if primary is None:
        first_name, _, last_name = (customer.name or "").partition(" ")
        mine.update(first_name=first_name[:100], last_name=last_name[:100])
        return [mine]
    kept = []
    for person in persons:
        wanted = {
            k: person.get(k)
            for k in (
                "contact_person_id",
                "salutation",
                "first_name",
                "last_name",
                "email",
                "phone",
                "mobile",
                "designation",
                "department",
            )
            if person.get(k) not in (None, "")
        }
        if person is primary:
            wanted.update(mine)
        kept.append(wanted)
    return kept


def _find_item(items, sku, name):
    if sku:
        for row in items:
            if (row.get("sku") or "").strip() == sku:
                return _text(row.get("item_id"))
    for same in (lambda a, b: a == b, lambda a, b: a.casefold() == b.casefold()):
        for row in items:
            if same((row.get("name") or "").strip(), name):
                return _text(row.get("item_id"))
    return None


def voucher_from_document(kind, row, modified=None):
    """A Zoho invoice, credit note, customer payment or journal (its
    detail) as a Voucher; a payment's ``invoices[]`` become its allocations."""
    modified = modified or row.get("last_modified_time")
    number = row.get(DOCUMENTS[kind][3])
    party = row.get("customer_name")
    allocations = None
    if kind in ("sales", "credit_note"):
        items = [
            VoucherItem(
                name=line.get("name") or line.get("description") or "",
                quantity=float(line.get("quantity") or 1),
                price=float(line.get("rate") or 0),
                amount=float(line.get("item_total") or 0),
                tax_amount=round(
                    float(line.get("item_total") or 0)
                    * float(line.get("tax_percentage") or 0)
                    / 100.0,
                    2,
                ),
                code=_text(line.get("item_id")),
            )
            for line in row.get("line_items") or []
        ]
        lines = document_lines(row, party, kind == "sales")
        narration = (row.get("notes") or "").strip() or None
    elif kind == "receipt":
        items, amount = None, float(row.get("amount") or 0)
        lines = [
            VoucherLine(row.get("account_name") or "Bank", amount, True),
            VoucherLine(party, amount, False),
        ]
        allocations = [
            Allocation(
                _text(applied.get("invoice_id")),
                _text(applied.get("invoice_number")),
                round(float(applied.get("amount_applied") or 0), 2),
            )
            for applied in row.get("invoices") or []
            if float(applied.get("amount_applied") or 0) > 0
        ]
        narration = (row.get("description") or "").strip() or None
    else:
        items = None
        lines = [
            VoucherLine(
                line.get("account_name"),
                float(line.get("amount") or 0),
                line.get("debit_or_credit") == "debit",
            )
            for line in row.get("line_items") or []
        ]
        narration = (row.get("notes") or "").strip() or None
    reference = (row.get("reference_number") or "").strip() or None
    return Voucher(
        kind=kind,
        remote_id=reference,
        number=number,
        date=row.get("date") or row.get("journal_date"),
        party=party,
        party_id=_text(row.get("customer_id")),
        narration=narration,
        lines=lines,
        items=items,
        allocations=allocations,
        external_id=_id_of(kind, row),
        version=modified,
        position=modified,
    )


def document_lines(row, party, sale=True):
    """The debit and credit lines of an invoice (a credit note: the other
    way round): the customer for the total; each line's income account for
    its amount; each tax for its amount (the document's ``taxes``, else
    computed per line); shipping and adjustment. They balance when Zoho's
    figures do; when they do not, the hub refuses the document."""
    lines = [VoucherLine(party, round(float(row.get("total") or 0), 2), sale)]
    for line in row.get("line_items") or []:
        amount = round(float(line.get("item_total") or 0), 2)
        if amount:
            lines.append(
                VoucherLine(
                    line.get("account_name") or "Sales",
                    abs(amount),
                    (amount < 0) == sale,
                )
            )
    taxes = [
        (tax.get("tax_name") or "Tax", float(tax.get("tax_amount") or 0))
        for tax in row.get("taxes") or []
        if isinstance(tax, dict)
    ]
    if not taxes:
        by_name = {}
        for line in row.get("line_items") or []:
            tax = (
                float(line.get("item_total") or 0)
                * float(line.get("tax_percentage") or 0)
                / 100.0
            )
            if tax:
                name = line.get("tax_name") or "GST %g%%" % float(
                    line.get("tax_percentage") or 0
                )
                by_name[name] = by_name.get(name, 0.0) + tax
        taxes = sorted(by_name.items())
    for name, amount in taxes:
        if round(amount, 2):
            lines.append(VoucherLine(name, abs(round(amount, 2)), (amount < 0) == sale))
    for field, account in (
        ("shipping_charge", "Shipping Charge"),
        ("adjustment", "Adjustment"),
    ):
        try:
            amount = round(float(row.get(field) or 0), 2)
        except (TypeError, ValueError):
            amount = 0.0
        if amount:
            lines.append(VoucherLine(account, abs(amount), (amount < 0) == sale))
    return lines


def trial_balance_lines(report):
    """The accounts of a ``reports/trialbalance`` answer: rows under
    ``trialbalance`` (groups), accounts in ``account_transactions``, nested
    to any depth; an account that has sub-accounts is counted through them."""
    lines = []

    def walk(rows):
        for row in rows or []:
            children = row.get("account_transactions")
            if children:
                walk(children)
            elif row.get("account_id"):
                lines.append(
                    TrialBalanceLine(
                        row.get("name") or row.get("account_name"),
                        round(float(row.get("net_debit_total") or 0), 2),
                        round(float(row.get("net_credit_total") or 0), 2),
                    )
                )

    walk(report.get("trialbalance") or report.get("trial_balance"))
    return lines


def _seconds_to_tomorrow_ist():
    now = datetime.utcnow() + IST
    tomorrow = (now + timedelta(days=1)).replace(
        hour=0, minute=5, second=0, microsecond=0
    )
    return (tomorrow - now).total_seconds()
