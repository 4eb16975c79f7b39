# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Marg's pages and rows → the hub's records (Customer, Voucher)."""
from collections import OrderedDict
from datetime import datetime

import phonenumbers

from ..base import Customer, ProtocolError, Voucher, VoucherItem

# India's GST state numbers and codes (kept with the Zoho connector).
from ..zoho.gst import state_code

PHONE_FIELDS = ("Phone1", "Phone2", "Phone3", "Phone4")
# Marg's sales detail types: sales bills and sales returns; other types
# (orders, purchases, challans) are not invoices and come in as kind 'other'.
DETAIL_KINDS = {"S": "sales", "SB": "sales", "R": "credit_note", "SR": "credit_note"}
DATE_FORMATS = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
)
# DataStatus of the last page: 10, or "Completed" on some tenants/versions.
LAST_PAGE, COMPLETED = 10, "completed"
# The sections the hub reads and the field every row of each must have;
# sales lines are "Dis" inside a nested page, "Details" in a flat one.
REQUIRED = {
    "Party": ("CID",),
    "Product": ("PID",),
    "Stock": ("PID",),
    "Sales": ("Voucher", "Date"),
}
KNOWN_SECTIONS = (
    "Details",
    "Dis",
    "Masters",
    "MDis",
    "Party",
    "Product",
    "SaleType",
    "Stock",
    "ACGroup",
    "Account",
    "AcBal",
    "PBal",
    "Outstanding",
)


def read_page(document, envelope=None):
    """``(cursor, sections)`` of one decrypted page.

    Real pages nest everything under ``Details`` (an object): the sections
    ``Party``, ``Product``, ``Stock``, ``MDis``... and the sales lines as
    ``Dis``, with the cursor ``Index``, ``DataStatus`` and ``DateTime``
    beside them. A flat page (sections at the top, sales lines as a
    ``Details`` list) is read too. The cursor is looked for in ``Details``,
    then the page, then the envelope. ``sections`` has ``Party``,
    ``Product``, ``Stock`` and ``Sales`` (the sales lines), each a list of
    rows; ``cursor`` has ``last`` (this is the last page), ``Index``,
    ``DataStatus``, ``DateTime``, and ``Status``/``Message`` if the page
    carries them. Anything else is a ProtocolError saying what is missing."""
    envelope = envelope if isinstance(envelope, dict) else {}
    if document in (None, "", [], {}):
        document = {}  # nothing changed: an empty page
    if not isinstance(document, dict):
        raise ProtocolError(
            "Marg's decrypted page is %s, not a JSON object with a Details section"
            % _kind(document)
        )
    if isinstance(document.get("Data"), dict) and "Details" not in document:
        envelope = dict(envelope, **{k: v for k, v in document.items() if k != "Data"})
        document = document["Data"]  # an envelope sealed whole
    details = document.get("Details")
    if isinstance(details, dict):
        container, where = details, "Details."
    elif details is None or isinstance(details, list):
        container, where = document, ""
        if document and not any(name in document for name in KNOWN_SECTIONS):
            raise ProtocolError(
                "Marg's page has no Details section (it holds: %s)"
                % (", ".join(sorted(str(key) for key in document)) or "nothing")
            )
    else:
        raise ProtocolError(
            "Marg's page has Details as %s, neither its sections nor a list of sales lines"
            % _kind(details)
        )
    sales_name = "Details" if isinstance(container.get("Details"), list) else "Dis"
    sections = {}
    for name, source in (
        ("Party", "Party"),
        ("Product", "Product"),
        ("Stock", "Stock"),
        ("Sales", sales_name),
    ):
        sections[name] = _rows(container.get(source), where + source, REQUIRED[name])
    sections["MDis"] = _rows(container.get("MDis"), where + "MDis", ())
    sources = (container, document, envelope)
    status = _first(sources, "DataStatus", "Datastatus")
    index = _first(sources, "Index")
    try:
        index = int(index or 0)
    except (TypeError, ValueError) as error:
        raise ProtocolError(
            "Marg's page Index %r is not a number" % (index,)
        ) from error
    cursor = {
        "last": _is_last(status),
        "DataStatus": status,
        "Index": index,
        "DateTime": _clean(_first(sources, "DateTime", "Datetime")),
    }
    for name in ("Status", "Message"):
        value = _first(sources[:2], name)
        if value is not None:
            cursor[name] = value
    return cursor, sections


def _kind(value):
    return "empty" if value in (None, "") else "a %s" % type(value).__name__


def _first(sources, *names):
    for source in sources:
        for name in names:
            if source.get(name) not in (None, ""):
                return source[name]
    return None


