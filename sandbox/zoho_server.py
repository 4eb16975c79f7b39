"""A local HTTP server that answers like Zoho Books API v3 and its Zoho
Accounts OAuth server.

    python sandbox/zoho_server.py --port 9030 --seed sandbox/data/zoho_demo.json

``/oauth/v2/auth`` (consent: redirects back with a code), ``/oauth/v2/token``
(codes, refresh; the refresh token does not change), ``/oauth/v2/token/revoke``;
``/books/v3/...`` with ``Authorization: Zoho-oauthtoken``, ``organization_id``
on every call, the ``code``/``message`` envelope, ``page``/``per_page`` paging
with ``page_context``, per-minute and daily limits (HTTP 429), and the
documents the hub reads and writes. ``/_sandbox/...``: faults, settings, state.
"""
import os
import sys
import time
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sandbox.cli import serve  # noqa: E402
from sandbox.jsonhttp import JsonHandler, JsonSandbox, seeded_server  # noqa: E402
from sandbox.oauth_state import OAuthControl, OAuthState  # noqa: E402
from sandbox.zoho_state import ID_KEYS, ZohoBooks  # noqa: E402

DEMO_CLIENT = ("1000.DEMOZOHOCLIENT", "demo-zoho-client-secret")
NUMBER_KEYS = {"invoices": "invoice_number", "creditnotes": "creditnote_number",
               "customerpayments": "payment_number", "journals": "entry_number"}
SINGULAR = {"contacts": "contact", "invoices": "invoice", "creditnotes": "creditnote",
            "customerpayments": "payment", "journals": "journal", "chartofaccounts": "account"}


def error(status, code, message):
    return status, {"code": code, "message": message}


class ZohoSandbox(OAuthControl, JsonSandbox):

    demo_client = DEMO_CLIENT

    SETTINGS_DEFAULTS = {"latency": 0.0, "per_minute": 100, "per_day": 10000, "access_seconds": 3600,
                         "max_per_page": 200,          # Zoho caps per_page at 200
                         "expire_tokens_after": None}  # API calls after which every access token expires

    def __init__(self, books=None):
        super(ZohoSandbox, self).__init__()
        self.books = books or ZohoBooks()
        self.oauth = OAuthState([DEMO_CLIENT], rotate_refresh_tokens=False, invalid_grant="invalid_code")
        self.calls = {}  # organization → [call times]
        self.api_calls = 0

    def reset(self, seed=None):
        super(ZohoSandbox, self).reset(seed)
        self.calls = {}

    # -- limits ---------------------------------------------------------
    def over_limit(self, organization_id):
        now = time.time()
        calls = [t for t in self.calls.get(organization_id, []) if now - t < 86400]
        calls.append(now)
        self.calls[organization_id] = calls
        if len(calls) > self.settings["per_day"]:
            return error(429, 45, "You have reached the maximum number of API calls allowed for the day.")
        if len([t for t in calls if now - t < 60]) > self.settings["per_minute"]:
            return error(429, 44, "You have made too many requests continuously. Please try again after some time.")
        return None


