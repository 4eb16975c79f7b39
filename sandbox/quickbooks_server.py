"""A local HTTP server that answers like QuickBooks Online Accounting API v3
and Intuit's OAuth 2.0 server.

    python sandbox/quickbooks_server.py --port 9040 --seed sandbox/data/quickbooks_demo.json

``/connect/oauth2`` (consent: back with ``code``, ``state`` and ``realmId``),
``/oauth2/v1/tokens/bearer`` (HTTP Basic client credentials; refresh tokens
rotate; ``invalid_grant``), ``/oauth2/v1/tokens/revoke``;
``/v3/company/<realm>/``: ``query`` (``select * from X where ... ORDERBY ...
STARTPOSITION n MAXRESULTS m``), reads by id, creates and sparse updates with
``SyncToken`` (stale: fault 5010), unique ``DisplayName`` (6240), unique
``DocNumber`` (6140), invalid references (2500), unbalanced journals (6000),
``requestid`` replay, ``Fault`` envelopes, 401 for an expired token, 429
beyond the per-minute limit, ``companyinfo`` and ``reports/TrialBalance``.
"""
import copy
import json
import os
import re
import sys
import threading
import time
from datetime import datetime, timedelta
from urllib.parse import urlencode

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sandbox.cli import serve  # noqa: E402
from sandbox.jsonhttp import JsonHandler, JsonSandbox, seeded_server  # noqa: E402
from sandbox.oauth_state import OAuthControl, OAuthState  # noqa: E402

DEMO_CLIENT = ("ABdemoQuickBooksClientId", "demo-quickbooks-client-secret")
ENTITIES = ("Customer", "Invoice", "CreditMemo", "Payment", "JournalEntry", "Account", "Item", "TaxCode")
BY_PATH = {name.lower(): name for name in ENTITIES}
QUERY = re.compile(r"^\s*select\s+\*\s+from\s+(\w+)(?:\s+where\s+(.+?))?(?:\s+orderby\s+([\w.]+)(?:\s+(asc|desc))?)?"
                   r"(?:\s+startposition\s+(\d+))?(?:\s+maxresults\s+(\d+))?\s*$", re.I)
CONDITION = re.compile(r"([\w.]+)\s*(>=|<=|=|>|<)\s*'((?:[^'\\]|\\.)*)'")


def fault(code, message, detail, kind="ValidationFault"):
    return {"Fault": {"Error": [{"Message": message, "Detail": detail, "code": str(code), "element": ""}],
                      "type": kind}, "time": datetime.utcnow().isoformat()}


def field(row, path):
    value = row
    for part in path.split("."):
        value = (value or {}).get(part) if isinstance(value, dict) else None
    return value


class QuickBooksBooks(object):

    def __init__(self):
        self.companies = {}   # realm → {"info": {...}, entity: [rows]}
        self.clock = datetime(2026, 1, 1, 3, 30, 0)
        self.next_id = 100
        self.lock = threading.RLock()

    def stamp(self):
        self.clock += timedelta(seconds=1)
        return self.clock.strftime("%Y-%m-%dT%H:%M:%S-08:00")

    def add(self, realm, entity, row):
        with self.lock:
            row = copy.deepcopy(row)
            if "Id" not in row:
                self.next_id += 1
                row["Id"] = str(self.next_id)
            row["SyncToken"] = "0"
            now = self.stamp()
            row["MetaData"] = {"CreateTime": now, "LastUpdatedTime": now}
            self.companies[realm][entity].append(row)
            return row

    def touch(self, row, **values):
        with self.lock:
            row.update(values)
            row["SyncToken"] = str(int(row["SyncToken"]) + 1)
            row["MetaData"]["LastUpdatedTime"] = self.stamp()
            return row

    def find(self, realm, entity, record_id):
        return next((r for r in self.companies[realm][entity] if r["Id"] == str(record_id)), None)

    def by_name(self, realm, entity, name):
        return next((r for r in self.companies[realm][entity] if r.get("Name") == name), None)

    def seed(self, data):
        for company in data.get("companies", []):
            realm = company["realm_id"]
            self.companies[realm] = {"info": {"CompanyName": company["name"], "Id": realm}}
            for entity in ENTITIES:
                self.companies[realm][entity] = []
                for row in company.get(entity, []):
                    self.add(realm, entity, row)

    def seed_file(self, path):
        with open(path) as handle:
            self.seed(json.load(handle))

    def summary(self):
        return {realm: {e: len(rows) for e, rows in c.items() if e != "info"} for realm, c in self.companies.items()}


