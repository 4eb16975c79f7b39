# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A local HTTP server that answers like Zoho Books API v3 and its Zoho
Accounts OAuth server.

    python -m sme_connectors.sandbox.zoho_server --port 9030 \\
        --seed connectors/sme_connectors/sandbox/data/zoho_demo.json

``/oauth/v2/auth`` (consent: redirects back with a code), ``/oauth/v2/token``
(codes, refresh; the refresh token does not change; at most ``token_limit``
access tokens per ``token_window`` seconds per refresh token, HTTP 400
"Access Denied" past that), ``/oauth/v2/token/revoke``; ``/books/v3/...``
with ``Authorization: Zoho-oauthtoken``, ``organization_id`` on every call,
the ``code``/``message`` envelope, ``page``/``per_page`` paging with
``page_context``, per-minute and daily limits (HTTP 429), and the documents
the hub reads and writes, shaped as Zoho documents them:

* contact list rows carry the primary person's name, email and phones but
  no address, GSTIN, GST treatment nor place of contact; the detail
  (``GET /contacts/{id}``) has those, and email/phones only in
  ``contact_persons``;
* lists come in Zoho's default order (contacts by name, documents newest
  created first); a ``sort_column`` a list does not document is ignored;
  ``last_modified_time`` filters invoices (the one list that documents it);
* invoice lines need an ``item_id`` (items: ``/items``);
* ``reports/trialbalance`` answers ``trialbalance`` groups with the
  accounts under ``account_transactions``, for the dates given with
  ``filter_by=TransactionDate.CustomDate`` (else for the current month).