class ZohoHandler(JsonHandler):
    server_version = "ZGS"

    def route(self, method, path, query, body):
        sandbox = self.sandbox
        if path == "/oauth/v2/auth":
            code = sandbox.oauth.issue_code(query.get("client_id"), query.get("redirect_uri"))
            target = "%s?%s" % (query.get("redirect_uri"), urlencode({"code": code, "state": query.get("state", ""),
                                                                      "location": "in"}))
            return 302, "", {"Location": target}
        if path == "/oauth/v2/token" and method == "POST":
            sandbox.oauth.access_seconds = sandbox.settings["access_seconds"]
            status, answer = sandbox.oauth.token(body or {}, self.headers.get("Authorization"))
            return 200, answer  # Zoho answers token errors with HTTP 200 and an 'error'
        if path == "/oauth/v2/token/revoke" and method == "POST":
            sandbox.oauth.revoke(query.get("token") or (body or {}).get("token"))
            return 200, {"status": "success"}
        if not path.startswith("/books/v3/"):
            return 404, {"code": 5, "message": "Invalid URL Passed"}
        sandbox.api_calls += 1
        if sandbox.settings["expire_tokens_after"] and sandbox.api_calls == sandbox.settings["expire_tokens_after"]:
            sandbox.oauth.expire_all_access_tokens()  # the token dies between two pages of a read
        header = self.headers.get("Authorization") or ""
        if not header.startswith("Zoho-oauthtoken ") or sandbox.oauth.check(header[16:]) is None:
            return error(401, 57, "You are not authorized to perform this operation")
        organization = sandbox.books.organizations.get(query.get("organization_id") or "")
        parts = path[len("/books/v3/"):].strip("/").split("/")
        if parts == ["organizations"]:
            return 200, {"code": 0, "message": "success", "organizations": [
                {"organization_id": o.organization_id, "name": o.name} for o in sandbox.books.organizations.values()]}
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
            return 200, {"code": 0, "message": "success", "trial_balance": self.trial_balance(org)}
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
                return error(404, 1002, "%s does not exist." % SINGULAR.get(collection, collection).title())
            if method == "GET":
                return 200, {"code": 0, "message": "success", SINGULAR[collection]: row}
            if method == "PUT":
                return self.update(org, collection, row, body)
        return error(405, 37, "The HTTP method is not allowed for this resource")

    def listing(self, org, collection, query):
        rows = list(org.rows[collection])
        for field in ("contact_type", "contact_name", "reference_number", "invoice_number", "customer_id"):
            if query.get(field):
                rows = [r for r in rows if str(r.get(field)) == query[field]]
        if query.get("sort_column") == "last_modified_time":
            rows.sort(key=lambda r: r["last_modified_time"], reverse=query.get("sort_order") == "D")
        page = int(query.get("page") or 1)
        per_page = min(int(query.get("per_page") or 200), self.sandbox.settings["max_per_page"])
        chunk = rows[(page - 1) * per_page:page * per_page]
        key = "taxes" if collection == "taxes" else collection
        return 200, {"code": 0, "message": "success", key: chunk, "page_context": {
            "page": page, "per_page": per_page, "has_more_page": page * per_page < len(rows),
            "sort_column": query.get("sort_column", "created_time"), "sort_order": query.get("sort_order", "D")}}

    def create(self, org, collection, body, query):
        checked = self.check(org, collection, body, None, query)
        if checked:
            return checked
        row = self.sandbox.books.add(org.organization_id, collection, self.complete(org, collection, body))
        return 201, {"code": 0, "message": "The %s has been created." % SINGULAR[collection],
                     SINGULAR[collection]: row}

    def update(self, org, collection, row, body):
        checked = self.check(org, collection, body, row, {})
        if checked:
            return checked
        self.sandbox.books.touch(row, **self.complete(org, collection, dict(row, **body)))
        return 200, {"code": 0, "message": "%s information has been saved." % SINGULAR[collection].title(),
                     SINGULAR[collection]: row}

    def check(self, org, collection, body, current, query):
        books = self.sandbox.books
        if collection == "contacts":
            name = body.get("contact_name") or (current or {}).get("contact_name")
            if not name:
                return error(400, 4, "Contact name is required.")
            if any(r["contact_name"] == name and r is not current for r in org.rows["contacts"]):
                return error(400, 3062, "The contact name %s already exists." % name)
            if body.get("gst_treatment") == "business_gst" and not body.get("gst_no"):
                return error(400, 4, "GSTIN is mandatory for the GST treatment business_gst.")
        if collection in ("invoices", "creditnotes", "customerpayments"):
            if not books.find(org.organization_id, "contacts", body.get("customer_id") or ""):
                return error(400, 1002, "Customer does not exist.")
        if collection in ("invoices", "creditnotes"):
            number_key = NUMBER_KEYS[collection]
            if query.get("ignore_auto_number_generation") == "true" and not body.get(number_key):
                return error(400, 4, "Enter the %s." % number_key.replace("_", " "))
            if any(r.get(number_key) == body.get(number_key) and r is not current for r in org.rows[collection]):
                return error(400, 1001, "%s %s already exists." % (
                    number_key.replace("_", " ").capitalize(), body.get(number_key)))
            for line in body.get("line_items") or []:
                if line.get("tax_id") and not books.find(org.organization_id, "taxes", line["tax_id"]):
                    return error(400, 1002, "Tax does not exist.")
            if not body.get("line_items"):
                return error(400, 4, "Line items are required.")
        if collection == "customerpayments":
            for applied in body.get("invoices") or []:
                invoice = books.find(org.organization_id, "invoices", applied.get("invoice_id"))
                if not invoice or float(applied.get("amount_applied") or 0) > invoice["balance"] + 0.005:
                    return error(400, 24016, "The amount applied exceeds the invoice balance.")
        if collection == "journals":
            lines = body.get("line_items") or []
            debit = sum(float(l["amount"]) for l in lines if l.get("debit_or_credit") == "debit")
            credit = sum(float(l["amount"]) for l in lines if l.get("debit_or_credit") == "credit")
            if len(lines) < 2 or abs(debit - credit) > 0.005:
                return error(400, 13015, "Total debits and credits do not match.")
            for line in lines:
                if not books.find(org.organization_id, "chartofaccounts", line.get("account_id") or ""):
                    return error(400, 1002, "Account does not exist.")
        return None

    def complete(self, org, collection, body):
        """What Zoho computes on save: names, totals, balances."""
        books = self.sandbox.books
        row = dict(body)
        if collection == "contacts":
            primary = [p for p in row.get("contact_persons") or [] if p.get("is_primary_contact")]
            row["email"] = primary[0].get("email", "") if primary else row.get("email", "")
        if collection in ("invoices", "creditnotes", "customerpayments"):
            row["customer_name"] = books.find(org.organization_id, "contacts", row["customer_id"])["contact_name"]
        if collection in ("invoices", "creditnotes"):
            total = 0.0
            for line in row.get("line_items") or []:
                line["item_total"] = round(float(line.get("rate") or 0) * float(line.get("quantity") or 1), 2)
                tax = books.find(org.organization_id, "taxes", line.get("tax_id") or "")
                line["tax_percentage"] = float(tax["tax_percentage"]) if tax else 0.0
                total += line["item_total"] * (1 + line["tax_percentage"] / 100.0)
            row["total"] = round(total, 2)
            row.setdefault("balance", row["total"])
            row.setdefault("status", "sent")
        if collection == "customerpayments":
            for applied in row.get("invoices") or []:
                invoice = books.find(org.organization_id, "invoices", applied["invoice_id"])
                invoice["balance"] = round(invoice["balance"] - float(applied["amount_applied"]), 2)
                invoice["status"] = "paid" if invoice["balance"] <= 0 else "partially_paid"
        if collection == "journals":
            for line in row.get("line_items") or []:
                line["account_name"] = books.find(org.organization_id, "chartofaccounts",
                                                  line["account_id"])["account_name"]
        return row

    def trial_balance(self, org):
        """Net balances per account from what the books hold."""
        totals = {}

        def post(name, amount):
            totals[name] = totals.get(name, 0.0) + amount

        for invoice in org.rows["invoices"]:
            post("Accounts Receivable", invoice["total"])
            for line in invoice.get("line_items") or []:
                post("Sales", -line["item_total"])
                post("Output GST", -round(line["item_total"] * line["tax_percentage"] / 100.0, 2))
        for payment in org.rows["customerpayments"]:
            post("Accounts Receivable", -float(payment["amount"]))
            post("Bank", float(payment["amount"]))
        for journal in org.rows["journals"]:
            for line in journal.get("line_items") or []:
                post(line["account_name"], float(line["amount"]) * (1 if line["debit_or_credit"] == "debit" else -1))
        ids = {a["account_name"]: a["account_id"] for a in org.rows["chartofaccounts"]}
        rows = [{"name": name, "account_id": ids.get(name, "0"), "net_debit_total": round(max(v, 0), 2),
                 "net_credit_total": round(max(-v, 0), 2)} for name, v in sorted(totals.items())]
        return [{"name": "Trial Balance", "rows": rows}]


def make_server(host="127.0.0.1", port=9030, seed_path=None):
    return seeded_server(ZohoSandbox, ZohoHandler, host, port, seed_path)


def main():
    serve(__doc__, make_server, "Zoho Books sandbox", 9030, "JSON file with organizations and their records")


if __name__ == "__main__":
    main()
