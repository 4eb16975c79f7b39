# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Busy's codes, dates and error strings, in one place.

VchType 9 (sale) and 16 (journal) and MasterType 2 (account) are the codes
seen in Busy's own XML samples; 3 (sales return) and 14 (receipt) follow
Busy's voucher-type list and are kept here so that a site with other codes
changes one table.
"""
from datetime import date, datetime

MASTER_GROUP = 1
MASTER_ACCOUNT = 2
MASTER_ITEM = 6
# kind → (VchType, root element of the voucher XML)
VOUCHER_KINDS = {
    "sales": (9, "Sale"),
    "credit_note": (3, "SaleReturn"),
    "receipt": (14, "Receipt"),
    "journal": (16, "Journal"),
}
KIND_BY_TYPE = {code: kind for kind, (code, _root) in VOUCHER_KINDS.items()}
DEBIT, CREDIT = 1, 2  # AmountType of an AccDetail
LOCKED_MARKERS = ("too many client tasks", "file locked", "could not lock")

# Busy's error strings (lower-cased fragments) → (code, clear sentence).
ERRORS = (
    (
        "already exists in series",
        "duplicate_number",
        "voucher number {number} already exists in series {series}",
    ),
    (
        "too many client tasks",
        "locked",
        "Busy's data is locked by other users (too many client tasks)",
    ),
    (
        "invalid account",
        "unknown_account",
        "an account named in the voucher does not exist in Busy",
    ),
    (
        "account not found",
        "unknown_account",
        "an account named in the voucher does not exist in Busy",
    ),
    ("master not found", "not_found", "no account named {name} to change in Busy"),
    (
        "name already exists",
        "duplicate_name",
        "an account named {name} already exists in Busy",
    ),
    ("not balanced", "unbalanced", "debits and credits of the voucher differ"),
    ("voucher not found", "not_found", "no voucher {number} in series {series}"),
)


def busy_date(value):
    """ISO date (or date) → Busy's dd-mm-yyyy."""
    if isinstance(value, (date, datetime)):
        return value.strftime("%d-%m-%Y")
    return datetime.strptime(str(value)[:10], "%Y-%m-%d").strftime("%d-%m-%Y")


def iso_date(value):
    """What Busy gives (a COM date, or dd-mm-yyyy text) → ISO date."""
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()[:10]
    for form in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, form).strftime("%Y-%m-%d")
        except ValueError:
            continue
    raise ValueError("Busy date %r is in no known format" % value)


def explain(error_text, **context):
    """``(code, sentence)`` for a Busy error string; unknown ones pass through."""
    lowered = (error_text or "").lower()
    for fragment, code, sentence in ERRORS:
        if fragment in lowered:
            return (
                code,
                sentence.format(**{k: v or "?" for k, v in context.items()})
                if "{" in sentence
                else sentence,
            )
    return "busy_error", error_text or "Busy refused the record without saying why"


def is_locked(error_text):
    lowered = (error_text or "").lower()
    return any(marker in lowered for marker in LOCKED_MARKERS)
