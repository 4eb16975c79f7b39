# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""TallyClient: the one place that talks to a Tally server."""
import re
import time

from ..base import (
    Account,
    AccountingClient,
    AuthError,
    ConnectorError,
    ProtocolError,
    Records,
    SettingsMissing,
    TransientError,
    WriteResult,
)
from ..http import HttpTransport
from . import envelopes, responses, spool

DEFAULT_PORT = 9000
# Tally's GUIDs: the company's GUID and a serial, e.g.
# "acbf1430-9c42-4e1a-b7b4-3b9bda154ffb-00002d18".
_GUID = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"(-[0-9a-fA-F]+)?$"
)
NO_COMPANY_ERRORS = (
    "Could not set 'SVCurrentCompany'",
    "Cannot detect First/Last voucher date",
)


class TallyClient(AccountingClient):
    """XML over HTTP to one company of a Tally server. Customers are the
    ledgers under ``customer_group`` (Sundry Debtors).

    Tally serves one request at a time: the hub sends them through a
    capacity-1 job channel; this client adds no concurrency of its own.
    """

    system, label = "tally", "Tally"
    pulls = frozenset(
        (
            "customers",
            "accounts",
            "invoices",
            "payments",
            "journals",
            "bank",
            "trial_balance",
        )
    )
    pushes = frozenset(("customers", "invoices", "payments", "journals", "bank"))
    account_kinds = {
        "Bank Accounts": "liquidity",
        "Cash-in-Hand": "liquidity",
        "Bank OD A/c": "credit_card",
        "Duties & Taxes": "current_liabilities",
        "Capital Account": "equity",
        "Reserves & Surplus": "equity",
        "Sales Accounts": "revenue",
        "Direct Incomes": "revenue",
        "Indirect Incomes": "other_income",
        "Purchase Accounts": "direct_costs",
        "Direct Expenses": "direct_costs",
        "Indirect Expenses": "expenses",
        "Fixed Assets": "fixed_assets",
        "Loans (Liability)": "non_current_liabilities",
        "Current Assets": "current_assets",
        "Current Liabilities": "current_liabilities",
        "Sundry Debtors": "receivable",
        "Sundry Creditors": "payable",
    }
    note = (
        "Tally: customers, invoices, payments, journals and bank entries both ways; "
        "chart of accounts and trial balance in. Tally's XML server must be on "
        "(F1 > Settings > Connectivity)."
    )

    @classmethod
    def from_settings(cls, settings):
        if not (settings.get("url") and settings.get("company")):
            raise SettingsMissing(
                "Set the server address and the Tally company name first."
            )
        return cls(
            settings["url"],
            settings["company"],
            timeout=settings.get("timeout") or 30,
            password=settings.get("password"),
            customer_group=settings.get("customer_group"),
        )

    def __init__(
        self,
        url,
        company,
        timeout=30.0,
        session=None,
        utf16=False,
        username=None,
        password=None,
        customer_group="Sundry Debtors",
    ):
        self.customer_group = customer_group or "Sundry Debtors"
        self.url = url.rstrip("/") + "/"
        self.company = company
        self.timeout = timeout
        self.http = HttpTransport("Tally", self.url, timeout, session)
        self.session = self.http.session
        self.utf16 = utf16
        self._voucher_types = None  # the voucher-type masters, read once per client
        if password:
            # Tally itself has no login; one placed behind an authenticating
            # proxy (the usual way to reach it over the internet) gets Basic auth.
            self.session.auth = (username or "tally", password)

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------
    def _encoded(self, xml_bytes):
        if self.utf16:
            return xml_bytes.decode("utf-8").encode("utf-16"), "text/xml;charset=utf-16"
        return xml_bytes, "text/xml;charset=utf-8"

    def _post(self, xml_bytes):
        data, content_type = self._encoded(xml_bytes)
        # The whole answer is read inside request(): one that breaks off on the
        # way is a TransientError there.
        body = self.http.request(
            "POST", "", data=data, headers={"Content-Type": content_type}
        ).content
        self._raise_for_company(body)
        return body

    def _post_to_file(self, xml_bytes):
        """``_post`` for answers that may be large (collections of every
        ledger or voucher): the answer is kept on disk, cleaned and checked
        whole, never held in memory (spool.py)."""
        data, content_type = self._encoded(xml_bytes)
        response = self.http.request(
            "POST", "", data=data, headers={"Content-Type": content_type}, stream=True
        )
        with spool.spool(response) as raw:
            self._raise_for_company(raw.read(4096))
            raw.seek(0)
            return spool.clean_file(raw)

    def _raise_for_company(self, body):
        head = responses.decode(body[:4096], errors="replace")
        for marker in NO_COMPANY_ERRORS:
            if marker in head:
                raise ConnectorError(
                    "Company '%s' is not open in Tally: open it there and retry."
                    % self.company
                )

    def test_connection(self):
        """Seconds the server took to answer ``GET /`` and its own words."""
        started = time.time()
        try:
            response = self.http.request("GET", "")
        except (AuthError, TransientError):
            raise
        except ConnectorError as error:
            raise ProtocolError(
                "%s does not answer like a Tally server: %s" % (self.url, error)
            ) from None
        text = re.sub(r"<[^>]+>", "", responses.decode(response.content)).strip()
        if "Running" not in text:
            raise ProtocolError(
                "%s does not answer like a Tally server: %s" % (self.url, text[:120])
            )
        return time.time() - started, responses.clean(text)

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def iter_customers(self, since=None):
        """Customer ledgers, streamed, optionally only those changed since
        ``since`` (an ALTERID: Tally's ALTERID grows on every change)."""
        answer = self._post_to_file(
            envelopes.ledgers_request(self.company, self.customer_group, since)
        )
        # The whole answer is here (on disk): count it first, so that a long
        # import can say how far it is.
        return Records(
            (
                responses.ledger_to_customer(element)
                for element in responses.iter_elements(answer, "LEDGER")
            ),
            expected=sum(1 for _element in responses.iter_elements(answer, "LEDGER")),
        )

    def find_ledger(self, name=None, guid=None):
        """The ledger named ``name`` (names are unique in a Tally company) or
        with GUID ``guid``, as a Customer, or None. Asked before re-sending a
        ledger whose create had an unknown outcome (a timeout), so that the
        hub links to it instead of creating it twice."""
        if guid:
            formula = "$GUID = %s" % envelopes.tdl_string(guid)
        else:
            formula = "$NAME = %s" % envelopes.tdl_string(name)
        body = self._post(
            envelopes.collection_request(
                self.company, "Ledger", envelopes.LEDGER_FIELDS, [formula]
            )
        )
        for element in responses.iter_elements(body, "LEDGER"):
            return responses.ledger_to_customer(element)
        return None

    def find_customer(self, name):
        """The ledger named ``name``, or with that GUID when ``name`` is a
        Tally GUID (the hub passes either), or None."""
        if name and _GUID.match(name):
            return self.find_ledger(guid=name) or self.find_ledger(name=name)
        return self.find_ledger(name=name)

    def groups(self):
        """``{group: parent}`` of every group; top groups have parent None."""
        body = self._post(envelopes.groups_request(self.company))
        parents = {}
        for element in responses.iter_elements(body, "GROUP"):
            name, parent = responses.group_from_element(element)
            if name:
                parents[name] = parent
        return parents

    def iter_accounts(self):
        """Every ledger as an Account with its group path."""
        parents = self.groups()
        body = self._post(envelopes.ledgers_request(self.company))
        for element in responses.iter_elements(body, "LEDGER"):
            customer = responses.ledger_to_customer(element)
            path, group = [], customer.group
            while group and group not in path:
                path.append(group)
                group = parents.get(group)
            yield Account(
                name=customer.name,
                groups=tuple(path),
                external_id=customer.external_id,
                version=customer.version,
            )

    def voucher_type_masters(self, refresh=False):
        """``{name: (reserved name or None, parent or None)}`` of the
        company's voucher types, read once per client (a sync run)."""
        if self._voucher_types is None or refresh:
            body = self._post(envelopes.voucher_types_request(self.company))
            masters = {}
            for element in responses.iter_elements(body, "VOUCHERTYPE"):
                name, reserved, parent = responses.voucher_type_from_element(element)
                if name:
                    masters[name] = (reserved, parent)
            self._voucher_types = masters
        return self._voucher_types

    def voucher_types(self, refresh=False):
        """``{name: reserved type or None}``: which of Tally's types each of
        the company's voucher types is ("GST Sale Invoice" → "Sales")."""
        return responses.resolve_voucher_types(self.voucher_type_masters(refresh))

    def voucher_type_name(self, kind):
        """The company's name for the reserved type of ``kind``: the reserved
        type itself, even renamed ("GST Sale Invoice"), else a type under it."""
        reserved = envelopes.VOUCHER_TYPES[kind]
        masters = self.voucher_type_masters()
        own = sorted(
            name
            for name, (own_reserved, _parent) in masters.items()
            if own_reserved == reserved
        )
        if own:
            return reserved if reserved in own else own[0]
        under = sorted(
            name for name, value in self.voucher_types().items() if value == reserved
        )
        return reserved if reserved in masters or not under else under[0]

    def iter_vouchers(self, kinds=None, since=None, date_from=None, date_to=None):
        """Vouchers (of ``kinds``, all when None) in a date range and/or
        altered after an ALTERID. Kinds are those of the vouchers' reserved
        types (a "GST Sale Invoice" type whose reserved name is Sales gives
        sales). Cancelled, optional and deleted vouchers are left out.

        A voucher from which no line can be read comes with ``lines=[]``
        (responses.voucher_problem() gives the reason): the iteration goes
        on with the other records."""
        voucher_types = self.voucher_types()
        answer = self._post_to_file(
            envelopes.vouchers_request(
                self.company, _tally_date(date_from), _tally_date(date_to), since
            )
        )
        for element in responses.iter_elements(answer, "VOUCHER"):
            if not responses.voucher_counts(element):
                continue
            voucher = responses.voucher_from_element(element, voucher_types)
            if not kinds or voucher.kind in kinds:
                yield voucher

    def find_voucher(self, remote_id, date, number=None, kind=None):
        """The voucher this side created with ``remote_id``, or None: asked
        before re-sending after an unknown outcome (a timeout), so nothing
        books twice. Tally keeps the REMOTEID it was sent (matched against the
        GUID too: Tally writes a voucher's REMOTEID and GUID alike);
        ``number`` and ``kind`` are for systems that do not."""
        for voucher in self.iter_vouchers(date_from=date, date_to=date):
            if remote_id and remote_id in (voucher.remote_id, voucher.external_id):
                return voucher
        return None

    def trial_balance(self, date_from, date_to):
        body = self._post(
            envelopes.report_request(
                self.company,
                "Trial Balance",
                _tally_date(date_from),
                _tally_date(date_to),
            )
        )
        return responses.trial_balance(body)

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def push_customer(self, customer, alter=False):
        """Create or alter a customer ledger; the result carries the ledger's
        GUID (read back: Tally's import answer does not give it)."""
        body = self._post(
            envelopes.ledger_import(self.company, customer, self.customer_group, alter)
        )
        result = responses.write_result(customer.name, body, None)
        if (
            result.action == "failed"
            and not alter
            and "Duplicate name" in (result.error or "")
        ):
            existing = self.find_ledger(
                name=customer.name
            )  # names are unique in a Tally company
            if existing:
                # No version: Odoo has not read this ledger yet, the next pull must
                # take what it holds.
                return WriteResult(customer.name, "linked", existing.external_id)
        if result.action in ("created", "altered"):
            saved = self.find_customer(customer.name)
            result = result._replace(external_id=saved.external_id if saved else None)
        return result

    def push_voucher(self, voucher, alter=False):
        """Create or alter (by REMOTEID) a voucher; the result carries its GUID."""
        body = self._post(
            envelopes.voucher_import(
                self.company, voucher, alter, self.voucher_type_name(voucher.kind)
            )
        )
        result = responses.write_result(voucher.remote_id, body, None)
        if result.action in ("created", "altered"):
            saved = self.find_voucher(voucher.remote_id, voucher.date)
            result = result._replace(external_id=saved.external_id if saved else None)
        return result


def _tally_date(value):
    return value.replace("-", "") if value else None