def _is_last(status):
    """10 or "Completed" end the read; another number asks for the next
    page; a page that says nothing of paging is the only one."""
    if status is None:
        return True
    if isinstance(status, str):
        text = status.strip()
        if text.lower() == COMPLETED:
            return True
        if not text.lstrip("-").isdigit():
            raise ProtocolError(
                "Marg's DataStatus %r is neither a page status number nor 'Completed'"
                % status
            )
        status = int(text)
    if isinstance(status, bool) or not isinstance(status, (int, float)):
        raise ProtocolError(
            "Marg's DataStatus %r is neither a page status number nor 'Completed'"
            % (status,)
        )
    return int(status) == LAST_PAGE


def _rows(value, where, required):
    """A section's rows, checked: a list of objects, each with ``required``."""
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ProtocolError(
            "Marg's %s is %s, not a list of rows" % (where, _kind(value))
        )
    for number, row in enumerate(value):
        if not isinstance(row, dict):
            raise ProtocolError(
                "Marg's %s[%d] is %s, not a row" % (where, number, _kind(row))
            )
        missing = [name for name in required if row.get(name) in (None, "")]
        if missing:
            raise ProtocolError(
                "Marg's %s[%d] has no %s" % (where, number, " or ".join(missing))
            )
    return value


def _clean(value):
    return str(value).strip() if value not in (None, "") else None


def best_phone(row, region="IN"):
    """Marg keeps up to four numbers per party: the first one that is a real
    number (a mobile before a landline), else the first one written."""
    written = [_clean(row.get(name)) for name in PHONE_FIELDS]
    written = [number for number in written if number]
    valid = []
    for number in written:
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(parsed):
            mobile = (
                phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
            )
            valid.append((not mobile, number))
    if valid:
        return sorted(valid, key=lambda pair: pair[0])[0][1]
    return written[0] if written else None


def party_to_customer(row, position=None):
    """A Marg party as a Customer. Marg keeps no state nor country on a
    party; a GSTIN says both (its first two digits are the GST number of
    the state it is registered in) and that the party is a registered
    business, whose place of supply is that state."""
    street = ", ".join(
        filter(None, (_clean(row.get("ParAdd1")), _clean(row.get("ParAdd2"))))
    )
    gstin = _clean(row.get("GSTNNo."))
    registered = state_code(gstin) if gstin else None
    return Customer(
        external_id=_clean(row.get("CID")),
        name=_clean(row.get("ParNam")),
        phone=best_phone(row),
        gstin=gstin,
        street=street or None,
        zip=_clean(row.get("Pin")),
        group=_clean(row.get("Area")),
        position=position,
        state=registered,
        country="India" if registered else None,
        gst_treatment="business_gst" if registered else None,
        place_of_supply=registered,
    )


def iso_date(value):
    text = _clean(value)
    if not text:
        return None
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text[:19], form).strftime("%Y-%m-%d")
        except ValueError:
            continue
    raise ValueError("Marg date %r is in no known format" % text)


def _amount(value):
    return round(float(value or 0.0), 2)


def details_to_vouchers(details, parties, products, position=None):
    """Sales detail lines grouped into one voucher per (Voucher, Date), the
    key Marg bills are unique by; ``parties`` / ``products`` name CIDs / PIDs."""
    bills = OrderedDict()
    for row in details:
        try:
            key = (_clean(row.get("Voucher")), iso_date(row.get("Date")))
        except ValueError as error:
            raise ProtocolError(
                "Marg's sales line of bill %s: %s" % (row.get("Voucher"), error)
            ) from error
        bills.setdefault(key, []).append(row)
    for (number, date), rows in bills.items():
        first = rows[0]
        party_id = _clean(first.get("CID"))
        items = []
        for row in rows:
            pid = _clean(row.get("PID"))
            try:
                items.append(
                    VoucherItem(
                        name=products.get(pid) or pid,
                        quantity=float(row.get("Qty") or 0.0),
                        price=_amount(row.get("Rate")),
                        amount=_amount(row.get("Amount")),
                        tax_amount=_amount(row.get("GSTamount")),
                        code=pid,
                    )
                )
            except (TypeError, ValueError) as error:
                raise ProtocolError(
                    "Marg's sales line %s of bill %s has a Qty, Rate, Amount or "
                    "GSTamount that is not a number" % (pid, number)
                ) from error
        yield Voucher(
            kind=DETAIL_KINDS.get((_clean(first.get("Type")) or "").upper(), "other"),
            remote_id=None,
            number=_clean(first.get("Vcn")) or number,
            date=date,
            party=parties.get(party_id) or party_id,
            party_id=party_id,
            narration=None,
            lines=[],
            items=items,
            external_id="%s|%s" % (number, date),
            position=position,
        )