class QuickBooksSandbox(OAuthControl, JsonSandbox):

    demo_client = DEMO_CLIENT

    SETTINGS_DEFAULTS = {"latency": 0.0, "per_minute": 500, "access_seconds": 3600}

    def __init__(self, books=None):
        super(QuickBooksSandbox, self).__init__()
        self.books = books or QuickBooksBooks()
        self.oauth = OAuthState([DEMO_CLIENT], rotate_refresh_tokens=True)
        self.replies = {}   # (realm, requestid) → the first answer
        self.calls = []
        self.writes = 0

    def grant_extra(self, values):
        return {"realm": values.get("realm_id") or next(iter(self.books.companies))}

    def throttled(self):
        now = time.time()
        self.calls = [t for t in self.calls if now - t < 60] + [now]
        return len(self.calls) > self.settings["per_minute"]


class QuickBooksHandler(JsonHandler):
    server_version = "nginx"

    def route(self, method, path, query, body):
        sandbox = self.sandbox
        if path == "/connect/oauth2":
            extra = sandbox.grant_extra({})  # the consent page's company: the first one
            code = sandbox.oauth.issue_code(query.get("client_id"), query.get("redirect_uri"), extra)
            return 302, "", {"Location": "%s?%s" % (query.get("redirect_uri"), urlencode(
                {"code": code, "state": query.get("state", ""), "realmId": extra["realm"]}))}
        if path == "/oauth2/v1/tokens/bearer" and method == "POST":
            sandbox.oauth.access_seconds = sandbox.settings["access_seconds"]
            return sandbox.oauth.token(body or {}, self.headers.get("Authorization"))
        if path == "/oauth2/v1/tokens/revoke" and method == "POST":
            sandbox.oauth.revoke((body or {}).get("token"))
            return 200, {}
        match = re.match(r"^/v3/company/(\w+)/(.+)$", path)
        if not match:
            return 404, fault(404, "Not found", path, "SERVICE")
        header = self.headers.get("Authorization") or ""
        grant = sandbox.oauth.check(header[7:]) if header.startswith("Bearer ") else None
        if grant is None:
            return 401, {"fault": {"error": [{"message": "message=AuthenticationFailed; errorCode=003200; "
                                                         "statusCode=401", "detail": "Token expired", "code": "3200"}],
                                   "type": "AUTHENTICATION"}}
        realm, rest = match.groups()
        if realm not in sandbox.books.companies or grant.get("realm") not in (None, realm):
            return 403, fault(3100, "ApplicationAuthorizationFailed", "realm %s is not authorized" % realm,
                              "AUTHORIZATION")
        if sandbox.throttled():
            return 429, fault(3001, "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                              "Too many requests", "SERVICE")
        with sandbox.books.lock:
            if method == "POST":
                key = (realm, query.get("requestid"))
                if query.get("requestid") and key in sandbox.replies:
                    return sandbox.replies[key]  # a retried request: the first answer again
                answer = self.write(realm, rest, body or {})
                if query.get("requestid"):
                    sandbox.replies[key] = answer
                return answer
            return self.read(realm, rest, query)

    # -- reads ----------------------------------------------------------
    def read(self, realm, rest, query):
        books = self.sandbox.books
        parts = rest.split("/")
        if parts[0] == "query":
            return self.run_query(realm, query.get("query") or "")
        if parts[0] == "companyinfo":
            return 200, {"CompanyInfo": books.companies[realm]["info"]}
        if parts[:2] == ["reports", "TrialBalance"]:
            return 200, self.trial_balance(realm, query)
        entity = BY_PATH.get(parts[0])
        if entity and len(parts) == 2:
            row = books.find(realm, entity, parts[1])
            if not row:
                return 400, fault(610, "Object Not Found", "Object Not Found : Something you're trying to use has "
                                                           "been made inactive. Check the fields with accounts, "
                                                           "customers, items, vendors or employees.")
            return 200, {entity: row}
        return 404, fault(404, "Unsupported Operation", rest, "SERVICE")

    def run_query(self, realm, text):
        match = QUERY.match(text)
        if not match or match.group(1) not in ENTITIES:
            return 400, fault(4000, "Error parsing query", "QueryParserError: Encountered an unexpected token in %r"
                              % text[:80])
        entity, where, order, direction, start, limit = match.groups()
        rows = list(self.sandbox.books.companies[realm][entity])
        for name, operator, value in CONDITION.findall(where or ""):
            value = value.replace("\\'", "'").replace("\\\\", "\\")
            rows = [r for r in rows if _compare(field(r, name), operator, value)]
        if order:
            rows.sort(key=lambda r: str(field(r, order) or ""), reverse=(direction or "").lower() == "desc")
        start, limit = int(start or 1), min(int(limit or 100), 1000)
        page = rows[start - 1:start - 1 + limit]
        response = {"startPosition": start, "maxResults": len(page)}
        if page:
            response[entity] = page
        return 200, {"QueryResponse": response, "time": datetime.utcnow().isoformat()}

    def trial_balance(self, realm, query):
        books, totals = self.sandbox.books, {}

        def post(name, amount):
            totals[name] = totals.get(name, 0.0) + amount

        company = books.companies[realm]
        for invoice in company["Invoice"]:
            post("Accounts Receivable (A/R)", invoice["TotalAmt"])
            post("Sales of Product Income", -sum(float(l["Amount"]) for l in invoice["Line"]))
            post("GST Payable", -invoice["TxnTaxDetail"]["TotalTax"])
        for payment in company["Payment"]:
            post("Accounts Receivable (A/R)", -payment["TotalAmt"])
            post("Undeposited Funds", payment["TotalAmt"])
        for entry in company["JournalEntry"]:
            for line in entry["Line"]:
                detail = line["JournalEntryLineDetail"]
                post(detail["AccountRef"]["name"], float(line["Amount"]) * (1 if detail["PostingType"] == "Debit" else -1))
        rows = []
        for name, value in sorted(totals.items()):
            account = books.by_name(realm, "Account", name)
            rows.append({"ColData": [{"value": name, "id": account["Id"] if account else "0"},
                                     {"value": "%.2f" % max(value, 0) if value > 0 else ""},
                                     {"value": "%.2f" % max(-value, 0) if value < 0 else ""}]})
        return {"Header": {"ReportName": "TrialBalance", "StartPeriod": query.get("start_date"),
                           "EndPeriod": query.get("end_date")},
                "Columns": {"Column": [{"ColTitle": ""}, {"ColTitle": "Debit"}, {"ColTitle": "Credit"}]},
                "Rows": {"Row": rows}}

    # -- writes ---------------------------------------------------------
    def write(self, realm, rest, body):
        books = self.sandbox.books
        entity = BY_PATH.get(rest.split("?")[0])
        if not entity:
            return 404, fault(404, "Unsupported Operation", rest, "SERVICE")
        self.sandbox.writes += 1
        current = None
        if body.get("Id"):
            current = books.find(realm, entity, body["Id"])
            if not current:
                return 400, fault(610, "Object Not Found", "Object Not Found : %s %s" % (entity, body["Id"]))
            if str(body.get("SyncToken")) != current["SyncToken"]:
                return 400, fault(5010, "Stale Object Error", "Stale Object Error : You and another user were working "
                                  "on the same thing. Please try again.")
        refused = self.check(realm, entity, body, current)
        if refused:
            return refused
        values = self.complete(realm, entity, {k: v for k, v in body.items()
                                               if k not in ("Id", "SyncToken", "sparse", "MetaData")}, current)
        if current:
            row = books.touch(current, **values)
        else:
            row = books.add(realm, entity, values)
        return 200, {entity: row, "time": datetime.utcnow().isoformat()}

    def check(self, realm, entity, body, current):
        books = self.sandbox.books
        if entity == "Customer":
            name = body.get("DisplayName") or (current or {}).get("DisplayName")
            if not name:
                return 400, fault(6000, "A business validation error has occurred while processing your request",
                                  "Business Validation Error: DisplayName is required")
            if any(r["DisplayName"] == name and r is not current for r in books.companies[realm]["Customer"]):
                return 400, fault(6240, "Duplicate Name Exists Error", "The name supplied already exists. : Another "
                                  "customer, vendor or employee is already using this name. Please use a different name.")
        if entity in ("Invoice", "CreditMemo", "Payment"):
            if not books.find(realm, "Customer", (body.get("CustomerRef") or {}).get("value")):
                return 400, fault(2500, "Invalid Reference Id", "Invalid Reference Id : Customer assigned to this "
                                  "transaction has been deleted.")
        if entity in ("Invoice", "CreditMemo"):
            if body.get("DocNumber") and any(r.get("DocNumber") == body["DocNumber"] and r is not current
                                             for r in books.companies[realm][entity]):
                return 400, fault(6140, "Duplicate Document Number Error", "Duplicate Document Number Error : You "
                                  "must specify a different number. This number has already been used.")
            for line in body.get("Line") or []:
                detail = line.get("SalesItemLineDetail") or {}
                if not books.find(realm, "Item", (detail.get("ItemRef") or {}).get("value")):
                    return 400, fault(2500, "Invalid Reference Id", "Invalid Reference Id : Item not found")
                tax = (detail.get("TaxCodeRef") or {}).get("value")
                if tax and not books.find(realm, "TaxCode", tax):
                    return 400, fault(2500, "Invalid Reference Id", "Invalid Reference Id : TaxCode not found")
        if entity == "Payment":
            for line in body.get("Line") or []:
                for linked in line.get("LinkedTxn") or []:
                    invoice = books.find(realm, "Invoice", linked.get("TxnId"))
                    if not invoice or float(line["Amount"]) > invoice["Balance"] + 0.005:
                        return 400, fault(6000, "A business validation error has occurred while processing your "
                                          "request", "Business Validation Error: the payment is more than the "
                                          "invoice balance")
        if entity == "JournalEntry":
            lines = body.get("Line") or []
            signed = sum(float(l["Amount"]) * (1 if l["JournalEntryLineDetail"]["PostingType"] == "Debit" else -1)
                         for l in lines)
            if len(lines) < 2 or abs(signed) > 0.005:
                return 400, fault(6000, "A business validation error has occurred while processing your request",
                                  "Business Validation Error: Transaction Not Balanced")
            for line in lines:
                if not books.find(realm, "Account", line["JournalEntryLineDetail"]["AccountRef"].get("value")):
                    return 400, fault(2500, "Invalid Reference Id", "Invalid Reference Id : Account not found")
        return None

    def complete(self, realm, entity, values, current):
        books = self.sandbox.books
        row = dict(current or {}, **values)
        if entity in ("Invoice", "CreditMemo", "Payment"):
            customer = books.find(realm, "Customer", row["CustomerRef"]["value"])
            row["CustomerRef"] = {"value": customer["Id"], "name": customer["DisplayName"]}
        if entity in ("Invoice", "CreditMemo"):
            base = tax = 0.0
            for line in row.get("Line") or []:
                base += float(line["Amount"])
                code = books.find(realm, "TaxCode", ((line.get("SalesItemLineDetail") or {}).get("TaxCodeRef") or {})
                                  .get("value"))
                tax += round(float(line["Amount"]) * float(code["RateValue"]) / 100.0, 2) if code else 0.0
            row["TxnTaxDetail"] = {"TotalTax": round(tax, 2)}
            row["TotalAmt"] = round(base + tax, 2)
            if not current:
                row["Balance"] = row["TotalAmt"]
        if entity == "Payment":
            for line in row.get("Line") or []:
                for linked in line.get("LinkedTxn") or []:
                    invoice = books.find(realm, "Invoice", linked["TxnId"])
                    invoice["Balance"] = round(invoice["Balance"] - float(line["Amount"]), 2)
        if entity == "JournalEntry":
            for line in row.get("Line") or []:
                ref = line["JournalEntryLineDetail"]["AccountRef"]
                ref["name"] = books.find(realm, "Account", ref["value"])["Name"]
        return row


def _compare(value, operator, wanted):
    value = "" if value is None else str(value)
    return {"=": value == wanted, ">": value > wanted, "<": value < wanted, ">=": value >= wanted,
            "<=": value <= wanted}[operator]


def make_server(host="127.0.0.1", port=9040, seed_path=None):
    return seeded_server(QuickBooksSandbox, QuickBooksHandler, host, port, seed_path)


def main():
    serve(__doc__, make_server, "QuickBooks Online sandbox", 9040, "JSON file with companies and their records")


if __name__ == "__main__":
    main()
