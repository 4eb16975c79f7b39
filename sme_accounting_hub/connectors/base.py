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


class AuthError(ConnectorError):
    """Credentials refused: retrying will not help until an admin acts."""


class ProtocolError(ConnectorError):
    """The system answered something that is not its protocol."""


# A customer as accounting systems hold it (a Tally ledger under Sundry
# Debtors, a Zoho contact, a QuickBooks Customer...). ``version`` is the
# system's change marker (Tally ALTERID, QuickBooks SyncToken).
Customer = namedtuple("Customer", [
    "external_id", "name", "phone", "mobile", "email", "gstin", "street", "city",
    "state", "zip", "country", "group", "opening_balance", "version",
])
Customer.__new__.__defaults__ = (None,) * len(Customer._fields)

# One debit or credit line of a voucher/journal: ``amount`` is positive;
# ``debit`` says the side.
VoucherLine = namedtuple("VoucherLine", ["account", "amount", "debit", "bill_ref"])
VoucherLine.__new__.__defaults__ = (None,)

# An accounting document: ``kind`` is sales, receipt, credit_note or journal;
# ``remote_id`` is the id this side gives it, stable across retries.
Voucher = namedtuple("Voucher", [
    "kind", "remote_id", "number", "date", "party", "narration", "lines",
    "external_id", "version",
])
Voucher.__new__.__defaults__ = (None, None)

# A ledger account; ``groups`` is its group path from the nearest up
# (Tally: "HDFC Bank" → ("Bank Accounts", "Current Assets")).
Account = namedtuple("Account", ["name", "groups", "code", "external_id", "version"])
Account.__new__.__defaults__ = (None, None, None)

# A trial balance row: positive debit and credit closing amounts.
TrialBalanceLine = namedtuple("TrialBalanceLine", ["account", "debit", "credit"])

# The outcome of writing one record: ``action`` created / altered / failed.
WriteResult = namedtuple("WriteResult", ["key", "action", "external_id", "error"])
WriteResult.__new__.__defaults__ = (None, None)
