# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A local HTTP server that answers like QuickBooks Online Accounting API v3
and Intuit's OAuth 2.0 server.

    python -m sme_connectors.sandbox.quickbooks_server --port 9040 \\
        --seed connectors/sme_connectors/sandbox/data/quickbooks_demo.json

``/connect/oauth2`` (consent: back with ``code``, ``state`` and ``realmId``),
``/oauth2/v1/tokens/bearer`` (HTTP Basic client credentials; refresh tokens
rotate; ``invalid_grant``), ``/oauth2/v1/tokens/revoke``;
``/v3/company/<realm>/``: ``query`` (``select * from X where ... ORDERBY ...
STARTPOSITION n MAXRESULTS m``, the last two in either order), reads by id,
creates and sparse updates with ``SyncToken`` (stale: fault 5010), unknown
properties refused as Jackson words it (2010), unique ``DisplayName`` (6240),
unique ``DocNumber`` (6140), ``Amount = Qty × UnitPrice`` (6070), invalid
references (2500), unbalanced journals and Accounts Receivable lines without
a customer (6000), ``requestid`` replay, ``Fault`` envelopes, 401 for an
expired token (the lower-case ``fault`` body), 429 beyond the per-minute
limit, ``companyinfo`` and ``reports/TrialBalance``. Every request is served
at minor version 75, whatever lower one it asks for (Intuit since
2025-08-01). Objects come back completed as QuickBooks completes them
(``domain``, ``sparse``, line ids, the SubTotal line, tax lines, balances,
``LinkedTxn`` both ways, a payment line's ``LineEx``).
"""
import copy
import json
import re
import threading
import time
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode

from .cli import serve
from .jsonhttp import JsonHandler, JsonSandbox, seeded_server
from .oauth_state import OAuthControl, OAuthState

DEMO_CLIENT = ("ABdemoQuickBooksClientId", "demo-quickbooks-client-secret")
# Masters first: transactions refer to them when they are completed.
ENTITIES = (
    "Account",
    "Item",
    "TaxCode",
    "Customer",
    "Invoice",
    "CreditMemo",
    "Payment",
    "JournalEntry",
)
TRANSACTIONS = ("Invoice", "CreditMemo", "Payment", "JournalEntry")
BY_PATH = {name.lower(): name for name in ENTITIES}
SERVED_MINOR_VERSION = 75
QUERY = re.compile(
    r"^\s*select\s+\*\s+from\s+(\w+)(?:\s+where\s+(.+?))?"
    r"(?:\s+order\s*by\s+([\w.]+)(?:\s+(asc|desc))?)?"
    r"((?:\s+(?:startposition|maxresults)\s+\d+)*)\s*$",
    re.I,
)
PAGING = re.compile(r"(startposition|maxresults)\s+(\d+)", re.I)
CONDITION = re.compile(r"([\w.]+)\s*(>=|<=|=|>|<)\s*'((?:[^'\\]|\\.)*)'")
RECEIVABLE = "Accounts Receivable"
DISCOUNT_ACCOUNT = "Discounts given"
CURRENCY = {"value": "INR", "name": "Indian Rupee"}
CLASSIFICATION = {
    "Bank": "Asset",
    "Accounts Receivable": "Asset",
    "Other Current Asset": "Asset",
    "Fixed Asset": "Asset",
    "Other Asset": "Asset",
    "Accounts Payable": "Liability",
    "Credit Card": "Liability",
    "Other Current Liability": "Liability",
    "Long Term Liability": "Liability",
    "Equity": "Equity",
    "Income": "Revenue",
    "Other Income": "Revenue",
    "Cost of Goods Sold": "Expense",
    "Expense": "Expense",
    "Other Expense": "Expense",
}
# The usual detail type of each account type, where the seed gives none.
SUB_TYPES = {
    "Bank": "Checking",
    "Accounts Receivable": "AccountsReceivable",
    "Other Current Asset": "UndepositedFunds",
    "Other Current Liability": "GlobalTaxPayable",
    "Equity": "OwnersEquity",
    "Income": "SalesOfProductIncome",
    "Expense": "OtherMiscellaneousServiceCost",
}

# The properties each entity's JSON class knows, in the order Jackson lists
# them when it refuses an unknown one (fault 2010). Invoice: the first 61 as
# QuickBooks listed them in a recorded answer, then the rest of Intuit's
# reference (83 in all, as that answer says).
KNOWN = {
    "Invoice": (
        "DocNumber",
        "HomeTotalAmt",
        "TotalAmt",
        "TxnSource",
        "AllowOnlinePayment",
        "RecurringInfo",
        "EmailStatus",
        "callToAction",
        "AutoDocNumber",
        "ECloudStatusTimeStamp",
        "TaxFormNum",
        "TxnDate",
        "FOB",
        "ClassRef",
        "AllowOnlineACHPayment",
        "DepositToAccountRef",
        "InvoiceEx",
        "AllowOnlineCreditCardPayment",
        "CurrencyRef",
        "InvoiceLink",
        "PONumber",
        "ShipDate",
        "PaymentMethodRef",
        "TrackingNum",
        "TxnTaxDetail",
        "CustomerRef",
        "ShipFromAddr",
        "BillAddr",
        "EInvoiceStatus",
        "Id",
        "RecurDataRef",
        "ApplyTaxAfterDiscount",
        "DepartmentRef",
        "SalesRepRef",
        "ExchangeRate",
        "domain",
        "invoiceStatusLog",
        "TaxFormType",
        "BillEmailBcc",
        "LessCIS",
        "CustomerMemo",
        "TxnStatus",
        "HomeBalance",
        "PrintStatus",
        "ConvenienceFeeDetail",
        "DiscountRate",
        "DeliveryInfo",
        "FreeFormAddress",
        "AllowIPNPayment",
        "CustomField",
        "PaymentDetailsMessage",
        "TransactionLocationType",
        "MetaData",
        "LinkedTxn",
        "status",
        "RemitToRef",
        "PrivateNote",
        "ShipMethodRef",
        "PaymentRefNum",
        "Tag",
        "TxnApprovalInfo",
        "Line",
        "SyncToken",
        "sparse",
        "DueDate",
        "Balance",
        "Deposit",
        "ShipAddr",
        "BillEmail",
        "BillEmailCc",
        "SalesTermRef",
        "GlobalTaxCalculation",
        "ProjectRef",
        "TaxExemptionRef",
        "DiscountAmt",
        "InvoiceStatus",
        "TemplateRef",
        "SalesTermDiscount",
        "TaxCodeRef",
        "ShippingTaxIncludedInTotalTax",
        "ShipFromAddrRef",
        "TxnTaxCodeRef",
        "AttachableRef",
    ),
    "CreditMemo": (
        "DocNumber",
        "TotalAmt",
        "TxnDate",
        "CustomerRef",
        "CustomerMemo",
        "BillAddr",
        "ShipAddr",
        "ShipFromAddr",
        "Line",
        "Id",
        "SyncToken",
        "sparse",
        "domain",
        "status",
        "MetaData",
        "PrivateNote",
        "TxnTaxDetail",
        "ApplyTaxAfterDiscount",
        "ClassRef",
        "DepartmentRef",
        "SalesTermRef",
        "CurrencyRef",
        "ExchangeRate",
        "HomeTotalAmt",
        "HomeBalance",
        "Balance",
        "RemainingCredit",
        "InvoiceRef",
        "BillEmail",
        "PrintStatus",
        "EmailStatus",
        "CustomField",
        "LinkedTxn",
        "GlobalTaxCalculation",
        "TransactionLocationType",
        "ProjectRef",
        "TaxExemptionRef",
        "PaymentMethodRef",
        "DepositToAccountRef",
        "RecurDataRef",
        "TxnSource",
        "Tag",
    ),
    "Payment": (
        "TotalAmt",
        "CustomerRef",
        "CurrencyRef",
        "PrivateNote",
        "PaymentMethodRef",
        "UnappliedAmt",
        "DepositToAccountRef",
        "ExchangeRate",
        "Line",
        "TxnSource",
        "ARAccountRef",
        "TxnDate",
        "CreditCardPayment",
        "TransactionLocationType",
        "MetaData",
        "PaymentRefNum",
        "TaxExemptionRef",
        "ProcessPayment",
        "Id",
        "SyncToken",
        "sparse",
        "domain",
        "status",
        "LinkedTxn",
        "ProjectRef",
        "DocNumber",
        "DepartmentRef",
        "Tag",
    ),
    "JournalEntry": (
        "Id",
        "SyncToken",
        "DocNumber",
        "TxnDate",
        "PrivateNote",
        "Line",
        "Adjustment",
        "CurrencyRef",
        "ExchangeRate",
        "GlobalTaxCalculation",
        "TxnTaxDetail",
        "TaxRateRef",
        "TransactionLocationType",
        "MetaData",
        "RecurDataRef",
        "TotalAmt",
        "HomeTotalAmt",
        "JournalCodeRef",
        "domain",
        "sparse",
        "status",
        "TxnSource",
        "LinkedTxn",
        "DepartmentRef",
        "Tag",
    ),
    "Customer": (
        "Id",
        "SyncToken",
        "DisplayName",
        "Title",
        "GivenName",
        "MiddleName",
        "Suffix",
        "FamilyName",
        "PrimaryEmailAddr",
        "ResaleNum",
        "SecondaryTaxIdentifier",
        "ARAccountRef",
        "DefaultTaxCodeRef",
        "PreferredDeliveryMethod",
        "GSTIN",
        "SalesTermRef",
        "CustomerTypeRef",
        "Fax",
        "BusinessNumber",
        "BillWithParent",
        "CurrencyRef",
        "Mobile",
        "Job",
        "BalanceWithJobs",
        "PrimaryPhone",
        "OpenBalanceDate",
        "Taxable",
        "AlternatePhone",
        "MetaData",
        "ParentRef",
        "Notes",
        "WebAddr",
        "Active",
        "CompanyName",
        "Balance",
        "ShipAddr",
        "PaymentMethodRef",
        "IsProject",
        "Source",
        "PrimaryTaxIdentifier",
        "GSTRegistrationType",
        "PrintOnCheckName",
        "BillAddr",
        "FullyQualifiedName",
        "Level",
        "TaxExemptionReasonId",
        "domain",
        "sparse",
        "status",
        "CustomField",
        "OtherContactInfo",
    ),
    "Line": (
        "Id",
        "LineNum",
        "Description",
        "Amount",
        "DetailType",
        "LinkedTxn",
        "SalesItemLineDetail",
        "GroupLineDetail",
        "DescriptionLineDetail",
        "DiscountLineDetail",
        "SubTotalLineDetail",
        "TaxLineDetail",
        "JournalEntryLineDetail",
        "DepositLineDetail",
        "ItemBasedExpenseLineDetail",
        "AccountBasedExpenseLineDetail",
        "PaymentLineDetail",
        "CustomField",
        "LineEx",
        "ProjectRef",
        "Received",
        "TxnLineId",
        "ItemReceiptLineDetail",
        "ReimburseLineDetail",
        "TDSLineDetail",
    ),
}


def fault(code, message, detail, kind="ValidationFault"):
    """Intuit's Fault envelope as recorded (no ``element`` key)."""
    return {
        "Fault": {
            "Error": [{"Message": message, "Detail": detail, "code": str(code)}],
            "type": kind,
        },
        "time": _now(),
    }


def unknown_property(entity, name):
    """Fault 2010 exactly as QuickBooks words it: Jackson's refusal of an
    unknown property, its list of known ones cut after 1000 characters."""
    known = KNOWN[entity]
    listed = " (%d known properties: " % len(known)
    for index, known_name in enumerate(known):
        listed += '"%s"' % known_name
        if len(listed) > 1000:
            listed += " [truncated]"
            break
        if index < len(known) - 1:
            listed += ", "
    detail = (
        'Property Name:Unrecognized field "%s" '
        "(class com.intuit.schema.finance.v3.%s), not marked as "
        "ignorable%s])\n specified is unsupported or invalid" % (name, entity, listed)
    )
    return fault(2010, "Request has invalid or unsupported property", detail)


def expired_token(token):
    """The 401 QuickBooks answers for an expired or unknown access token:
    lower-case ``fault``/``error`` among the null members of its envelope."""
    return {
        "warnings": None,
        "intuitObject": None,
        "fault": {
            "error": [
                {
                    "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                    "detail": "Token expired: %s" % (token or "")[:12],
                    "code": "3200",
                    "element": None,
                }
            ],
            "type": "AUTHENTICATION",
        },
        "report": None,
        "queryResponse": None,
        "batchItemResponse": [],
        "attachableResponse": [],
        "syncErrorResponse": None,
        "requestId": None,
        "time": int(time.time() * 1000),
        "status": None,
        "cdcresponse": [],
    }


def _now():
    return datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "-08:00"


def field(row, path):
    """A dotted path (``MetaData.LastUpdatedTime``; Intuit's own examples also
    write ``Metadata``), case-insensitively per part."""
    value = row
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        key = next((k for k in value if k.lower() == part.lower()), None)
        value = value.get(key) if key else None
    return value


def _money(value):
    return round(float(value or 0), 2)


class QuickBooksBooks(object):
    def __init__(self):
        self.companies = {}  # realm → {"info": {...}, entity: [rows]}
        self.clock = datetime(2026, 1, 1, 3, 30, 0)
        self.next_id = 100
        self.next_address_id = (
            0  # addresses are numbered apart from records, as in QuickBooks
        )
        self.lock = threading.RLock()

    def stamp(self):
        self.clock += timedelta(seconds=1)
        return self.clock.strftime("%Y-%m-%dT%H:%M:%S-08:00")

    def new_id(self):
        self.next_id += 1
        return str(self.next_id)

    def add(self, realm, entity, row):
        with self.lock:
            row = copy.deepcopy(row)
            if "Id" not in row:
                row["Id"] = self.new_id()
            row["SyncToken"] = "0"
            now = self.stamp()
            row["MetaData"] = {"CreateTime": now, "LastUpdatedTime": now}
            row.setdefault("domain", "QBO")
            row.setdefault("sparse", False)
            self.companies[realm][entity].append(row)
            return row

    def touch(self, row, **values):
        with self.lock:
            row.update(values)
            row["SyncToken"] = str(int(row["SyncToken"]) + 1)
            row["MetaData"]["LastUpdatedTime"] = self.stamp()
            return row

    def find(self, realm, entity, record_id):
        return next(
            (r for r in self.companies[realm][entity] if r["Id"] == str(record_id)),
            None,
        )

    def by_name(self, realm, entity, name):
        return next(
            (r for r in self.companies[realm][entity] if r.get("Name") == name), None
        )

    def seed(self, data):
        for company in data.get("companies", []):
            realm = company["realm_id"]
            self.companies[realm] = {
                "info": {"CompanyName": company["name"], "Id": realm}
            }
            for entity in ENTITIES:
                self.companies[realm][entity] = []
            for entity in ENTITIES:
                for row in company.get(entity, []):
                    values = self.complete(realm, entity, copy.deepcopy(row), None)
                    saved = self.add(realm, entity, values)
                    self.after_write(realm, entity, saved)

    def seed_file(self, path):
        with open(path) as handle:
            self.seed(json.load(handle))

    def summary(self):
        return {
            realm: {e: len(rows) for e, rows in c.items() if e != "info"}
            for realm, c in self.companies.items()
        }

    # -- what QuickBooks adds to what it is sent ---------------------------
    def complete(self, realm, entity, row, current):
        """``row`` (the stored record merged with what was sent) as
        QuickBooks keeps it."""
        completer = getattr(self, "_complete_%s" % entity.lower(), None)
        return completer(realm, row, current) if completer else row

    def _address(self, address):
        if address and "Id" not in address:
            self.next_address_id += 1
            address = dict(address, Id=str(self.next_address_id))
        return address

    def _complete_account(self, realm, row, current):
        row.setdefault("FullyQualifiedName", row.get("Name"))
        row.setdefault("Classification", CLASSIFICATION.get(row.get("AccountType")))
        if SUB_TYPES.get(row.get("AccountType")):
            row.setdefault("AccountSubType", SUB_TYPES[row["AccountType"]])
        row.setdefault("Active", True)
        row.setdefault("SubAccount", False)
        row.setdefault("CurrentBalance", 0)
        row.setdefault("CurrentBalanceWithSubAccounts", 0)
        row.setdefault("CurrencyRef", dict(CURRENCY))
        return row

    def _complete_customer(self, realm, row, current):
        for name in ("BillAddr", "ShipAddr"):
            if row.get(name):
                row[name] = self._address(row[name])
        row["FullyQualifiedName"] = row["DisplayName"]
        row.setdefault("PrintOnCheckName", row["DisplayName"])
        for name, value in (
            ("Taxable", True),
            ("Job", False),
            ("BillWithParent", False),
            ("Balance", 0),
            ("BalanceWithJobs", 0),
            ("PreferredDeliveryMethod", "Print"),
            ("Active", True),
        ):
            row.setdefault(name, value)
        row.setdefault("CurrencyRef", dict(CURRENCY))
        return row

    def _numbered(self, lines):
        numbered = []
        for index, line in enumerate(lines, 1):
            line = dict(line)
            line.setdefault("Id", str(index))
            line.setdefault("LineNum", index)
            numbered.append(line)
        return numbered

    def _complete_sale(self, realm, row, current, balance_field):
        customer = self.find(realm, "Customer", row["CustomerRef"]["value"])
        row["CustomerRef"] = {"value": customer["Id"], "name": customer["DisplayName"]}
        for name, source in (
            ("BillAddr", "BillAddr"),
            ("ShipAddr", "ShipAddr"),
            ("ShipAddr", "BillAddr"),
            ("BillEmail", "PrimaryEmailAddr"),
        ):
            if customer.get(source) and name not in row:
                row[name] = copy.deepcopy(customer[source])
        lines = [
            copy.deepcopy(line)
            for line in row.get("Line") or []
            if line.get("DetailType") != "SubTotalLineDetail"
        ]
        items = [
            line for line in lines if line.get("DetailType") == "SalesItemLineDetail"
        ]
        for line in items:  # references come back named
            ref = (line.get("SalesItemLineDetail") or {}).get("ItemRef") or {}
            item = self.find(realm, "Item", ref.get("value"))
            if item:
                ref["name"] = item["Name"]
        subtotal = round(sum(_money(line["Amount"]) for line in items), 2)
        discount = 0.0
        for line in lines:
            if line.get("DetailType") == "DiscountLineDetail":
                detail = line.get("DiscountLineDetail") or {}
                if (
                    detail.get("PercentBased")
                    and detail.get("DiscountPercent") is not None
                ):
                    line["Amount"] = round(
                        subtotal * float(detail["DiscountPercent"]) / 100.0, 2
                    )
                discount += _money(line.get("Amount"))
        after = bool(row.get("ApplyTaxAfterDiscount"))
        tax, bases, rates, taxes = 0.0, {}, {}, {}
        for line in items:
            detail = line.get("SalesItemLineDetail") or {}
            code = self.find(
                realm, "TaxCode", (detail.get("TaxCodeRef") or {}).get("value")
            )
            base = _money(line["Amount"])
            if after and subtotal and discount:
                base = round(base - discount * base / subtotal, 2)
            if code:
                line_tax = round(base * float(code["RateValue"]) / 100.0, 2)
                tax += line_tax
                bases[code["Id"]] = round(bases.get(code["Id"], 0.0) + base, 2)
                taxes[code["Id"]] = round(taxes.get(code["Id"], 0.0) + line_tax, 2)
                rates[code["Id"]] = float(code["RateValue"])
        row["Line"] = self._numbered(lines) + [
            {
                "Amount": subtotal,
                "DetailType": "SubTotalLineDetail",
                "SubTotalLineDetail": {},
            }
        ]
        row["TxnTaxDetail"] = {"TotalTax": round(tax, 2)}
        if bases:
            row["TxnTaxDetail"]["TaxLine"] = [
                {
                    "Amount": taxes[code],
                    "DetailType": "TaxLineDetail",
                    "TaxLineDetail": {
                        "TaxRateRef": {"value": code},
                        "PercentBased": True,
                        "TaxPercent": rates[code],
                        "NetAmountTaxable": bases[code],
                    },
                }
                for code in sorted(bases)
            ]
        row["TotalAmt"] = round(subtotal - discount + tax, 2)
        row.setdefault("ApplyTaxAfterDiscount", False)
        row.setdefault("CurrencyRef", dict(CURRENCY))
        row.setdefault("PrintStatus", "NeedToPrint")
        row.setdefault("EmailStatus", "NotSet")
        row.setdefault("LinkedTxn", [])
        if not current:
            row[balance_field] = row["TotalAmt"]
        return row

    def _complete_invoice(self, realm, row, current):
        row = self._complete_sale(realm, row, current, "Balance")
        for name in (
            "AllowIPNPayment",
            "AllowOnlinePayment",
            "AllowOnlineCreditCardPayment",
            "AllowOnlineACHPayment",
        ):
            row.setdefault(name, False)
        if row.get("TxnDate"):
            row.setdefault(
                "DueDate",
                (
                    datetime.strptime(row["TxnDate"][:10], "%Y-%m-%d")
                    + timedelta(days=30)
                ).strftime("%Y-%m-%d"),
            )
        return row

    def _complete_creditmemo(self, realm, row, current):
        row = self._complete_sale(realm, row, current, "RemainingCredit")
        row.setdefault("Balance", row["RemainingCredit"])
        return row

    def _complete_payment(self, realm, row, current):
        customer = self.find(realm, "Customer", row["CustomerRef"]["value"])
        row["CustomerRef"] = {"value": customer["Id"], "name": customer["DisplayName"]}
        applied = 0.0
        lines = []
        for line in row.get("Line") or []:
            line = dict(line)
            applied += _money(line.get("Amount"))
            linked = next(
                (
                    linked
                    for linked in line.get("LinkedTxn") or []
                    if linked.get("TxnType") == "Invoice"
                ),
                None,
            )
            invoice = linked and self.find(realm, "Invoice", linked["TxnId"])
            if invoice and "LineEx" not in line:
                line["LineEx"] = {
                    "any": [
                        _name_value("txnId", invoice["Id"]),
                        _name_value("txnOpenBalance", "%.2f" % invoice["Balance"]),
                        _name_value(
                            "txnReferenceNumber", invoice.get("DocNumber") or ""
                        ),
                    ]
                }
            lines.append(line)
        row["Line"] = lines
        row["UnappliedAmt"] = round(_money(row.get("TotalAmt")) - applied, 2)
        row.setdefault("ProcessPayment", False)
        row.setdefault("CurrencyRef", dict(CURRENCY))
        undeposited = self.by_name(realm, "Account", "Undeposited Funds")
        if undeposited:
            row.setdefault("DepositToAccountRef", {"value": undeposited["Id"]})
        return row

    def _complete_journalentry(self, realm, row, current):
        lines = []
        for line in row.get("Line") or []:
            line = copy.deepcopy(line)
            detail = line["JournalEntryLineDetail"]
            account = self.find(realm, "Account", detail["AccountRef"]["value"])
            detail["AccountRef"]["name"] = (
                account.get("FullyQualifiedName") or account["Name"]
            )
            entity = (detail.get("Entity") or {}).get("EntityRef")
            if entity and detail["Entity"].get("Type") == "Customer":
                entity["name"] = self.find(realm, "Customer", entity["value"])[
                    "DisplayName"
                ]
            lines.append(line)
        for number, line in enumerate(lines):
            line.setdefault(
                "Id", str(number)
            )  # journal lines count from 0 and have no LineNum
        row["Line"] = lines
        row.setdefault("Adjustment", False)
        row.setdefault("TxnTaxDetail", {})
        row.setdefault("CurrencyRef", dict(CURRENCY))
        return row

    def after_write(self, realm, entity, row):
        """What a write changes elsewhere: a payment lowers the balances of
        the invoices it pays and is linked from them."""
        if entity != "Payment":
            return
        for line in row.get("Line") or []:
            for linked in line.get("LinkedTxn") or []:
                invoice = (
                    self.find(realm, "Invoice", linked.get("TxnId"))
                    if linked.get("TxnType") == "Invoice"
                    else None
                )
                if invoice:
                    invoice["Balance"] = round(
                        invoice["Balance"] - _money(line["Amount"]), 2
                    )
                    invoice.setdefault("LinkedTxn", []).append(
                        {"TxnId": row["Id"], "TxnType": "Payment"}
                    )


def _name_value(name, value):
    """One entry of a payment line's ``LineEx``, as QuickBooks serialises it."""
    return {
        "name": "{http://schema.intuit.com/finance/v3}NameValue",
        "nil": False,
        "value": {"Name": name, "Value": str(value)},
        "declaredType": "com.intuit.schema.finance.v3.NameValue",
        "scope": "javax.xml.bind.JAXBElement$GlobalScope",
        "globalScope": True,
        "typeSubstituted": False,
    }


class QuickBooksSandbox(OAuthControl, JsonSandbox):

    demo_client = DEMO_CLIENT

    SETTINGS_DEFAULTS = {"latency": 0.0, "per_minute": 500, "access_seconds": 3600}

    def __init__(self, books=None):
        super(QuickBooksSandbox, self).__init__()
        self.books = books or QuickBooksBooks()
        self.oauth = OAuthState([DEMO_CLIENT], rotate_refresh_tokens=True)
        self.replies = {}  # (realm, requestid) → the first answer
        self.calls = []
        self.writes = 0
        self.minor_versions = []  # (asked, served) of each API request

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
            code = sandbox.oauth.issue_code(
                query.get("client_id"), query.get("redirect_uri"), extra
            )
            return (
                302,
                "",
                {
                    "Location": "%s?%s"
                    % (
                        query.get("redirect_uri"),
                        urlencode(
                            {
                                "code": code,
                                "state": query.get("state", ""),
                                "realmId": extra["realm"],
                            }
                        ),
                    )
                },
            )
        if path == "/oauth2/v1/tokens/bearer" and method == "POST":
            sandbox.oauth.access_seconds = sandbox.settings["access_seconds"]
            status, answer = sandbox.oauth.token(
                body or {}, self.headers.get("Authorization")
            )
            if status == 200:
                answer = dict(
                    answer, token_type="bearer", x_refresh_token_expires_in=8726400
                )
            return status, answer
        if path == "/oauth2/v1/tokens/revoke" and method == "POST":
            sandbox.oauth.revoke((body or {}).get("token"))
            return 200, {}
        match = re.match(r"^/v3/company/(\w+)/(.+)$", path)
        if not match:
            return 404, fault(404, "Not found", path, "SERVICE")
        status, answer = self.api(method, match.group(1), match.group(2), query, body)
        return status, answer, {"intuit_tid": str(uuid.uuid4())}

    def api(self, method, realm, rest, query, body):
        sandbox = self.sandbox
        header = self.headers.get("Authorization") or ""
        token = header[7:] if header.startswith("Bearer ") else None
        grant = sandbox.oauth.check(token) if token else None
        if grant is None:
            return 401, expired_token(token)
        if realm not in sandbox.books.companies or grant.get("realm") not in (
            None,
            realm,
        ):
            return 403, fault(
                3100,
                "ApplicationAuthorizationFailed",
                "realm %s is not authorized" % realm,
                "AUTHORIZATION",
            )
        if sandbox.throttled():
            return 429, fault(
                3001,
                "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                "Too many requests",
                "SERVICE",
            )
        asked = query.get("minorversion")
        sandbox.minor_versions.append(
            (asked, SERVED_MINOR_VERSION)
        )  # lower (or none): 75 all the same
        with sandbox.books.lock:
            if method == "POST":
                key = (realm, query.get("requestid"))
                if query.get("requestid") and key in sandbox.replies:
                    return sandbox.replies[
                        key
                    ]  # a retried request: the first answer again
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
            return 200, {"CompanyInfo": books.companies[realm]["info"], "time": _now()}
        if parts[:2] == ["reports", "TrialBalance"]:
            return 200, self.trial_balance(realm, query)
        entity = BY_PATH.get(parts[0])
        if entity and len(parts) == 2:
            row = books.find(realm, entity, parts[1])
            if not row:
                return 400, fault(
                    610,
                    "Object Not Found",
                    "Object Not Found : Something you're trying to use has "
                    "been made inactive. Check the fields with accounts, "
                    "customers, items, vendors or employees.",
                )
            return 200, {entity: row, "time": _now()}
        return 404, fault(404, "Unsupported Operation", rest, "SERVICE")

    def run_query(self, realm, text):
        match = QUERY.match(text)
        entity = match and next(
            (e for e in ENTITIES if e.lower() == match.group(1).lower()), None
        )
        if not entity:
            return 400, fault(
                4000,
                "Error parsing query",
                "QueryParserError: Encountered an unexpected token in %r" % text[:80],
            )
        _entity, where, order, direction, paging = match.groups()
        paging = {
            name.lower(): int(value) for name, value in PAGING.findall(paging or "")
        }
        rows = list(self.sandbox.books.companies[realm][entity])
        for name, operator, value in CONDITION.findall(where or ""):
            value = re.sub(r"\\(.)", r"\1", value)
            rows = [r for r in rows if _compare(field(r, name), operator, value)]
        if order:
            rows.sort(
                key=lambda r: str(field(r, order) or ""),
                reverse=(direction or "").lower() == "desc",
            )
        start, limit = paging.get("startposition", 1), min(
            paging.get("maxresults", 100), 1000
        )
        page = rows[start - 1 : start - 1 + limit]
        response = {"startPosition": start, "maxResults": len(page)}
        if page:
            response[entity] = page
        return 200, {"QueryResponse": response, "time": _now()}

    def trial_balance(self, realm, query):
        """Every account's balance to ``end_date``: a flat list of rows and
        the GrandTotal section, as QuickBooks reports it."""
        books, totals = self.sandbox.books, {}
        end = query.get("end_date") or "9999-12-31"

        def post(name, amount):
            totals[name] = totals.get(name, 0.0) + amount

        def dated(rows):
            return [row for row in rows if (row.get("TxnDate") or "") <= end]

        company = books.companies[realm]
        for kind, sign in (("Invoice", 1), ("CreditMemo", -1)):
            for sale in dated(company[kind]):
                lines = sale["Line"]
                post("Accounts Receivable (A/R)", sign * sale["TotalAmt"])
                post(
                    "Sales of Product Income",
                    -sign
                    * sum(
                        _money(line["Amount"])
                        for line in lines
                        if line.get("DetailType") == "SalesItemLineDetail"
                    ),
                )
                post(
                    DISCOUNT_ACCOUNT,
                    sign
                    * sum(
                        _money(line["Amount"])
                        for line in lines
                        if line.get("DetailType") == "DiscountLineDetail"
                    ),
                )
                post("GST Payable", -sign * sale["TxnTaxDetail"]["TotalTax"])
        for payment in dated(company["Payment"]):
            post("Accounts Receivable (A/R)", -payment["TotalAmt"])
            post("Undeposited Funds", payment["TotalAmt"])
        for entry in dated(company["JournalEntry"]):
            for line in entry["Line"]:
                detail = line["JournalEntryLineDetail"]
                post(
                    detail["AccountRef"]["name"],
                    _money(line["Amount"])
                    * (1 if detail["PostingType"] == "Debit" else -1),
                )
        rows, debit, credit = [], 0.0, 0.0
        for name, value in sorted(totals.items()):
            value = round(value, 2)
            if not value:
                continue
            account = books.by_name(realm, "Account", name)
            debit += max(value, 0)
            credit += max(-value, 0)
            rows.append(
                {
                    "ColData": [
                        {"value": name, "id": account["Id"] if account else "0"},
                        {"value": "%.2f" % value if value > 0 else ""},
                        {"value": "%.2f" % -value if value < 0 else ""},
                    ]
                }
            )
        rows.append(
            {
                "Summary": {
                    "ColData": [
                        {"value": "TOTAL"},
                        {"value": "%.2f" % debit},
                        {"value": "%.2f" % credit},
                    ]
                },
                "type": "Section",
                "group": "GrandTotal",
            }
        )
        return {
            "Header": {
                "Time": _now(),
                "ReportName": "TrialBalance",
                "ReportBasis": "Accrual",
                "StartPeriod": query.get("start_date"),
                "EndPeriod": query.get("end_date"),
                "Currency": CURRENCY["value"],
                "Option": [
                    {"Name": "NoReportData", "Value": "false" if totals else "true"}
                ],
            },
            "Columns": {
                "Column": [
                    {"ColTitle": "", "ColType": "Account"},
                    {"ColTitle": "Debit", "ColType": "Money"},
                    {"ColTitle": "Credit", "ColType": "Money"},
                ]
            },
            "Rows": {"Row": rows},
        }

    # -- writes ---------------------------------------------------------
    def write(self, realm, rest, body):
        books = self.sandbox.books
        entity = BY_PATH.get(rest.split("?")[0])
        if not entity:
            return 404, fault(404, "Unsupported Operation", rest, "SERVICE")
        unknown = self.unknown(entity, body)
        if unknown:
            return unknown
        self.sandbox.writes += 1
        current = None
        if body.get("Id"):
            current = books.find(realm, entity, body["Id"])
            if not current:
                return 400, fault(
                    610,
                    "Object Not Found",
                    "Object Not Found : %s %s" % (entity, body["Id"]),
                )
            if str(body.get("SyncToken")) != current["SyncToken"]:
                return 400, fault(
                    5010,
                    "Stale Object Error",
                    "Stale Object Error : You and another user were "
                    "working on the same thing.",
                )
        refused = self.check(realm, entity, body, current)
        if refused:
            return refused
        values = {
            k: v
            for k, v in body.items()
            if k not in ("Id", "SyncToken", "sparse", "MetaData")
        }
        values = books.complete(
            realm, entity, dict(copy.deepcopy(current or {}), **values), current
        )
        if current:
            row = books.touch(current, **values)
        else:
            row = books.add(realm, entity, values)
            books.after_write(realm, entity, row)
        return 200, {entity: row, "time": _now()}

    @staticmethod
    def unknown(entity, body):
        """Fault 2010 for the first property the entity's class does not know
        (Jackson stops at the first), in the body or in one of its lines."""
        if entity not in KNOWN:
            return None
        for name in body:
            if name not in KNOWN[entity]:
                return 400, unknown_property(entity, name)
        for line in body.get("Line") or []:
            for name in line if isinstance(line, dict) else ():
                if name not in KNOWN["Line"]:
                    return 400, unknown_property("Line", name)
        return None

    def check(self, realm, entity, body, current):
        books = self.sandbox.books
        if entity == "Customer":
            name = body.get("DisplayName") or (current or {}).get("DisplayName")
            if not name:
                return 400, fault(
                    6000,
                    "A business validation error has occurred while processing your request",
                    "Business Validation Error: DisplayName is required",
                )
            if any(
                r["DisplayName"] == name and r is not current
                for r in books.companies[realm]["Customer"]
            ):
                return 400, fault(
                    6240,
                    "Duplicate Name Exists Error",
                    "The name supplied already exists. : null",
                )
        if entity in ("Invoice", "CreditMemo", "Payment"):
            reference = (
                body.get("CustomerRef") or (current or {}).get("CustomerRef") or {}
            ).get("value")
            if not books.find(realm, "Customer", reference):
                return 400, fault(
                    2500,
                    "Invalid Reference Id",
                    "Invalid Reference Id : Customer assigned to this "
                    "transaction has been deleted.",
                )
        if entity in ("Invoice", "CreditMemo"):
            if body.get("DocNumber") and any(
                r.get("DocNumber") == body["DocNumber"] and r is not current
                for r in books.companies[realm][entity]
            ):
                return 400, fault(
                    6140,
                    "Duplicate Document Number Error",
                    "Duplicate Document Number Error : You "
                    "must specify a different number. This number has already been used.",
                )
            checked = self._check_sales_lines(realm, body)
            if checked:
                return checked
        if entity == "Payment":
            for line in body.get("Line") or []:
                for linked in line.get("LinkedTxn") or []:
                    invoice = books.find(realm, "Invoice", linked.get("TxnId"))
                    if (
                        not invoice
                        or float(line["Amount"]) > invoice["Balance"] + 0.005
                    ):
                        return 400, fault(
                            6000,
                            "A business validation error has occurred while processing your "
                            "request",
                            "Business Validation Error: the payment is more than the "
                            "invoice balance",
                        )
        if entity == "JournalEntry":
            return self._check_journal(realm, body)
        return None

    def _check_sales_lines(self, realm, body):
        """An invoice's or credit memo's item lines: items, tax codes, amounts."""
        books = self.sandbox.books
        for line in body.get("Line") or []:
            if line.get("DetailType") != "SalesItemLineDetail":
                continue
            detail = line.get("SalesItemLineDetail") or {}
            if not books.find(
                realm, "Item", (detail.get("ItemRef") or {}).get("value")
            ):
                return 400, fault(
                    2500,
                    "Invalid Reference Id",
                    "Invalid Reference Id : Item not found",
                )
            tax = (detail.get("TaxCodeRef") or {}).get("value")
            if tax and not books.find(realm, "TaxCode", tax):
                return 400, fault(
                    2500,
                    "Invalid Reference Id",
                    "Invalid Reference Id : TaxCode not found",
                )
            if (
                detail.get("Qty") is not None
                and detail.get("UnitPrice") is not None
                and abs(
                    _money(line.get("Amount"))
                    - round(float(detail["Qty"]) * float(detail["UnitPrice"]), 2)
                )
                > 0.005
            ):
                return 400, fault(
                    6070,
                    "Amount is not equal to UnitPrice * Qty",
                    "Amount is not equal to UnitPrice * Qty. Supplied value:%s"
                    % line.get("Amount"),
                )
        return None

    def _check_journal(self, realm, body):
        """A journal entry balances and names its accounts (and customers for A/R)."""
        books = self.sandbox.books
        lines = body.get("Line") or []
        signed = sum(
            float(line["Amount"])
            * (1 if line["JournalEntryLineDetail"]["PostingType"] == "Debit" else -1)
            for line in lines
        )
        if len(lines) < 2 or abs(signed) > 0.005:
            return 400, fault(
                6000,
                "A business validation error has occurred while processing your request",
                "Business Validation Error: Transaction Not Balanced",
            )
        for line in lines:
            detail = line["JournalEntryLineDetail"]
            account = books.find(realm, "Account", detail["AccountRef"].get("value"))
            if not account:
                return 400, fault(
                    2500,
                    "Invalid Reference Id",
                    "Invalid Reference Id : Account not found",
                )
            entity_ref = detail.get("Entity") or {}
            customer = entity_ref.get("Type") == "Customer" and books.find(
                realm, "Customer", (entity_ref.get("EntityRef") or {}).get("value")
            )
            if account.get("AccountType") == RECEIVABLE and not customer:
                return 400, fault(
                    6000,
                    "A business validation error has occurred while processing your "
                    "request",
                    "Business Validation Error: When you use Accounts Receivable, you "
                    "must choose a customer in the Name field.",
                )
        return None


def _compare(value, operator, wanted):
    value = "" if value is None else str(value)
    return {
        "=": value == wanted,
        ">": value > wanted,
        "<": value < wanted,
        ">=": value >= wanted,
        "<=": value <= wanted,
    }[operator]


def make_server(host="127.0.0.1", port=9040, seed_path=None):
    return seeded_server(QuickBooksSandbox, QuickBooksHandler, host, port, seed_path)


def main():
    serve(
        __doc__,
        make_server,
        "QuickBooks Online sandbox",
        9040,
        "JSON file with companies and their records",
    )


if __name__ == "__main__":
    main()
