"""Marg's rows → the hub's records (Customer, Voucher)."""
from collections import OrderedDict
from datetime import datetime

import phonenumbers

from ..base import Customer, Voucher, VoucherItem

PHONE_FIELDS = ("Phone1", "Phone2", "Phone3", "Phone4")
# Marg's sales detail types: sales bills and sales returns; other types
# (orders, purchases, challans) are not invoices and come in as kind 'other'.
DETAIL_KINDS = {"S": "sales", "SB": "sales", "R": "credit_note", "SR": "credit_note"}
DATE_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")


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
            mobile = phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
            valid.append((not mobile, number))
    if valid:
        return sorted(valid, key=lambda pair: pair[0])[0][1]
    return written[0] if written else None


def party_to_customer(row, position=None):
    street = ", ".join(filter(None, (_clean(row.get("ParAdd1")), _clean(row.get("ParAdd2")))))
    return Customer(
        external_id=_clean(row.get("CID")), name=_clean(row.get("ParNam")), phone=best_phone(row),
        gstin=_clean(row.get("GSTNNo.")), street=street or None, zip=_clean(row.get("Pin")),
        group=_clean(row.get("Area")), position=position,
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
        key = (_clean(row.get("Voucher")), iso_date(row.get("Date")))
        bills.setdefault(key, []).append(row)
    for (number, date), rows in bills.items():
        first = rows[0]
        party_id = _clean(first.get("CID"))
        items = []
        for row in rows:
            pid = _clean(row.get("PID"))
            items.append(VoucherItem(
                name=products.get(pid) or pid, quantity=float(row.get("Qty") or 0.0),
                price=_amount(row.get("Rate")), amount=_amount(row.get("Amount")),
                tax_amount=_amount(row.get("GSTamount")), code=pid))
        yield Voucher(
            kind=DETAIL_KINDS.get((_clean(first.get("Type")) or "").upper(), "other"),
            remote_id=None, number=_clean(first.get("Vcn")) or number, date=date,
            party=parties.get(party_id) or party_id, party_id=party_id, narration=None, lines=[],
            items=items, external_id="%s|%s" % (number, date), position=position)
