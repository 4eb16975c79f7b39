# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A local HTTP server that answers like Marg ERP's Corporate EDE data API.

    python -m sme_connectors.sandbox.marg_server --port 9020 \\
        --seed connectors/sme_connectors/sandbox/data/marg_demo.json

``POST /api/eOnlineData/MargCorporateEDE`` with ``{CompanyCode, Datetime,
MargKey, Index, CompanyID, APIType}`` answers the rows changed since
``Datetime`` (all when blank), a page at a time, encrypted exactly as Marg
does (``marg_codec.py``). The decrypted page nests everything under
``Details`` as live Marg pages do: the sections ``Dis`` (sales lines),
``Masters``, ``MDis`` (one header per bill, with its ``Final`` total),
``Party``, ``Product``, ``SaleType``, ``Stock`` and the cursor ``Index``,
``DataStatus`` (10 on the last page, or ``"Completed"`` with the setting
``last_data_status``) and ``DateTime``. APIType "2" wraps it in the
``{Status, Message, DateTime, DataStatus, Index, Data}`` envelope, APIType
"1" answers the bare encrypted string. ``GET
/api/margcorporateede/masters?companycode=`` lists branches (not encrypted).
Wrong key or company: ``Status: FAILURE``.
"""

from .cli import serve
from .jsonhttp import JsonHandler, JsonSandbox, seeded_server
from .marg_codec import seal
from .marg_state import MargBooks

LAST_PAGE, MORE_PAGES = 10, 1
# The order of a decrypted page's sections; Masters and SaleType, which the
# hub does not use, are present (empty) as in Marg's pages.
PAGE_SECTIONS = ("Dis", "Masters", "MDis", "Party", "Product", "SaleType", "Stock")


class MargSandbox(JsonSandbox):

    # last_data_status: what the last page's DataStatus says (10, or "Completed"
    # on some tenants)
    SETTINGS_DEFAULTS = {"latency": 0.0, "page_size": 50, "last_data_status": LAST_PAGE}

    def __init__(self, books=None):
        super(MargSandbox, self).__init__()
        self.books = books or MargBooks()
        self.snapshots = (
            {}
        )  # (company, Datetime) → (stamp, rows): pages of one read stay consistent

    def reset(self, seed=None):
        super(MargSandbox, self).reset(seed)
        self.snapshots = {}

    def control(self, command, values):
        if (
            command == "upsert"
        ):  # a Marg user saves a party, product, bill line or stock row
            self.books.upsert(values["company"], values["section"], values["row"])
            return 200, {"ok": True, "now": self.books.now()}
        return super(MargSandbox, self).control(command, values)

    @staticmethod
    def failure(message):
        return {
            "Status": "FAILURE",
            "Message": message,
            "DateTime": "",
            "DataStatus": 0,
            "Index": 0,
            "Data": "",
        }

    def ede(self, request):
        if not isinstance(request, dict) or "CompanyCode" not in request:
            return self.failure(
                "Invalid request: CompanyCode, MargKey, Datetime and Index are required"
            )
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
                self.snapshots[key] = (
                    self.books.now(),
                    self.books.changed_since(company.code, since),
                )
            stamp, rows = self.snapshots[key]
        size = max(1, int(self.settings["page_size"]))
        page = rows[index * size : (index + 1) * size]
        last = (index + 1) * size >= len(rows)
        details = {section: [] for section in PAGE_SECTIONS}
        for section, row in page:
            details[section].append(row)
        details["MDis"] = self.bill_headers(company, details["Dis"])
        cursor = {
            "Index": index if last else index + 1,
            "DataStatus": self.settings["last_data_status"] if last else MORE_PAGES,
            "DateTime": stamp,
        }
        document = {"Details": dict(details, **cursor)}
        if str(request.get("APIType")) == "1":
            return seal(document, company.decryption_key)
        return dict(
            cursor,
            Status="SUCCESS",
            Message="",
            Data=seal(document, company.decryption_key),
        )

    @staticmethod
    def bill_headers(company, lines):
        """One MDis row per bill with lines on the page: its total (``Final``)
        over all its lines, and its party's route and area."""
        headers, parties = [], {row.get("CID"): row for row in company.rows["Party"]}
        for line in lines:
            key = (line.get("Voucher"), line.get("Date"))
            if any((h["Vouchar"], h["Date"]) == key for h in headers):
                continue
            bill = [
                detail
                for detail in company.rows["Dis"]
                if (detail.get("Voucher"), detail.get("Date")) == key
            ]
            party = parties.get(line.get("CID")) or {}
            headers.append(
                {
                    "Vouchar": key[0],
                    "Date": key[1],
                    "VCN": line.get("Vcn") or key[0],
                    "Type": line.get("Type"),
                    "CID": line.get("CID"),
                    "MR": "",
                    "Final": round(
                        sum(
                            float(detail.get("Amount") or 0)
                            + float(detail.get("GSTamount") or 0)
                            for detail in bill
                        ),
                        2,
                    ),
                    "Rout": party.get("Rout", ""),
                    "Area": party.get("Area", ""),
                }
            )
        return headers


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
        return 404, {
            "Message": "No HTTP resource was found that matches the request URI '%s'."
            % path
        }


def make_server(host="127.0.0.1", port=9020, seed_path=None):
    return seeded_server(MargSandbox, MargHandler, host, port, seed_path)


def main():
    serve(
        __doc__,
        make_server,
        "Marg sandbox",
        9020,
        "JSON file with companies and their rows",
    )


if __name__ == "__main__":
    main()
