"""A local HTTP server that answers like Marg ERP's Corporate EDE data API.

    python sandbox/marg_server.py --port 9020 --seed sandbox/data/marg_demo.json

``POST /api/eOnlineData/MargCorporateEDE`` with ``{CompanyCode, Datetime,
MargKey, Index, CompanyID, APIType}`` answers the rows changed since
``Datetime`` (all when blank), a page at a time, encrypted exactly as Marg
does (``marg_codec.py``): APIType "2" in
the ``{Status, Message, DateTime, DataStatus, Index, Data}`` envelope, APIType
"1" as the bare encrypted string. ``GET /api/margcorporateede/masters?companycode=``
lists branches (not encrypted). Wrong key or company: ``Status: FAILURE``.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sandbox.cli import serve  # noqa: E402
from sandbox.jsonhttp import JsonHandler, JsonSandbox, seeded_server  # noqa: E402
from sandbox.marg_state import MargBooks  # noqa: E402
from sandbox.marg_codec import seal  # noqa: E402

LAST_PAGE, MORE_PAGES = 10, 1
# Sections Marg sends that the hub does not use; present (empty) as in Marg's answers.
OTHER_SECTIONS = ("Dis", "Masters", "MDis", "SaleType")


class MargSandbox(JsonSandbox):

    SETTINGS_DEFAULTS = {"latency": 0.0, "page_size": 50}

    def __init__(self, books=None):
        super(MargSandbox, self).__init__()
        self.books = books or MargBooks()
        self.snapshots = {}  # (company, Datetime) → (stamp, rows): pages of one read stay consistent

    def reset(self, seed=None):
        super(MargSandbox, self).reset(seed)
        self.snapshots = {}

    def control(self, command, values):
        if command == "upsert":  # a Marg user saves a party, product, bill line or stock row
            self.books.upsert(values["company"], values["section"], values["row"])
            return 200, {"ok": True, "now": self.books.now()}
        return super(MargSandbox, self).control(command, values)

    @staticmethod
    def failure(message):
        return {"Status": "FAILURE", "Message": message, "DateTime": "", "DataStatus": 0, "Index": 0,
                "Data": ""}

    def ede(self, request):
        if not isinstance(request, dict) or "CompanyCode" not in request:
            return self.failure("Invalid request: CompanyCode, MargKey, Datetime and Index are required")
        company = self.books.companies.get(request.get("CompanyCode"))
        if not company:
            return self.failure("Invalid Company Code")
        if request.get("MargKey") != company.marg_key:
            return self.failure("Invalid MargKey")
        if str(request.get("CompanyID") or "0") not in ("0", company.company_id):
            return self.failure("Invalid CompanyID for this company code")
        try:
            index = int(request.get("Index") or 0)
        except ValueError:
            return self.failure("Invalid Index")
        since = (request.get("Datetime") or "").strip()
        with self.books.lock:
            key = (company.code, since)
            if index == 0 or key not in self.snapshots:
                self.snapshots[key] = (self.books.now(), self.books.changed_since(company.code, since))
            stamp, rows = self.snapshots[key]
        size = max(1, int(self.settings["page_size"]))
        page = rows[index * size:(index + 1) * size]
        last = (index + 1) * size >= len(rows)
        data = {section: [] for section in ("Details", "Party", "Product", "Stock") + OTHER_SECTIONS}
        for section, row in page:
            data[section].append(row)
        envelope = {"Status": "SUCCESS", "Message": "", "DateTime": stamp,
                    "DataStatus": LAST_PAGE if last else MORE_PAGES,
                    "Index": index if last else index + 1}
        if str(request.get("APIType")) == "1":
            return seal(dict(envelope, Data=data), company.decryption_key)
        return dict(envelope, Data=seal(data, company.decryption_key))


class MargHandler(JsonHandler):
    server_version = "Microsoft-IIS/10.0"  # what Marg's service announces

    def route(self, method, path, query, body):
        lowered = path.lower()
        if method == "POST" and lowered == "/api/eonlinedata/margcorporateede":
            return 200, self.sandbox.ede(body)
        if method == "GET" and lowered == "/api/margcorporateede/masters":
            company = self.sandbox.books.companies.get(query.get("companycode") or "")
            if not company:
                return 200, MargSandbox.failure("Invalid Company Code")
            return 200, {"Status": "SUCCESS", "Message": "", "Data": company.branches}
        return 404, {"Message": "No HTTP resource was found that matches the request URI '%s'." % path}


def make_server(host="127.0.0.1", port=9020, seed_path=None):
    return seeded_server(MargSandbox, MargHandler, host, port, seed_path)


def main():
    serve(__doc__, make_server, "Marg sandbox", 9020, "JSON file with companies and their rows")


if __name__ == "__main__":
    main()
