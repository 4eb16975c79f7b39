# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every connector takes and returns, and the errors it raises."""
from collections import namedtuple


class ConnectorError(Exception):
    """An accounting system refused or failed a request."""


class TransientError(ConnectorError):
    """Worth retrying later: network fault, timeout, busy server, HTTP 429 or
    5xx. ``retry_after`` is the server's own hint in seconds, if it gave one."""

    def __init__(self, message, retry_after=None):
        super(TransientError, self).__init__(message)
        self.retry_after = retry_after


class QuotaExhausted(TransientError):
    """The system's API quota for the period (Zoho: the day) is used up:
    the connection pauses until ``retry_after`` seconds from now."""


class AuthError(ConnectorError):
    """Credentials refused: retrying will not help until an admin acts."""


class ProtocolError(ConnectorError):
    """The system answered something that is not its protocol."""


class SettingsMissing(ConnectorError):
    """The connection lacks a setting the client needs (said in words)."""


# A customer as accounting systems hold it (a Tally ledger under Sundry
# Debtors, a Zoho contact, a QuickBooks Customer...). ``version`` is the
# system's change marker (Tally ALTERID, QuickBooks SyncToken), None where
# the system keeps none (Busy, Marg: changes are found by content).
# ``position`` is where an incremental read resumes when it is not the
# version (Busy: the master code; Marg: the DateTime of the page).
# ``gst_treatment`` is the customer's GST registration type in Zoho's words
# (business_gst, business_composition, business_none, consumer, overseas,
# special_economic_zone, deemed_export, ...), ``place_of_supply`` the
# two-letter state code GST is charged for (MH, KA, ...); None where the
# system does not say.
Customer = namedtuple(
    "Customer",
    [
        "external_id",
        "name",
        "phone",
        "mobile",
        "email",
        "gstin",
        "street",
        "city",
        "state",
        "zip",
        "country",
        "group",
        "opening_balance",
        "version",
        "position",
        "gst_treatment",
        "place_of_supply",
    ],
)
Customer.__new__.__defaults__ = (None,) * len(Customer._fields)

# One debit or credit line of a voucher/journal: ``amount`` is positive;
# ``debit`` says the side.
VoucherLine = namedtuple("VoucherLine", ["account", "amount", "debit", "bill_ref"])
VoucherLine.__new__.__defaults__ = (None,)

# An invoice line as systems with item-wise vouchers want it (Busy's
# ItemDetail, Marg's sales details): ``amount`` before tax, ``tax_amount``
# the GST on it.
VoucherItem = namedtuple(
    "VoucherItem", ["name", "quantity", "price", "amount", "tax_amount", "code"]
)
VoucherItem.__new__.__defaults__ = (0.0, None)

# What a received payment paid: one per invoice it was applied to in the
# accounting system (Zoho ``invoices[]``, QuickBooks ``LinkedTxn``);
# ``amount`` is the share applied to that invoice (less than its total for a
# partial payment). Either id may be None when the system gives only one.
Allocation = namedtuple(
    "Allocation", ["invoice_external_id", "invoice_number", "amount"]
)

# An accounting document: ``kind`` is sales, receipt, credit_note, journal,
# payment or contra; ``remote_id`` is the id this side gives it, stable
# across retries; ``items`` the invoice lines where the system has them;
# ``allocations`` (receipts) the invoices it paid, as Allocation tuples.
Voucher = namedtuple(
    "Voucher",
    [
        "kind",
        "remote_id",
        "number",
        "date",
        "party",
        "narration",
        "lines",
        "external_id",
        "version",
        "position",
        "items",
        "party_id",
        "allocations",
    ],
)
Voucher.__new__.__defaults__ = (None, None, None, None, None, None)


def receipt_allocation(voucher, open_invoices):
    """How a receipt pays the invoices its party line refers to:
    ``(amount, [(invoice, share)])``, oldest reference first, each share up
    to the invoice's open balance. ``open_invoices(number)`` gives the
    system's ``[(invoice, balance)]`` for one invoice number."""
    party = [line for line in voucher.lines if not line.debit]
    amount = round(sum(line.amount for line in party), 2)
    numbers = (
        [n.strip() for n in (party[0].bill_ref or "").split(",") if n.strip()]
        if party
        else []
    )
    shares, left = [], amount
    for number in numbers:
        for invoice, balance in open_invoices(number):
            share = min(left, float(balance or 0))
            if share > 0:
                shares.append((invoice, round(share, 2)))
                left -= share
    return amount, shares


def imbalance(voucher):
    """Debits minus credits of a voucher's lines, in paise-rounded rupees:
    0.0 for a voucher that balances (or has no lines)."""
    return round(
        sum(
            line.amount if line.debit else -line.amount for line in voucher.lines or ()
        ),
        2,
    )


