# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""QuickBooksClient: QuickBooks Online Accounting API v3 for one company (realm).

What each behaviour rests on (Intuit's documentation or recorded traffic)
is listed in README.md beside this file."""
import time
import uuid

from ..base import (
    Account,
    AccountingClient,
    Allocation,
    AuthError,
    ConnectorError,
    Customer,
    ProtocolError,
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

HOSTS = {
    "production": "https://quickbooks.api.intuit.com/",
    "sandbox": "https://sandbox-quickbooks.api.intuit.com/",
}
AUTHORIZE_URL = "https://appcenter.intuit.com/connect/oauth2"
TOKEN_URL = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
SCOPE = "com.intuit.quickbooks.accounting"
# Since 2025-08-01 Intuit serves minor version 75 to every request that asks
# for less (or for none): ask for what is served.
MINOR_VERSION = "75"
PAGE = 1000
STALE, DUPLICATE_NAME = "5010", "6240"
RECEIVABLE = "Accounts Receivable"
# kind → QuickBooks entity
ENTITIES = {
    "sales": "Invoice",
    "credit_note": "CreditMemo",
    "receipt": "Payment",
    "journal": "JournalEntry",
}
KINDS = {entity: kind for kind, entity in ENTITIES.items()}
# Where requestids are derived from: the same write always sends the same one.
REQUEST_NAMESPACE = uuid.UUID("6f0c6f8e-3b7a-4f0e-9a55-5d2a1c7e9b10")


def oauth_client(
    client_id, client_secret, authorize_url=None, token_url=None, timeout=30.0
):
    """Intuit's OAuth 2.0 server: client credentials as HTTP Basic; the
    refresh token rotates (the newest must be kept)."""
    return OAuthClient(
        authorize_url or AUTHORIZE_URL,
        token_url or TOKEN_URL,
        client_id,
        client_secret,
        SCOPE,
        basic_auth=True,
        timeout=timeout,
    )


def quote(value):
    """A string literal of QuickBooks' query language."""
    return "'%s'" % str(value).replace("\\", "\\\\").replace("'", "\\'")


class QuickBooksClient(AccountingClient):
    """``auth``: a :class:`~..oauth.BearerAuth`. Cursors are
    ``MetaData.LastUpdatedTime``; versions are ``SyncToken``s; every write
    carries a ``requestid`` derived from what it writes, so a retried request
    is answered with the first result instead of booking twice."""

    system, label = "quickbooks", "QuickBooks Online"
    pulls = frozenset(
        ("customers", "accounts", "invoices", "payments", "journals", "trial_balance")
    )
    pushes = frozenset(("customers", "invoices", "payments", "journals"))
    needs_oauth = True
    account_kinds = {
        "Income": "revenue",
        "Other Income": "other_income",
        "Expense": "expenses",
        "Other Expense": "expenses",
        "Cost of Goods Sold": "direct_costs",
        "Bank": "liquidity",
        "Credit Card": "credit_card",
        "Other Current Asset": "current_assets",
        "Fixed Asset": "fixed_assets",
        "Other Asset": "non_current_assets",
        "Equity": "equity",
        "Other Current Liability": "current_liabilities",
        "Long Term Liability": "non_current_liabilities",
        "Accounts Receivable": "receivable",
        "Accounts Payable": "payable",
    }
    note = (
        "QuickBooks Online (API v3): customers and invoices both ways, payments, "
        "credit notes and journals out, chart of accounts, payments, journals and "
        "trial balance in. Connect with your Intuit app's client ID and secret "
        "(developer.intuit.com), then Connect."
    )

    @classmethod
    def from_settings(cls, settings):
        if not settings.get("realm_id"):
            raise SettingsMissing(
                "Connect first: QuickBooks gives the company's realmId when you do."
            )
        return cls(
            settings["realm_id"],
            settings["auth"],
            settings.get("environment") or "production",
            base_url=settings.get("url"),
            timeout=settings.get("timeout") or 30,
            sales_item=settings.get("sales_item") or "Sales",
        )

    @classmethod
    def oauth_client(cls, client_id, client_secret, settings):
        base = settings.get("oauth_url") and settings["oauth_url"].rstrip("/") + "/"
        return oauth_client(
            client_id,
            client_secret,
            base and base + "connect/oauth2",
            base and base + "oauth2/v1/tokens/bearer",
            timeout=settings.get("timeout") or 30,
        )

    def __init__(
        self,
        realm_id,
        auth,
        environment="production",
        base_url=None,
        timeout=30.0,
        session=None,
        sales_item="Sales",
    ):
        self.realm_id = str(realm_id)
        self.auth = auth
        root = (base_url or HOSTS[environment]).rstrip("/") + "/"
        self.http = HttpTransport(
            "QuickBooks", root + "v3/company/%s/" % self.realm_id, timeout, session
        )
        self.sales_item = sales_item
        self._cache = {}
        self._accounts = (
            None  # Id → Account row, read once when a journal line needs its type
        )
        self._doc_numbers = (
            {}
        )  # invoice Id → DocNumber, of the invoices this client has read

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------
    def _call(self, method, path, params=None, body=None):
        """``(ok, answer)``: the answer body, or its ``Fault`` when not ok."""
        params = dict(params or {}, minorversion=MINOR_VERSION)
        response = self.auth.send(
            lambda token: self.http.request(
                method,
                path,
                passthrough=(400, 401, 429),
                params=params,
                json=body,
                headers={
                    "Authorization": "Bearer %s" % token,
                    "Accept": "application/json",
                },
            )
        )
        try:
            answer = response.json()
        except ValueError:
            answer = None
        fault = (
            (answer.get("Fault") or answer.get("fault"))
            if isinstance(answer, dict)
            else None
        )
        if (
            response.status_code == 401
        ):  # after one renewal: the token is refused (body may be anything)
            raise AuthError(
                "QuickBooks refused the access token: %s" % _fault_text(fault)
            )
        if response.status_code == 429:
            raise TransientError(
                "QuickBooks: too many requests (%s)" % _fault_text(fault),
                retry_after=retry_after(response) or 60,
            )
        if not isinstance(answer, dict):
            raise ProtocolError(
                "QuickBooks answered something that is not a JSON object (HTTP %d)"
                % response.status_code
            )
        if fault:
            return False, fault
        if response.status_code >= 400:
            raise ProtocolError(
                "QuickBooks answered HTTP %d without a Fault" % response.status_code
            )
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
            text = (
                "select * from %s%s ORDERBY MetaData.LastUpdatedTime "
                "STARTPOSITION %d MAXRESULTS %d"
                % (
                    entity,
                    (" where " + " and ".join(conditions)) if conditions else "",
                    start,
                    PAGE,
                )
            )
            rows = (
                self._read("query", {"query": text}).get("QueryResponse") or {}
            ).get(entity) or []
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
        return time.time() - started, "company %s (realm %s)" % (
            info.get("CompanyName"),
            self.realm_id,
        )

    def iter_customers(self, since=None):
        for row in self.query("Customer", since=since):
            yield _customer(row)

    def find_customer(self, name_or_id):
        row = self._customer_row(name_or_id)
        return _customer(row) if row else None

    def _customer_row(self, name_or_id):
        if str(name_or_id).isdigit():
            ok, answer = self._call("GET", "customer/%s" % name_or_id)
            if ok and answer.get("Customer"):
                return answer["Customer"]
        rows = list(self.query("Customer", "DisplayName = %s" % quote(name_or_id)))
        return rows[0] if rows else None

    def iter_vouchers(self, kinds=None, since=None, date_from=None, date_to=None):
        for kind in kinds or ENTITIES:
            if kind not in ENTITIES:
                continue
            for row in self.query(ENTITIES[kind], since=since):
                voucher = self._voucher(kind, row)
                if (date_from and voucher.date < date_from) or (
                    date_to and voucher.date > date_to
                ):
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
        """Accounts by their fully qualified name ("Truck:Depreciation"), the
        name transactions and reports give them."""
        for row in self.query("Account"):
            yield Account(
                name=_account_name(row),
                groups=(row.get("AccountType"),),
                code=row.get("AcctNum"),
                external_id=str(row["Id"]),
                version=row.get("SyncToken"),
            )

    def trial_balance(self, date_from, date_to):
        """One row per account of the report; the GrandTotal section (and any
        other summary row) is not an account."""
        report = self._read(
            "reports/TrialBalance", {"start_date": date_from, "end_date": date_to}
        )
        return list(_report_rows(report.get("Rows")))

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def _write(self, entity, body, request_key):
        """POST with a requestid derived from ``request_key``."""
        request_id = str(
            uuid.uuid5(REQUEST_NAMESPACE, "%s|%s" % (self.realm_id, request_key))
        )
        return self._call("POST", entity.lower(), {"requestid": request_id}, body)

    def push_customer(self, customer, alter=False):
        """Create, or update with the SyncToken the hub last saw
        (``customer.version``; a fresh one when None): a ``stale`` result
        says QuickBooks changed the customer since."""
        address = {
            "Line1": customer.street or "",
            "City": customer.city or "",
            "PostalCode": customer.zip or "",
        }
        if customer.state:
            address["CountrySubDivisionCode"] = customer.state
        if customer.country:
            address["Country"] = customer.country
        body = {
            "DisplayName": customer.name[:500],
            "PrimaryPhone": {"FreeFormNumber": customer.phone or ""},
            "Mobile": {"FreeFormNumber": customer.mobile or ""},
            "BillAddr": address,
        }
        if customer.email:
            body["PrimaryEmailAddr"] = {"Address": customer.email}
        if customer.gstin:
            body.update(GSTIN=customer.gstin, GSTRegistrationType="GST_REG_REG")
        if alter and customer.external_id:
            token = (
                customer.version
                or self._read("customer/%s" % customer.external_id)["Customer"][
                    "SyncToken"
                ]
            )
            body.update(Id=customer.external_id, SyncToken=token, sparse=True)
            ok, answer = self._write(
                "Customer", body, "customer|%s|%s" % (customer.external_id, token)
            )
        else:
            ok, answer = self._write(
                "Customer", body, "customer|new|%s" % customer.name
            )
        if ok:
            saved = answer["Customer"]
            return WriteResult(
                customer.name,
                "altered" if alter else "created",
                str(saved["Id"]),
                version=saved.get("SyncToken"),
            )
        code = _fault_code(answer)
        if code == STALE:
            return WriteResult(
                customer.name, "stale", customer.external_id, _fault_text(answer)
            )
        if code == DUPLICATE_NAME and not alter:
            existing = self.find_customer(customer.name)
            if existing:
                return WriteResult(
                    customer.name,
                    "linked",
                    existing.external_id,
                    version=existing.version,
                )
        return WriteResult(
            customer.name, "failed", None, "QuickBooks: %s" % _fault_text(answer)
        )

    def push_voucher(self, voucher, alter=False):
        entity = ENTITIES.get(voucher.kind)
        if not entity:
            raise ConnectorError(
                "QuickBooks takes invoices, credit notes, payments and journals, not %s"
                % voucher.kind
            )
        try:
            body = getattr(self, "_%s_body" % voucher.kind)(voucher)
        except ConnectorError as error:
            return WriteResult(voucher.number, "failed", None, str(error))
        key = "%s|%s" % (entity, voucher.remote_id)
        if alter and voucher.external_id:
            token = self._read("%s/%s" % (entity.lower(), voucher.external_id))[entity][
                "SyncToken"
            ]
            body.update(Id=voucher.external_id, SyncToken=token, sparse=True)
            key += "|%s" % token
        ok, answer = self._write(entity, body, key)
        if not ok:
            if _fault_code(answer) == STALE:
                return WriteResult(
                    voucher.number, "stale", voucher.external_id, _fault_text(answer)
                )
            return WriteResult(
                voucher.number, "failed", None, "QuickBooks: %s" % _fault_text(answer)
            )
        saved = answer[entity]
        return WriteResult(
            voucher.number,
            "altered" if alter else "created",
            str(saved["Id"]),
            version=saved.get("SyncToken"),
        )

    def _lookup_row(self, entity, name, field="Name"):
        """The row of ``entity`` whose ``field`` is ``name``, or None (cached)."""
        cache = self._cache.setdefault((entity, field), {})
        if name not in cache:
            rows = list(self.query(entity, "%s = %s" % (field, quote(name))))
            cache[name] = rows[0] if rows else None
        return cache[name]

    def _lookup(self, entity, name):
        row = self._lookup_row(entity, name)
        if not row:
            raise ConnectorError(
                "QuickBooks has no %s named '%s'" % (entity.lower(), name)
            )
        return str(row["Id"])

    def _sales_lines(self, voucher):
        """Item lines, each with ``Amount = Qty × UnitPrice`` as QuickBooks
        requires. What the hub discounted goes on one DiscountLineDetail line
        after them (QuickBooks' discount is the transaction's: it spreads it
        over the lines in proportion to their amounts before charging tax);
        when that spread would tax the lines otherwise than the hub did (lines
        at different GST rates discounted unequally), each discounted line is
        sent at its discounted unit price instead, its description saying
        what it was discounted from."""
        items = list(voucher.items or [])
        full = []
        for item in items:
            quantity = item.quantity or 1
            price = item.price if item.price is not None else item.amount / quantity
            if round(item.amount, 2) > round(
                quantity * price, 2
            ):  # priced above its unit price: no discount
                price = item.amount / quantity
            full.append((quantity, price, round(quantity * price, 2)))
        discount = round(
            sum(gross for _q, _p, gross in full)
            - sum(round(item.amount, 2) for item in items),
            2,
        )
        as_discount_line = discount >= 0.01 and self._same_taxes(
            items, [gross for _q, _p, gross in full], discount
        )
        lines = []
        for item, (quantity, price, gross) in zip(items, full):
            name = item.name
            if not as_discount_line and gross - round(item.amount, 2) >= 0.01:
                name = "%s (%s at %.2f, less %.2f)" % (
                    item.name,
                    _number(quantity),
                    price,
                    gross - round(item.amount, 2),
                )
                price, gross = item.amount / quantity, round(item.amount, 2)
            detail = {
                "ItemRef": {"value": self._lookup("Item", self.sales_item)},
                "Qty": quantity,
                "UnitPrice": price,
            }
            if item.amount and item.tax_amount:
                detail["TaxCodeRef"] = {
                    "value": self._lookup(
                        "TaxCode",
                        "GST %g%%" % round(100.0 * item.tax_amount / item.amount, 2),
                    )
                }
            lines.append(
                {
                    "DetailType": "SalesItemLineDetail",
                    "Amount": gross,
                    "Description": name,
                    "SalesItemLineDetail": detail,
                }
            )
        if as_discount_line:
            lines.append(
                {
                    "DetailType": "DiscountLineDetail",
                    "Amount": discount,
                    "DiscountLineDetail": {"PercentBased": False},
                }
            )
        return lines

    @staticmethod
    def _same_taxes(items, gross, discount):
        """Whether QuickBooks, spreading ``discount`` over the lines by their
        amounts and taxing what is left, charges each line the hub's tax."""
        for item, base in zip(items, _spread(gross, -discount)):
            rate = (
                round(100.0 * item.tax_amount / item.amount, 2) if item.amount else 0.0
            )
            if (
                abs(round(base * rate / 100.0, 2) - round(item.tax_amount or 0.0, 2))
                >= 0.005
            ):
                return False
        return True

    def _sales_body(self, voucher):
        lines = self._sales_lines(voucher)
        body = {
            "CustomerRef": {"value": voucher.party_id},
            "DocNumber": voucher.number,
            "TxnDate": str(voucher.date),
            "PrivateNote": voucher.remote_id,
            "Line": lines,
        }
        if any(line["DetailType"] == "DiscountLineDetail" for line in lines):
            body[
                "ApplyTaxAfterDiscount"
            ] = True  # GST is charged on the discounted value
        return body

    _credit_note_body = _sales_body

    def _receipt_body(self, voucher):
        if voucher.allocations:
            amount = round(
                sum(line.amount for line in voucher.lines if not line.debit), 2
            )
            shares = [
                (
                    allocation.invoice_external_id
                    or self._invoice_id(allocation.invoice_number),
                    round(allocation.amount, 2),
                )
                for allocation in voucher.allocations
            ]
        else:
            amount, shares = receipt_allocation(
                voucher,
                lambda number: [
                    (row["Id"], row.get("Balance"))
                    for row in self.query("Invoice", "DocNumber = %s" % quote(number))
                ],
            )
        return {
            "CustomerRef": {"value": voucher.party_id},
            "TotalAmt": amount,
            "TxnDate": str(voucher.date),
            "PaymentRefNum": (voucher.number or "")[:21],
            "PrivateNote": voucher.remote_id,
            "Line": [
                {
                    "Amount": share,
                    "LinkedTxn": [{"TxnId": invoice, "TxnType": "Invoice"}],
                }
                for invoice, share in shares
            ],
        }

    def _invoice_id(self, number):
        rows = (
            list(self.query("Invoice", "DocNumber = %s" % quote(number)))
            if number
            else []
        )
        if not rows:
            raise ConnectorError(
                "QuickBooks has no invoice numbered '%s' to apply the payment to"
                % number
            )
        return str(rows[0]["Id"])

    def _journal_body(self, voucher):
        return {
            "TxnDate": str(voucher.date),
            "DocNumber": (voucher.number or "")[:21],
            "PrivateNote": voucher.remote_id,
            "Line": [self._journal_line(voucher, line) for line in voucher.lines],
        }

    def _journal_line(self, voucher, line):
        """A line on an account; a line on a customer (a party ledger, as
        Tally names it) is a line on Accounts Receivable with the customer as
        its Entity, which QuickBooks requires on every A/R line."""
        account = self._account_row(line.account)
        customer = None
        if account is None:
            customer = self._customer_row(line.account) if line.account else None
            if not customer:
                raise ConnectorError(
                    "QuickBooks has no account or customer named '%s'" % line.account
                )
            account = self._receivable_account()
        elif account.get("AccountType") == RECEIVABLE:
            reference = voucher.party_id or voucher.party
            customer = self._customer_row(reference) if reference else None
            if not customer:
                raise ConnectorError(
                    "QuickBooks needs the customer of the line on '%s' (Accounts Receivable): "
                    "the journal names none" % line.account
                )
        detail = {
            "PostingType": "Debit" if line.debit else "Credit",
            "AccountRef": {"value": str(account["Id"])},
        }
        if customer:
            detail["Entity"] = {
                "Type": "Customer",
                "EntityRef": {
                    "value": str(customer["Id"]),
                    "name": customer.get("DisplayName"),
                },
            }
        return {
            "DetailType": "JournalEntryLineDetail",
            "Amount": line.amount,
            "Description": voucher.narration or "",
            "JournalEntryLineDetail": detail,
        }

    def _account_row(self, name):
        if not name:
            return None
        return self._lookup_row(
            "Account", name, "FullyQualifiedName" if ":" in name else "Name"
        )

    def _receivable_account(self):
        cache = self._cache.setdefault(("Account", "AccountType"), {})
        if RECEIVABLE not in cache:
            rows = list(self.query("Account", "AccountType = %s" % quote(RECEIVABLE)))
            cache[RECEIVABLE] = rows[0] if rows else None
        if not cache[RECEIVABLE]:
            raise ConnectorError(
                "QuickBooks has no Accounts Receivable account for the customer's line"
            )
        return cache[RECEIVABLE]

    def _account_type(self, account_id):
        if self._accounts is None:
            self._accounts = {str(row["Id"]): row for row in self.query("Account")}
        return (self._accounts.get(str(account_id)) or {}).get("AccountType")

    # ------------------------------------------------------------------
    # QuickBooks documents → vouchers
    # ------------------------------------------------------------------
    def _voucher(self, kind, row):
        if not isinstance(row, dict) or row.get("Id") is None:
            raise ProtocolError(
                "QuickBooks sent a %s without an Id" % ENTITIES.get(kind, kind)
            )
        party = (row.get("CustomerRef") or {}).get("name")
        party_id = (row.get("CustomerRef") or {}).get("value")
        items, lines, allocations = None, [], None
        if kind in ("sales", "credit_note"):
            if kind == "sales" and row.get("DocNumber"):
                self._doc_numbers[str(row["Id"])] = row["DocNumber"]
            items = _items(row)
            lines = _document_lines(row, party, items, kind == "sales")
        elif kind == "receipt":
            amount = float(row.get("TotalAmt") or 0)
            deposit = (row.get("DepositToAccountRef") or {}).get(
                "name"
            ) or "Undeposited Funds"
            lines = [
                VoucherLine(deposit, amount, True),
                VoucherLine(party, amount, False),
            ]
            allocations = self._allocations(row)
        else:
            party = party_id = None
            for line in row.get("Line") or []:
                if line.get("DetailType") not in (None, "JournalEntryLineDetail"):
                    continue  # DescriptionOnly lines carry no amount
                detail = line.get("JournalEntryLineDetail") or {}
                account = (detail.get("AccountRef") or {}).get("name")
                entity = detail.get("Entity") or {}
                customer = entity.get("EntityRef") or {}
                if (
                    entity.get("Type") == "Customer"
                    and customer.get("value")
                    and self._account_type(
                        (detail.get("AccountRef") or {}).get("value")
                    )
                    == RECEIVABLE
                ):
                    account = (
                        customer.get("name") or account
                    )  # the customer's own ledger, as Tally has it
                    if party_id is None:
                        party, party_id = customer.get("name"), str(customer["value"])
                lines.append(
                    VoucherLine(
                        account,
                        float(line.get("Amount") or 0),
                        detail.get("PostingType") == "Debit",
                    )
                )
        return Voucher(
            kind=kind,
            remote_id=row.get("PrivateNote") or None,
            number=row.get("DocNumber") or row.get("PaymentRefNum"),
            date=row.get("TxnDate"),
            party=party,
            party_id=party_id,
            narration=None,
            lines=lines,
            items=items,
            external_id=str(row["Id"]),
            version=row.get("SyncToken"),
            position=(row.get("MetaData") or {}).get("LastUpdatedTime"),
            allocations=allocations,
        )

    def _allocations(self, row):
        """What the payment paid: one Allocation per invoice linked on its
        lines, with the amount applied there (partial payments included);
        what it left unapplied is in no allocation."""
        allocations = []
        for line in row.get("Line") or []:
            extra = _line_ex(line)
            for linked in line.get("LinkedTxn") or []:
                if linked.get("TxnType") != "Invoice" or linked.get("TxnId") is None:
                    continue
                invoice = str(linked["TxnId"])
                number = (
                    extra.get("txnReferenceNumber")
                    if extra.get("txnId") in (None, invoice)
                    else None
                )
                allocations.append(
                    Allocation(
                        invoice,
                        number or self._doc_numbers.get(invoice),
                        round(float(line.get("Amount") or 0), 2),
                    )
                )
        return allocations


def _items(row):
    """The item lines of an invoice or credit memo as the hub books them:
    named by their description, else their item; ``amount`` after the
    transaction's discount (QuickBooks keeps it on a DiscountLineDetail line),
    ``tax_amount`` the line's share of the tax, so that the items add up to
    ``TotalAmt``."""
    sales, discount = [], 0.0
    for line in row.get("Line") or []:
        kind = line.get("DetailType")
        if kind == "SalesItemLineDetail":
            sales.append(line)
        elif kind == "GroupLineDetail":  # a bundle: its own item lines
            sales.extend(
                sub_line
                for sub_line in (line.get("GroupLineDetail") or {}).get("Line") or []
                if sub_line.get("DetailType") == "SalesItemLineDetail"
            )
        elif kind == "DiscountLineDetail":
            discount += float(line.get("Amount") or 0)
    gross = [round(float(line.get("Amount") or 0), 2) for line in sales]
    amounts = _spread(gross, -round(discount, 2))
    tax_detail = row.get("TxnTaxDetail") or {}
    taxes = _line_taxes(sales, amounts, tax_detail)
    items = []
    for line, gross_amount, amount, tax in zip(sales, gross, amounts, taxes):
        detail = line.get("SalesItemLineDetail") or {}
        quantity = float(detail.get("Qty") or 1)
        price = (
            float(detail["UnitPrice"])
            if detail.get("UnitPrice") is not None
            else gross_amount / quantity
        )
        items.append(
            VoucherItem(
                name=line.get("Description")
                or (detail.get("ItemRef") or {}).get("name")
                or "",
                quantity=quantity,
                price=price,
                amount=amount,
                tax_amount=tax,
                code=(detail.get("ItemRef") or {}).get("value"),
            )
        )
    return items


def _document_lines(row, party, items, sale=True):
    """The debit and credit lines of an invoice (a credit memo: the other
    way round): the customer for ``TotalAmt``, each item line for its amount
    after discount (on its item: QuickBooks names no account on the
    invoice), the tax for ``TotalTax``. They balance when QuickBooks'
    figures do; when they do not, the hub refuses the document."""
    lines = [VoucherLine(party, round(float(row.get("TotalAmt") or 0), 2), sale)]
    for item in items:
        if item.amount:
            lines.append(
                VoucherLine(
                    item.name or "Sales", abs(item.amount), (item.amount < 0) == sale
                )
            )
    tax = round(sum(item.tax_amount for item in items), 2)
    if tax:
        lines.append(VoucherLine("Tax", abs(tax), (tax < 0) == sale))
    return lines


def _line_taxes(sales, amounts, tax_detail):
    """Each line's tax: by the rate its tax code is charged at when the tax
    lines say so (each TaxLine's ``NetAmountTaxable`` is the base of one tax
    code), else the total tax shared over the taxable lines."""
    total = round(float(tax_detail.get("TotalTax") or 0), 2)
    if not sales or not total:
        return [0.0] * len(sales)
    codes = [
        ((line.get("SalesItemLineDetail") or {}).get("TaxCodeRef") or {}).get("value")
        for line in sales
    ]
    bases = {}
    for code, amount in zip(codes, amounts):
        if code and code != "NON":
            bases[code] = round(bases.get(code, 0.0) + amount, 2)
    rates = {}
    for tax_line in tax_detail.get("TaxLine") or []:
        detail = tax_line.get("TaxLineDetail") or {}
        matches = [
            code
            for code, base in bases.items()
            if abs(base - float(detail.get("NetAmountTaxable") or -1)) < 0.005
        ]
        if len(matches) != 1 or detail.get("TaxPercent") is None:
            rates = None
            break
        rates[matches[0]] = rates.get(matches[0], 0.0) + float(detail["TaxPercent"])
    if rates and set(rates) == set(bases):
        taxes = [
            round(amount * rates.get(code, 0.0) / 100.0, 2)
            for code, amount in zip(codes, amounts)
        ]
        return _spread(taxes, round(total - sum(taxes), 2))
    weights = [amount if code != "NON" else 0.0 for code, amount in zip(codes, amounts)]
    if not sum(weights):
        weights = list(amounts)
    return _share(total, weights)


def _share(total, weights):
    """``total`` split in proportion to ``weights``, cents exact."""
    whole = sum(weights)
    if not whole:
        return [0.0] * len(weights)
    shares = [round(total * weight / whole, 2) for weight in weights]
    return _spread(shares, round(total - sum(shares), 2))


def _spread(values, change):
    """``values`` changed by ``change`` in all, in proportion to each (the
    last absorbs the rounding)."""
    if not values or not change:
        return [round(v, 2) for v in values]
    whole = sum(values)
    parts = [round(change * value / whole, 2) if whole else 0.0 for value in values]
    parts[-1] = round(change - sum(parts[:-1]), 2)
    return [round(value + part, 2) for value, part in zip(values, parts)]


def _line_ex(line):
    """The name/value pairs QuickBooks adds to a payment line (``LineEx``:
    txnId, txnOpenBalance, txnReferenceNumber)."""
    found = {}
    for entry in (line.get("LineEx") or {}).get("any") or []:
        value = entry.get("value") if isinstance(entry, dict) else None
        if isinstance(value, dict) and value.get("Name"):
            found[value["Name"]] = value.get("Value")
    return found


def _customer(row):
    address = row.get("BillAddr") or row.get("ShipAddr") or {}
    return Customer(
        external_id=str(row["Id"]),
        name=row.get("DisplayName"),
        phone=(row.get("PrimaryPhone") or {}).get("FreeFormNumber") or None,
        mobile=(row.get("Mobile") or {}).get("FreeFormNumber") or None,
        email=(row.get("PrimaryEmailAddr") or {}).get("Address") or None,
        gstin=row.get("GSTIN") or None,
        street=address.get("Line1") or None,
        city=address.get("City") or None,
        zip=address.get("PostalCode") or None,
        state=address.get("CountrySubDivisionCode") or None,
        country=address.get("Country") or None,
        version=row.get("SyncToken"),
        position=(row.get("MetaData") or {}).get("LastUpdatedTime"),
    )


def _account_name(row):
    return row.get("FullyQualifiedName") or row["Name"]


def _report_rows(rows):
    """Account rows of a report's ``Rows``, depth first: a row with
    ``ColData`` whose first cell names an account (it has an ``id``);
    sections are walked into, their ``Summary`` left out."""
    for row in (rows or {}).get("Row") or []:
        if row.get("Rows"):
            for line in _report_rows(row["Rows"]):
                yield line
        cells = row.get("ColData") or []
        if len(cells) >= 3 and cells[0].get("id") and row.get("type") != "Section":
            yield TrialBalanceLine(
                cells[0].get("value"),
                _money(cells[1].get("value")),
                _money(cells[2].get("value")),
            )


def _fault_errors(fault):
    errors = (fault or {}).get("Error") or (fault or {}).get("error") or []
    return errors if isinstance(errors, list) else [errors]


def _fault_code(fault):
    errors = _fault_errors(fault) or [{}]
    return str(errors[0].get("code") or "")


def _fault_text(fault):
    """Intuit writes ``Message``/``Detail``, or ``message``/``detail`` on
    authentication faults."""
    parts = []
    for error in _fault_errors(fault):
        message = error.get("Message") or error.get("message")
        detail = error.get("Detail") or error.get("detail")
        parts.append(
            "%s%s (code %s)"
            % (message, (": " + detail) if detail else "", error.get("code"))
        )
    return "; ".join(parts) or "no reason given"


def _number(value):
    return ("%f" % value).rstrip("0").rstrip(".")


def _money(value):
    try:
        return float(value or 0)
    except ValueError:
        return 0.0