``/_sandbox/...``: faults, settings (``token_limit``, ``token_window`` ...),
``token_window_reset``, state.
"""
import calendar
import time
from datetime import date, datetime
from urllib.parse import urlencode

from .cli import serve
from .jsonhttp import JsonHandler, JsonSandbox, seeded_server
from .oauth_state import OAuthControl, OAuthState
from .zoho_state import ID_KEYS, ZohoBooks

DEMO_CLIENT = ("1000.DEMOZOHOCLIENT", "demo-zoho-client-secret")
NUMBER_KEYS = {
    "invoices": "invoice_number",
    "creditnotes": "creditnote_number",
    "customerpayments": "payment_number",
    "journals": "entry_number",
}
SINGULAR = {
    "contacts": "contact",
    "invoices": "invoice",
    "creditnotes": "creditnote",
    "items": "item",
    "customerpayments": "payment",
    "journals": "journal",
    "chartofaccounts": "account",
    "taxes": "tax",
}
# What each list can be sorted by, as Zoho documents it, and its default order.
SORT_COLUMNS = {
    "contacts": (
        "contact_name",
        "first_name",
        "last_name",
        "email",
        "outstanding_receivable_amount",
        "created_time",
        "last_modified_time",
    ),
    "invoices": (
        "customer_name",
        "invoice_number",
        "date",
        "due_date",
        "total",
        "balance",
        "created_time",
    ),
    "creditnotes": (
        "customer_name",
        "creditnote_number",
        "balance",
        "total",
        "date",
        "created_time",
    ),
    "items": ("name", "rate", "tax_name"),
}
DEFAULT_SORT = {
    "contacts": ("contact_name", "D"),
    "items": ("name", "A"),
    "chartofaccounts": ("account_name", "A"),
    "taxes": ("tax_name", "A"),
}
# Lists with a documented ``last_modified_time`` filter ("modified after").
MODIFIED_FILTER = ("invoices",)
# Fields of a contact list row (Zoho's "List Contacts" example).
CONTACT_ROW = (
    "contact_id",
    "contact_name",
    "company_name",
    "contact_type",
    "status",
    "payment_terms",
    "payment_terms_label",
    "currency_id",
    "currency_code",
    "outstanding_receivable_amount",
    "unused_credits_receivable_amount",
    "created_time",
    "last_modified_time",
)
PERSON_ROW = ("first_name", "last_name", "email", "phone", "mobile")
# Fields of a document that only its detail has.
DETAIL_ONLY = (
    "line_items",
    "invoices",
    "billing_address",
    "shipping_address",
    "contact_persons",
    "taxes",
)
TB_GROUPS = (
    (
        "Assets",
        (
            "bank",
            "cash",
            "accounts_receivable",
            "other_current_asset",
            "fixed_asset",
            "stock",
            "other_asset",
            "input_tax",
        ),
    ),
    (
        "Liabilities",
        (
            "accounts_payable",
            "other_current_liability",
            "long_term_liability",
            "other_liability",
            "output_tax",
        ),
    ),
    ("Equity", ("equity",)),
    ("Income", ("income", "other_income")),
    ("Expenses", ("expense", "cost_of_goods_sold", "other_expense")),
)


def error(status, code, message):
    return status, {"code": code, "message": message}


def zoho_time(value):
    try:
        return datetime.strptime(str(value or "").strip(), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


class ZohoSandbox(OAuthControl, JsonSandbox):

    demo_client = DEMO_CLIENT

    SETTINGS_DEFAULTS = {
        "latency": 0.0,
        "per_minute": 100,
        "per_day": 10000,
        "access_seconds": 3600,
        "max_per_page": 200,  # Zoho caps per_page at 200
        "expire_tokens_after": None,  # API calls after which every access token expires
        "token_limit": 10,  # new access tokens per refresh token ...
        "token_window": 600,
    }  # ... in this many seconds (Zoho: 10 in 10 minutes)

    def __init__(self, books=None):
        super(ZohoSandbox, self).__init__()
        self.books = books or ZohoBooks()
        self.oauth = OAuthState(
            [DEMO_CLIENT], rotate_refresh_tokens=False, invalid_grant="invalid_code"
        )
        self.calls = {}  # organization → [call times]
        self.api_calls = 0

    def reset(self, seed=None):
        super(ZohoSandbox, self).reset(seed)
        self.calls = {}
        self.oauth.forget_issued()

    # -- limits ---------------------------------------------------------
    def over_limit(self, organization_id):
        now = time.time()
        calls = [t for t in self.calls.get(organization_id, []) if now - t < 86400]
        calls.append(now)
        self.calls[organization_id] = calls
        if len(calls) > self.settings["per_day"]:
            return error(
                429,
                45,
                "You have reached the maximum number of API calls allowed for the day.",
            )
        if len([t for t in calls if now - t < 60]) > self.settings["per_minute"]:
            return error(
                429,
                44,
                "You have made too many requests continuously. "
                "Please try again after some time.",
            )
        return None


class ZohoHandler(JsonHandler):
    server_version = "ZGS"

    def route(self, method, path, query, body):
        sandbox = self.sandbox
        if path == "/oauth/v2/auth":
            code = sandbox.oauth.issue_code(
                query.get("client_id"), query.get("redirect_uri")
            )
            target = "%s?%s" % (
                query.get("redirect_uri"),
                urlencode(
                    {"code": code, "state": query.get("state", ""), "location": "in"}
                ),
            )
            return 302, "", {"Location": target}
        if path == "/oauth/v2/token" and method == "POST":
            sandbox.oauth.access_seconds = sandbox.settings["access_seconds"]
            sandbox.oauth.token_limit = sandbox.settings["token_limit"]
            sandbox.oauth.token_window = sandbox.settings["token_window"]
            status, answer = sandbox.oauth.token(
                body or {}, self.headers.get("Authorization")
            )
            if answer.get("error") == "Access Denied":
                return 400, answer  # the token limit: HTTP 400 (recorded)
            return 200, answer  # other token errors: HTTP 200 and an 'error'
        if path == "/oauth/v2/token/revoke" and method == "POST":
            sandbox.oauth.revoke(query.get("token") or (body or {}).get("token"))
            return 200, {"status": "success"}
        if not path.startswith("/books/v3/"):
            return 404, {"code": 5, "message": "Invalid URL Passed"}
        sandbox.api_calls += 1
        if (
            sandbox.settings["expire_tokens_after"]
            and sandbox.api_calls == sandbox.settings["expire_tokens_after"]
        ):
            # The token dies between two pages of a read.
            sandbox.oauth.expire_all_access_tokens()
        header = self.headers.get("Authorization") or ""
        if (
            not header.startswith("Zoho-oauthtoken ")
            or sandbox.oauth.check(header[16:]) is None
        ):
            return error(401, 57, "You are not authorized to perform this operation")
        organization = sandbox.books.organizations.get(
            query.get("organization_id") or ""
        )
        parts = path[len("/books/v3/") :].strip("/").split("/")
        if parts == ["organizations"]:
            return 200, {
                "code": 0,
                "message": "success",
                "organizations": [
                    {"organization_id": o.organization_id, "name": o.name}
                    for o in sandbox.books.organizations.values()
                ],
            }
        if not organization:
            return error(400, 6041, "Invalid value passed for organization_id")
        limited = sandbox.over_limit(organization.organization_id)
        if limited:
            return limited
        with sandbox.books.lock:
            return self.books_call(organization, method, parts, query, body or {})

    # -- Zoho Books ---------------------------------------------------
    def books_call(self, org, method, parts, query, body):
        books = self.sandbox.books
        collection = {"settings": "taxes"}.get(parts[0], parts[0])
        if parts[:2] == ["reports", "trialbalance"]:
            return self.trial_balance(org, query)
        if collection not in ID_KEYS:
            return error(404, 5, "Invalid URL Passed")
        if len(parts) == 1 or parts == ["settings", "taxes"]:
            if method == "GET":
                return self.listing(org, collection, query)
            if method == "POST":
                return self.create(org, collection, body, query)
        elif len(parts) == 2:
            row = books.find(org.organization_id, collection, parts[1])
            if not row:
                return error(
                    404,
                    1002,
                    "%s does not exist." % SINGULAR.get(collection, collection).title(),
                )
            if method == "GET":
                return 200, {
                    "code": 0,
                    "message": "success",
                    SINGULAR[collection]: self.detail(collection, row, org),
                }
            if method == "PUT":
                return self.update(org, collection, row, body)
        return error(405, 37, "The HTTP method is not allowed for this resource")

    def detail(self, collection, row, org=None):
        if collection == "contacts":
            # Email and phones live on the contact persons (and billing_address.phone).
            return {
                k: v for k, v in row.items() if k not in ("email", "phone", "mobile")
            }
        if collection == "customerpayments" and org is not None:
            # Each invoice paid, with its number (as Zoho's payment detail gives it).
            shown = dict(row, invoices=[])
            for applied in row.get("invoices") or []:
                invoice = (
                    self.sandbox.books.find(
                        org.organization_id, "invoices", applied.get("invoice_id")
                    )
                    or {}
                )
                shown["invoices"].append(
                    dict(
                        applied,
                        invoice_number=invoice.get("invoice_number", ""),
                        date=invoice.get("date", ""),
                        invoice_amount=invoice.get("total", 0),
                        balance_amount=invoice.get("balance", 0),
                    )
                )
            return shown
        return row

    @staticmethod
    def list_row(collection, row):
        """A row as the list gives it: a contact with its primary person's
        name and reachability, no address nor GST; a document without its lines."""
        if collection == "contacts":
            persons = row.get("contact_persons") or []
            primary = (
                [p for p in persons if p.get("is_primary_contact")] or persons or [{}]
            )[0]
            listed = {k: row[k] for k in CONTACT_ROW if k in row}
            listed.update({k: primary.get(k, "") for k in PERSON_ROW})
            return listed
        listed = {k: v for k, v in row.items() if k not in DETAIL_ONLY}
        return listed

    def listing(self, org, collection, query):
        rows = list(org.rows[collection])
        for field in (
            "contact_type",
            "contact_name",
            "reference_number",
            "invoice_number",
            "customer_id",
            "sku",
            "name",
        ):
            if query.get(field):
                rows = [r for r in rows if str(r.get(field)) == query[field]]
        if collection in MODIFIED_FILTER and query.get("last_modified_time"):
            since = zoho_time(query["last_modified_time"])
            if since is None:
                return error(400, 2, "Invalid value passed for last_modified_time")
            rows = [r for r in rows if zoho_time(r.get("last_modified_time")) > since]
        column, order = DEFAULT_SORT.get(collection, ("created_time", "D"))
        if query.get("sort_column") in SORT_COLUMNS.get(
            collection, ("created_time", "date")
        ):
            column, order = query["sort_column"], query.get("sort_order", "A")
        id_key = ID_KEYS[collection]
        rows.sort(
            key=lambda r: (
                str(r.get(column, ""))
                if not isinstance(r.get(column), (int, float))
                else "%020.4f" % r[column],
                r[id_key],
            ),
            reverse=order == "D",
        )
        page = int(query.get("page") or 1)
        per_page = min(
            int(query.get("per_page") or 200), self.sandbox.settings["max_per_page"]
        )
        chunk = [
            self.list_row(collection, r)
            for r in rows[(page - 1) * per_page : page * per_page]
        ]
        return 200, {
            "code": 0,
            "message": "success",
            collection: chunk,
            "page_context": {
                "page": page,
                "per_page": per_page,
                "has_more_page": page * per_page < len(rows),
                "sort_column": column,
                "sort_order": order,
            },
        }

    def create(self, org, collection, body, query):
        checked = self.check(org, collection, body, None, query)
        if checked:
            return checked
        row = self.sandbox.books.add(
            org.organization_id, collection, self.complete(org, collection, body, None)
        )
        return 201, {
            "code": 0,
            "message": "The %s has been created." % SINGULAR[collection],
            SINGULAR[collection]: self.detail(collection, row, org),
        }

    def update(self, org, collection, row, body):
        checked = self.check(org, collection, body, row, {})
        if checked:
            return checked
        self.sandbox.books.touch(
            row, **self.complete(org, collection, dict(row, **body), row)
        )
        return 200, {
            "code": 0,
            "message": "%s information has been saved." % SINGULAR[collection].title(),
            SINGULAR[collection]: self.detail(collection, row, org),
        }

    def check(self, org, collection, body, current, query):
        books = self.sandbox.books
        if collection == "contacts":
            checked = self._check_contact(org, body, current)
            if checked:
                return checked
        if collection == "items":
            if not body.get("name"):
                return error(400, 4, "Item name is required.")
            if body.get("rate") in (None, ""):
                return error(400, 4, "Rate is required.")
            if any(
                r["name"] == body["name"] and r is not current
                for r in org.rows["items"]
            ):
                return error(400, 1001, 'The item "%s" already exists.' % body["name"])
        if collection in ("invoices", "creditnotes", "customerpayments"):
            if not books.find(
                org.organization_id, "contacts", body.get("customer_id") or ""
            ):
                return error(400, 1002, "Customer does not exist.")
        if collection in ("invoices", "creditnotes"):
            checked = self._check_document(org, collection, body, current, query)
            if checked:
                return checked
        if collection == "customerpayments":
            for applied in body.get("invoices") or []:
                invoice = books.find(
                    org.organization_id, "invoices", applied.get("invoice_id")
                )
                if (
                    not invoice
                    or float(applied.get("amount_applied") or 0)
                    > invoice["balance"] + 0.005
                ):
                    return error(
                        400, 24016, "The amount applied exceeds the invoice balance."
                    )
        if collection == "journals":
            return self._check_journal(org, body)
        return None

    @staticmethod
    def _check_contact(org, body, current):
        """A contact has a name no other contact has, and a GSTIN if registered."""
        name = body.get("contact_name") or (current or {}).get("contact_name")
        if not name:
            return error(400, 4, "Contact name is required.")
        if any(
            r["contact_name"] == name and r is not current for r in org.rows["contacts"]
        ):
            return error(
                400,
                3062,
                "The contact already exists.Please specify a different name",
            )
        if body.get("gst_treatment") == "business_gst" and not body.get("gst_no"):
            return error(
                400, 4, "GSTIN is mandatory for the GST treatment business_gst."
            )
        return None

    def _check_document(self, org, collection, body, current, query):
        """An invoice or credit note: its number, and its lines' items and taxes."""
        books = self.sandbox.books
        number_key = NUMBER_KEYS[collection]
        if query.get("ignore_auto_number_generation") == "true" and not body.get(
            number_key
        ):
            return error(400, 4, "Enter the %s." % number_key.replace("_", " "))
        if any(
            r.get(number_key) == body.get(number_key) and r is not current
            for r in org.rows[collection]
        ):
            return error(
                400,
                1001,
                "%s %s already exists."
                % (number_key.replace("_", " ").capitalize(), body.get(number_key)),
            )
        if not body.get("line_items"):
            return error(400, 4, "Line items are required.")
        for line in body.get("line_items") or []:
            if collection == "invoices" and not line.get("item_id"):
                # The docs mark line_items[].item_id "(Required)"; no recorded
                # answer: this message is ours.
                return error(400, 4, "Invalid value passed for item_id")
            if line.get("item_id") and not books.find(
                org.organization_id, "items", line["item_id"]
            ):
                return error(400, 1002, "Item does not exist.")
            if line.get("tax_id") and not books.find(
                org.organization_id, "taxes", line["tax_id"]
            ):
                return error(400, 1002, "Tax does not exist.")
        return None

    def _check_journal(self, org, body):
        """A journal balances and names accounts that exist."""
        books = self.sandbox.books
        lines = body.get("line_items") or []
        debit = sum(
            float(line["amount"])
            for line in lines
            if line.get("debit_or_credit") == "debit"
        )
        credit = sum(
            float(line["amount"])
            for line in lines
            if line.get("debit_or_credit") == "credit"
        )
        if len(lines) < 2 or abs(debit - credit) > 0.005:
            return error(400, 13015, "Total debits and credits do not match.")
        for line in lines:
            if not books.find(
                org.organization_id, "chartofaccounts", line.get("account_id") or ""
            ):
                return error(400, 1002, "Account does not exist.")
        return None

    def complete(self, org, collection, body, current):
        """What Zoho computes on save: names, totals, balances."""
        books = self.sandbox.books
        row = dict(body)
        if collection == "contacts":
            for field in ("email", "phone", "mobile"):
                row.pop(field, None)  # not contact fields: they go on contact_persons
            if "contact_persons" in body:
                # The list sent is the list kept: persons with an id are
                # updated, the others added.
                known = {
                    p.get("contact_person_id"): p
                    for p in (current or {}).get("contact_persons") or []
                }
                persons = []
                for person in body.get("contact_persons") or []:
                    persons.append(
                        dict(known.get(person.get("contact_person_id"), {}), **person)
                    )
                row["contact_persons"] = persons
                books.number_persons(row)
        if collection == "items":
            row.setdefault("status", "active")
            row["rate"] = float(row.get("rate") or 0)
        if collection in ("invoices", "creditnotes", "customerpayments"):
            contact = books.find(org.organization_id, "contacts", row["customer_id"])
            row["customer_name"] = contact["contact_name"]
            if (
                collection != "customerpayments"
                and not row.get("place_of_supply")
                and contact.get("place_of_contact")
            ):
                row["place_of_supply"] = contact["place_of_contact"]
        if collection in ("invoices", "creditnotes"):
            self._complete_document(org, row, current)
        if collection == "customerpayments" and current is None:
            for applied in row.get("invoices") or []:
                invoice = books.find(
                    org.organization_id, "invoices", applied["invoice_id"]
                )
                balance = round(
                    invoice["balance"] - float(applied["amount_applied"]), 2
                )
                books.touch(
                    invoice,
                    balance=balance,
                    status="paid" if balance <= 0 else "partially_paid",
                )
        if collection == "journals":
            for line in row.get("line_items") or []:
                line["account_name"] = books.find(
                    org.organization_id, "chartofaccounts", line["account_id"]
                )["account_name"]
        return row

    def _complete_document(self, org, row, current):
        """An invoice's or credit note's line names, taxes, totals and balance."""
        books = self.sandbox.books
        taxes = {}
        for line in row.get("line_items") or []:
            item = books.find(org.organization_id, "items", line.get("item_id") or "")
            if item and not line.get("name"):
                line["name"] = item["name"]
            line["item_total"] = round(
                float(line.get("rate") or 0) * float(line.get("quantity") or 1), 2
            )
            tax = books.find(org.organization_id, "taxes", line.get("tax_id") or "")
            line["tax_percentage"] = float(tax["tax_percentage"]) if tax else 0.0
            line["tax_name"] = tax["tax_name"] if tax else ""
            if tax:
                taxes[tax["tax_name"]] = (
                    taxes.get(tax["tax_name"], 0.0)
                    + line["item_total"] * line["tax_percentage"] / 100.0
                )
        row["sub_total"] = round(
            sum(line["item_total"] for line in row.get("line_items") or []), 2
        )
        row["taxes"] = [
            {"tax_name": name, "tax_amount": round(amount, 2)}
            for name, amount in sorted(taxes.items())
        ]
        row["tax_total"] = round(sum(t["tax_amount"] for t in row["taxes"]), 2)
        row["total"] = round(row["sub_total"] + row["tax_total"], 2)
        if current is None:
            row.setdefault("balance", row["total"])
        else:
            # An edited document still owes its new total less what was paid on it.
            paid = round(
                float(current.get("total") or 0) - float(current.get("balance") or 0),
                2,
            )
            row["balance"] = round(row["total"] - paid, 2)
        row.setdefault("status", "sent")

    # -- reports --------------------------------------------------------
    def trial_balance(self, org, query):
        """Net balances per account for a period, grouped as Zoho groups them."""
        if query.get("filter_by") == "TransactionDate.CustomDate":
            start, end = (
                query.get("from_date") or "0000-00-00",
                query.get("to_date") or "9999-99-99",
            )
        else:  # no custom dates: Zoho's report for the current month
            today = date.today()
            start = today.replace(day=1).isoformat()
            end = today.replace(
                day=calendar.monthrange(today.year, today.month)[1]
            ).isoformat()
        totals = {}

        def post(name, amount):
            totals[name] = totals.get(name, 0.0) + amount

        def within(day):
            return start <= (day or "") <= end

        for invoice in org.rows["invoices"]:
            if not within(invoice.get("date")):
                continue
            post("Accounts Receivable", invoice["total"])
            for line in invoice.get("line_items") or []:
                post("Sales", -line["item_total"])
                post(
                    "Output GST",
                    -round(line["item_total"] * line["tax_percentage"] / 100.0, 2),
                )
        for note in org.rows["creditnotes"]:
            if not within(note.get("date")):
                continue
            post("Accounts Receivable", -note["total"])
            for line in note.get("line_items") or []:
                post("Sales", line["item_total"])
                post(
                    "Output GST",
                    round(line["item_total"] * line["tax_percentage"] / 100.0, 2),
                )
        for payment in org.rows["customerpayments"]:
            if within(payment.get("date")):
                post("Accounts Receivable", -float(payment["amount"]))
                post("Bank", float(payment["amount"]))
        for journal in org.rows["journals"]:
            if not within(journal.get("journal_date")):
                continue
            for line in journal.get("line_items") or []:
                post(
                    line["account_name"],
                    float(line["amount"])
                    * (1 if line["debit_or_credit"] == "debit" else -1),
                )
        groups = self._trial_balance_groups(org, totals)
        return 200, {
            "code": 0,
            "message": "success",
            "trialbalance": groups,
            "page_context": {
                "from_date": start,
                "to_date": end,
                "report_name": "Trial Balance",
            },
        }

    @staticmethod
    def _trial_balance_groups(org, totals):
        """Net balances per account, grouped by account type as Zoho groups them."""
        accounts = {a["account_name"]: a for a in org.rows["chartofaccounts"]}
        groups = []
        for label, types in TB_GROUPS + (("Other", ()),):
            rows = []
            for name, value in sorted(totals.items()):
                kind = accounts.get(name, {}).get("account_type")
                if (
                    (kind in types)
                    if types
                    else not any(kind in t for _l, t in TB_GROUPS)
                ):
                    rows.append(
                        {
                            "account_id": accounts.get(name, {}).get("account_id", "0"),
                            "name": name,
                            "account_type": kind or "",
                            "net_debit_total": round(max(value, 0), 2),
                            "net_credit_total": round(max(-value, 0), 2),
                        }
                    )
            if rows:
                groups.append(
                    {
                        "name": label,
                        "net_debit_total": round(
                            sum(r["net_debit_total"] for r in rows), 2
                        ),
                        "net_credit_total": round(
                            sum(r["net_credit_total"] for r in rows), 2
                        ),
                        "account_transactions": rows,
                    }
                )
        return groups


def make_server(host="127.0.0.1", port=9030, seed_path=None):
    return seeded_server(ZohoSandbox, ZohoHandler, host, port, seed_path)


def main():
    serve(
        __doc__,
        make_server,
        "Zoho Books sandbox",
        9030,
        "JSON file with organizations and their records",
    )


if __name__ == "__main__":
    main()