class Records(object):
    """The records of a read, given one by one, and how many the system
    says there are (``expected``: None when it does not say, or not yet)."""

    def __init__(self, iterable, expected=None, source=None):
        self._iterator = iter(iterable)
        self._expected = expected
        self._source = (
            source  # another Records whose count this one reports (a wrapper's)
        )

    @property
    def expected(self):
        return self._source.expected if self._source is not None else self._expected

    @expected.setter
    def expected(self, value):
        self._expected = value

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._iterator)


def resume_point(record):
    """Where an incremental read resumes after ``record``."""
    position = getattr(record, "position", None)
    return position if position is not None else getattr(record, "version", None)


# A ledger account; ``groups`` is its group path from the nearest up
# (Tally: "HDFC Bank" → ("Bank Accounts", "Current Assets")).
Account = namedtuple("Account", ["name", "groups", "code", "external_id", "version"])
Account.__new__.__defaults__ = (None, None, None)

# A trial balance row: positive debit and credit closing amounts.
TrialBalanceLine = namedtuple("TrialBalanceLine", ["account", "debit", "credit"])

# The outcome of writing one record: ``action`` created / altered / linked
# / failed, or ``stale`` when the record changed there since the version the
# hub sent (QuickBooks' SyncToken): the hub applies its conflict policy.
# ``version`` is the record's change marker after the write, when known.
WriteResult = namedtuple(
    "WriteResult", ["key", "action", "external_id", "error", "version"]
)
WriteResult.__new__.__defaults__ = (None, None, None)


class AccountingClient(object):
    """The contract every accounting system's client keeps.

    What a system can do is said by the class attributes; the hub reads
    them and nothing else about systems. Records go in and out as the
    namedtuples above; ``since`` is a system's own change marker (a
    number, a timestamp) as the records' :func:`resume_point` gives it;
    dates are ``YYYY-MM-DD``. A method of a capability the system lacks
    raises ``NotImplementedError``."""

    #: the key a connection stores (``"tally"``) and the name people read
    system = None
    label = None
    #: entities it can read into Odoo, and send from Odoo
    pulls = frozenset()
    pushes = frozenset()
    #: connected by OAuth 2.0 (consent in the vendor's page), not by a password
    needs_oauth = False
    #: without a change counter, every so many hours a pull reads everything
    #: again (records are compared by content); None: incremental reads suffice
    full_read_hours = None
    #: one sentence on what it does and what it needs, for the connection form
    note = ""
    #: the system's account groups / types -> neutral kinds, named as Odoo
    #: names its account types (liquidity, revenue, current_assets, ...);
    #: ``receivable`` and ``payable`` are parties, not accounts
    account_kinds = {}

    @classmethod
    def from_settings(cls, settings):
        """The client for a connection's ``settings``: a mapping in neutral
        words (``url``, ``company``, ``branch``, ``series``, ``timeout``,
        ``customer_group``, ``password``, ``api_key``, ``organization_id``,
        ``region``, ``realm_id``, ``environment``, ``sales_item``,
        ``company_state``, ``auth`` for OAuth systems). Raises
        SettingsMissing naming what to set."""
        raise NotImplementedError

    @classmethod
    def oauth_client(cls, client_id, client_secret, settings):
        """For systems that ``needs_oauth``: the vendor's OAuth client (an
        ``oauth.OAuthClient``), ``settings`` as for :meth:`from_settings`
        (``oauth_url``: another authorization server, e.g. a sandbox)."""
        raise NotImplementedError

    def test_connection(self):
        """``(seconds, what the server says)``; raises ConnectorError."""
        raise NotImplementedError

    def iter_customers(self, since=None):
        """Customers changed after ``since`` (all when None), as Customer."""
        raise NotImplementedError

    def find_customer(self, key):
        """The customer with this name or id there, or None."""
        raise NotImplementedError

    def push_customer(self, customer, alter=False):
        """Create (or with ``alter``, update the record ``customer.external_id``
        of) the customer; a WriteResult. A record of the same name already
        there is answered ``linked`` with its id: the hub decides whether
        it is the same customer."""
        raise NotImplementedError

    def iter_vouchers(self, kinds=None, since=None, date_from=None, date_to=None):
        """Vouchers of ``kinds`` (sales, credit_note, receipt, journal,
        payment, contra; all when None) changed after ``since`` and/or dated
        in a range, as Voucher."""
        raise NotImplementedError

    def find_voucher(self, remote_id, date, number=None, kind=None):
        """The voucher this side sent with ``remote_id`` (or ``number``), or
        None: asked before re-sending after an unknown outcome."""
        raise NotImplementedError

    def push_voucher(self, voucher, alter=False):
        """Create (or update) the voucher; a WriteResult."""
        raise NotImplementedError

    def iter_accounts(self):
        """The chart of accounts, as Account."""
        raise NotImplementedError

    def trial_balance(self, date_from, date_to):
        """Closing balances, as TrialBalanceLine."""
        raise NotImplementedError
