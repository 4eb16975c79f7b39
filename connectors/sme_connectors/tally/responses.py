# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Read Tally's answers: detect the encoding, drop what XML 1.0 forbids,
refuse an answer that is not whole, stream the records of large
collections, and turn import responses into per-record results.

What real TallyPrime / Tally.ERP 9 answers look like (and the traps they
hold) is pinned by the tests on the captured files of
``shared/real-samples/tally``:

- every collection answer carries a ``<DESC><CMPINFO>`` counter block whose
  elements are named like the records (``<LEDGER>95</LEDGER>``): records are
  only the elements a COLLECTION (or, in Day Book / master exports, a
  TALLYMESSAGE) holds;
- a line's side is the sign of its AMOUNT (debits negative), not
  ISDEEMEDPOSITIVE (a TDS line of an expense voucher says Yes and is a
  credit);
- users rename voucher types: a voucher's kind is its type's reserved name
  (``RESERVEDNAME``, or through the type's PARENT), read from the
  voucher-type masters;
- TallyPrime 3 keeps a ledger's address and GST data in dated lists
  (LEDMAILINGDETAILS.LIST, LEDGSTREGDETAILS.LIST), older releases flat;
- invoice-view vouchers may come with LEDGERENTRIES.LIST and
  ALLINVENTORYENTRIES.LIST instead of ALLLEDGERENTRIES.LIST.
"""
import io
import re
import xml.parsers.expat

from lxml import etree

from ..base import (
    ConnectorError,
    Customer,
    ProtocolError,
    TransientError,
    TrialBalanceLine,
    Voucher,
    VoucherItem,
    VoucherLine,
    WriteResult,
)

# India's GST state table (state names, GST numbers and two-letter codes):
# kept with the Zoho connector, which needs it most; nothing Zoho-specific.
from ..zoho.gst import state_code

# Characters XML 1.0 forbids, raw or as numeric references (Tally writes
# &#4; before system values such as "&#4; Primary", and raw \x05 between
# the parts of some keys).
_ILLEGAL_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL_REF = re.compile(
    r"&#(?:x0*([0-8bBcCeEfF]|1[0-9a-fA-F])|0*([0-8]|1[124-9]|2[0-9]|3[01]));"
)
# An ampersand that starts no reference XML knows: escaped, not fatal.
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#[xX][0-9a-fA-F]+);)")
# Namespace prefixes used in tags (Tally's UDF:...), declared or not.
_PREFIX = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]")
_ROOT_TAG = re.compile(r"\s*<([A-Za-z_][\w.:-]*)")

# Parents whose own elements are records. Anything else named like a record
# (the <DESC><CMPINFO><LEDGER>95</LEDGER> counters, a tag nested in a
# record) is not one.
RECORD_PARENTS = frozenset(("COLLECTION", "TALLYMESSAGE", "DATA", "ENVELOPE"))

BROKEN_ANSWER = (
    "Tally's answer is not whole (%s): it broke off or was garbled on the way; "
    "nothing of it was used, the request will be retried"
)


def decode(body, errors="strict"):
    """Bytes from Tally to text: UTF-16 (with or without BOM) or UTF-8.
    A UTF-16 answer cut in the middle of a character raises
    UnicodeDecodeError unless ``errors`` says otherwise."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16", errors)
    if len(body) > 1 and body[1:2] == b"\x00" and body[0:1] != b"\x00":
        return body.decode("utf-16-le", errors)
    return body.decode("utf-8-sig", errors="replace")


def clean(text):
    """Remove characters and character references XML 1.0 cannot hold,
    and escape ampersands that start no reference."""
    text = _ILLEGAL_REF.sub("", text)
    text = _BARE_AMPERSAND.sub("&amp;", text)
    return _ILLEGAL_RAW.sub("", text)


def _strip_declaration(text):
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def prefixes_in(text):
    """The namespace prefixes used in the tags of ``text``."""
    return set(_PREFIX.findall(text)) - {"xml", "xmlns"}


def _declare_prefixes(text):
    """Declare on the root the namespace prefixes Tally uses without
    declaring them (UDF:... tags of collection exports)."""
    return declare_prefixes(text, prefixes_in(text))


def declare_prefixes(text, prefixes):
    """``text`` (an answer, or its start holding the root's start tag) with
    ``prefixes`` declared on the root where they are not."""
    root = _ROOT_TAG.match(text)
    if not prefixes or not root:
        return text
    head = text[: text.find(">", root.end()) + 1]
    missing = [
        "%s" % prefix for prefix in sorted(prefixes) if "xmlns:%s=" % prefix not in head
    ]
    if not missing:
        return text
    declarations = "".join(
        ' xmlns:%s="%s"' % (prefix, "TallyUDF" if prefix == "UDF" else prefix)
        for prefix in missing
    )
    return text[: root.end()] + declarations + text[root.end() :]


def _check_whole(data):
    """Raise TransientError unless ``data`` is one whole XML document.
    expat checks it in C without building a tree: cheap even for a
    100,000-ledger answer. Returns False when only namespace prefixes are
    undeclared (Tally's UDF:... tags), True when all is well."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(data, True)
    except xml.parsers.expat.ExpatError as error:
        if (
            error.code
            == xml.parsers.expat.errors.codes[
                xml.parsers.expat.errors.XML_ERROR_UNBOUND_PREFIX
            ]
        ):
            return False
        raise TransientError(BROKEN_ANSWER % error) from error
    return True


def xml_bytes(body):
    """An answer as clean UTF-8 XML bytes, checked to be whole XML.

    Raises ProtocolError for an empty body and TransientError for an answer
    that does not parse whole (cut off on the way, garbled): retried, never
    read as the smaller answer that came before the break."""
    try:
        text = decode(body)
    except UnicodeDecodeError as error:
        raise TransientError(
            BROKEN_ANSWER % ("it ends in the middle of a character: %s" % error)
        ) from error
    text = _strip_declaration(clean(text)).strip()
    if not text:
        raise ProtocolError("Tally answered with an empty body")
    data = text.encode("utf-8")
    if not _check_whole(data):
        data = _declare_prefixes(text).encode("utf-8")
        if not _check_whole(data):
            raise TransientError(BROKEN_ANSWER % "undeclared namespace prefixes")
    return data


def _parser():
    return etree.XMLParser(huge_tree=True, resolve_entities=False)


def parse(body):
    """A whole answer as an element tree (small answers)."""
    data = xml_bytes(body)
    try:
        return etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise TransientError(BROKEN_ANSWER % error) from error


def _free(element):
    """Forget a record once read, and what came before it."""
    element.clear()
    parent = element.getparent()
    while element.getprevious() is not None:
        del parent[0]
    if (
        parent.tag == "TALLYMESSAGE"
    ):  # Day Book / master exports: one message per record
        grandparent = parent.getparent()
        while grandparent is not None and parent.getprevious() is not None:
            del grandparent[0]


def iter_elements(body, tag):
    """Stream the ``tag`` records of a large answer, freeing each after use.
    ``body``: the answer's bytes, or a file from ``spool.clean_file``.

    Only the elements a COLLECTION (or TALLYMESSAGE) holds are records: the
    counters of ``<DESC><CMPINFO>`` that carry the same names are not. An
    answer that is a refusal (LINEERROR, STATUS 0) raises ConnectorError
    with Tally's words, never reads as "no records"; one that does not parse
    whole raises TransientError before any record is given.
    """
    if hasattr(
        body, "read"
    ):  # an answer on disk, cleaned and checked whole (spool.clean_file)
        body.seek(0)
        source = body
    else:
        source = io.BytesIO(xml_bytes(body))
    errors, status = [], None
    try:
        for _event, element in etree.iterparse(
            source,
            events=("end",),
            tag=(tag, "LINEERROR", "STATUS"),
            huge_tree=True,
            resolve_entities=False,
        ):
            parent = element.getparent()
            if element.tag == "LINEERROR":
                if element.text and element.text.strip():
                    errors.append(element.text.strip())
                continue
            if element.tag == "STATUS" and tag != "STATUS":
                if parent is not None and parent.tag == "HEADER":
                    status = (element.text or "").strip()
                continue
            if parent is None or parent.tag not in RECORD_PARENTS:
                continue  # e.g. <CMPINFO><LEDGER>95</LEDGER>: a counter, not a record
            yield element
            _free(element)
    except etree.XMLSyntaxError as error:
        raise TransientError(BROKEN_ANSWER % error) from error
    if errors:
        raise ConnectorError("Tally refused the request: %s" % "; ".join(errors))
    if status is not None and status != "1":
        raise ConnectorError("Tally did not answer the request (status %s)" % status)


def _text(element, path):
    found = element.find(path)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def _amount(text):
    """Tally's amount text as a number: ``-1,180.00``; a foreign-currency
    amount ``-$ 100.00 @ ₹ 83.00/$ = -₹ 8300.00`` gives its value in the
    company's currency."""
    text = (text or "0").replace(",", "")
    if "=" in text:
        text = text.rsplit("=", 1)[1]
    try:
        return float(text)
    except ValueError:
        match = re.search(r"\d+(?:\.\d+)?", text)
        if not match:
            return 0.0
        return (
            -float(match.group(0))
            if "-" in text[: match.start()]
            else float(match.group(0))
        )


def _number(text):
    """The leading number of a quantity or rate: `` 100 nos`` → 100.0,
    ``213.00/nos`` → 213.0."""
    match = re.search(r"-?\d+(?:\.\d+)?", (text or "").replace(",", ""))
    return float(match.group(0)) if match else None


def _yes(element, path):
    return (_text(element, path) or "").lower() == "yes"


def line_errors(root):
    return [
        error.text.strip()
        for error in root.iter("LINEERROR")
        if error.text and error.text.strip()
    ]


# ----------------------------------------------------------------------
# Ledgers
# ----------------------------------------------------------------------
def _lines(element, path):
    if element is None:
        return []
    return [a.text.strip() for a in element.iterfind(path) if a.text and a.text.strip()]


def _latest(entries):
    """Of a ledger's dated lists (TallyPrime 3: LEDMAILINGDETAILS.LIST,
    LEDGSTREGDETAILS.LIST), the one applicable from the latest date; at an
    equal date, the last one."""
    entries = [entry for entry in entries if len(entry)]
    if not entries:
        return None
    return max(
        enumerate(entries),
        key=lambda pair: (_text(pair[1], "APPLICABLEFROM") or "", pair[0]),
    )[1]


def _in(element, path):
    return _text(element, path) if element is not None else None


def _contact(contacts):
    """The phone and email of a TallyPrime ledger's CONTACTDETAILS.LIST:
    the default (WhatsApp) number first."""
    phone = email = None
    for contact in sorted(contacts, key=lambda c: not _yes(c, "ISDEFAULTWHATSAPPNUM")):
        number = _text(contact, "PHONENUMBER") or _text(contact, "MOBILE")
        if number and not phone:
            isd = _text(contact, "COUNTRYISDCODE")
            phone = (
                "%s %s" % (isd, number)
                if isd and not number.startswith(("+", "0"))
                else number
            )
        email = email or _text(contact, "EMAIL")
    return phone, email


def _children(element):
    """``(values, lists)`` of an element's children read once: the text of
    the first child of each tag, and the children of each ``*.LIST`` tag."""
    values, lists = {}, {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # a comment
        if tag.endswith(".LIST"):
            lists.setdefault(tag, []).append(child)
        elif tag not in values:
            text = child.text.strip() if child.text else ""
            values[tag] = text or None
    return values, lists


def ledger_to_customer(element):
    """A LEDGER element to a Customer, in either shape, newest first: the
    TallyPrime 3 dated lists (the latest APPLICABLEFROM wins), then the flat
    fields of older releases."""
    values, lists = _children(element)
    flat = values.get
    name = element.get("NAME") or flat("NAME")
    if not name:
        for holder in lists.get("NAME.LIST", []) + lists.get("LANGUAGENAME.LIST", []):
            name = _text(holder, "NAME") or _text(holder, "NAME.LIST/NAME")
            if name:
                break
    mailing = _latest(lists.get("LEDMAILINGDETAILS.LIST", ()))
    registration = _latest(lists.get("LEDGSTREGDETAILS.LIST", ()))
    address = _lines(mailing, "ADDRESS.LIST/ADDRESS")
    if not address:
        for holder in lists.get("ADDRESS.LIST", ()):
            address = _lines(holder, "ADDRESS")
            if address:
                break
    contact_phone, contact_email = _contact(lists.get("CONTACTDETAILS.LIST", ()))
    alter_id = flat("ALTERID")
    gstin = _in(registration, "GSTIN") or flat("PARTYGSTIN")
    state = _in(mailing, "STATE") or flat("LEDSTATENAME") or flat("STATENAME")
    country = (
        _in(mailing, "COUNTRY") or flat("COUNTRYNAME") or flat("COUNTRYOFRESIDENCE")
    )
    treatment = gst_treatment(
        _in(registration, "GSTREGISTRATIONTYPE") or flat("GSTREGISTRATIONTYPE"),
        gstin,
        country,
        sez=(flat("ISSEZPARTY") or "").lower() == "yes",
    )
    return Customer(
        external_id=flat("GUID"),
        name=name,
        phone=flat("LEDGERPHONE"),
        mobile=flat("LEDGERMOBILE") or contact_phone,
        email=flat("EMAIL") or contact_email,
        gstin=gstin,
        street=address[0] if address else None,
        city=address[1] if len(address) > 1 else None,
        state=state,
        zip=_in(mailing, "PINCODE") or flat("PINCODE"),
        country=country,
        group=flat("PARENT"),
        opening_balance=_amount(flat("OPENINGBALANCE")),
        version=int(alter_id) if alter_id and alter_id.isdigit() else None,
        gst_treatment=treatment,
        # No Indian place of supply for a party abroad (Tally says "Other Territory").
        place_of_supply=None
        if treatment == "overseas"
        else (
            state_code(state)
            or state_code(_in(registration, "PLACEOFSUPPLY") or flat("PLACEOFSUPPLY"))
            or state_code(gstin)
        ),
    )


# Tally's GST registration types (GSTREGISTRATIONTYPE: Tally.ERP 9 has
# Regular, Composition, Consumer, Unregistered and Unknown; TallyPrime joins
# the two unregistered ones as "Unregistered/Consumer") in the hub's words
# (Zoho Books' gst_treatment codes, see base.Customer).
REGISTRATION_TREATMENTS = {
    "regular": "business_gst",
    "composition": "business_composition",
    "consumer": "consumer",
    "unregistered": "business_none",
    # A party without a GSTIN that Tally does not call a business: GST is
    # charged as on a sale to a consumer (Zoho's own default without a GSTIN).
    "unregistered/consumer": "consumer",
}
# Types only a party with a GSTIN can have.
REGISTERED = ("business_gst", "business_composition")
_INDIA = ("india", "in", "ind", "bharat")


def gst_treatment(registration_type, gstin=None, country=None, sez=False):
    """The GST treatment of a party ledger.

    A party abroad is overseas whatever its type says (TallyPrime keeps
    "Unregistered/Consumer" there), an SEZ party an SEZ. Regular and
    Composition need a GSTIN: Tally.ERP 9 writes "Regular" on every ledger
    by default (on a capital account, on a customer without a GSTIN, see
    kesans_masters_flat), so without one the party is an unregistered
    business. "Unknown" or no type at all is told by the GSTIN; None when
    there is neither."""
    kind = " ".join((registration_type or "").lower().replace(" / ", "/").split())
    if country and country.strip().lower() not in _INDIA:
        return "overseas"
    if sez or "sez" in kind or "special economic zone" in kind:
        return "special_economic_zone"
    if "overseas" in kind:
        return "overseas"
    if "deemed" in kind:
        return "deemed_export"
    treatment = REGISTRATION_TREATMENTS.get(kind)
    if treatment is None and kind not in ("", "unknown"):
        treatment = (
            "business_composition"
            if "composition" in kind
            else "business_gst"
            if "regular" in kind
            else None
        )
    if treatment in REGISTERED or (treatment is None and kind in ("", "unknown")):
        if gstin:
            return treatment or "business_gst"
        return "business_none" if treatment or kind == "unknown" else None
    return treatment


def group_from_element(element):
    """``(name, parent)`` of a GROUP; top groups (under Primary) have parent None."""
    parent = _text(element, "PARENT")
    return (
        element.get("NAME")
        or _text(element, "NAME")
        or _text(element, "NAME.LIST/NAME"),
        None if parent in (None, "Primary") else parent,
    )


# ----------------------------------------------------------------------
# Voucher types
# ----------------------------------------------------------------------
# Tally's predefined voucher types: a renamed or user-made type is one of
# these through RESERVEDNAME or its PARENT.
RESERVED_VOUCHER_TYPES = (
    "Sales",
    "Purchase",
    "Receipt",
    "Payment",
    "Contra",
    "Journal",
    "Credit Note",
    "Debit Note",
    "Sales Order",
    "Purchase Order",
    "Delivery Note",
    "Receipt Note",
    "Rejections In",
    "Rejections Out",
    "Memorandum",
    "Reversing Journal",
    "Stock Journal",
    "Physical Stock",
    "Payroll",
    "Attendance",
    "Job Work In Order",
    "Job Work Out Order",
    "Material In",
    "Material Out",
)
# The kinds the hub works with, by reserved type.
VOUCHER_KINDS = {
    "Sales": "sales",
    "Receipt": "receipt",
    "Credit Note": "credit_note",
    "Journal": "journal",
    "Payment": "payment",
    "Contra": "contra",
}


def voucher_type_from_element(element):
    """``(name, reserved name or None, parent or None)`` of a VOUCHERTYPE master."""
    name = (
        element.get("NAME")
        or _text(element, "NAME")
        or _text(element, "NAME.LIST/NAME")
    )
    reserved = (
        element.get("RESERVEDNAME") or _text(element, "RESERVEDNAME") or ""
    ).strip() or None
    return name, reserved, _text(element, "PARENT")


def resolve_voucher_types(masters):
    """``{name: reserved type or None}`` from ``{name: (reserved, parent)}``:
    a type's own RESERVEDNAME, else its parent's, up the chain."""
    return {name: _reserved_type(name, masters) for name in masters}


def _reserved_type(name, masters):
    seen, current = set(), name
    while current in masters and current not in seen:
        seen.add(current)
        reserved, parent = masters[current]
        if reserved:
            return reserved
        current = parent
    # A parent outside the masters read (or none read at all): Tally's own name.
    return current if current in RESERVED_VOUCHER_TYPES else None


def reserved_type(name, voucher_types=None):
    """The reserved type of voucher type ``name`` given the resolved masters."""
    if voucher_types and name in voucher_types:
        return voucher_types[name]
    return name if name in RESERVED_VOUCHER_TYPES else None


def voucher_kind(reserved, display_name=None):
    """``sales``, ``credit_note``... for a reserved type; other reserved types
    in the same spelling (``purchase``, ``debit_note``); the display name for
    a type that could not be resolved."""
    if reserved in VOUCHER_KINDS:
        return VOUCHER_KINDS[reserved]
    if reserved:
        return reserved.lower().replace(" ", "_")
    return display_name


# ----------------------------------------------------------------------
# Vouchers
# ----------------------------------------------------------------------
def _bill_refs(entry):
    names = [
        name
        for name in (
            _text(bill, "NAME") for bill in entry.findall("BILLALLOCATIONS.LIST")
        )
        if name
    ]
    return ", ".join(names) or None


def _entry_line(entry):
    """A ledger entry (or an inventory line's accounting allocation) as a
    VoucherLine: the side is the sign of AMOUNT (Tally writes debits
    negative), the amount positive. None for an empty or zero entry."""
    account = _text(entry, "LEDGERNAME")
    amount = _amount(_text(entry, "AMOUNT"))
    if not account or not round(amount, 2):
        return None
    return VoucherLine(account, round(abs(amount), 2), amount < 0, _bill_refs(entry))


def _inventory_entries(element):
    for tag in ("ALLINVENTORYENTRIES.LIST", "INVENTORYENTRIES.LIST"):
        entries = [
            entry for entry in element.findall(tag) if _text(entry, "STOCKITEMNAME")
        ]
        if entries:
            return entries
    return []


def _voucher_lines(element, inventory):
    """Every ledger line: ALLLEDGERENTRIES.LIST when Tally gives them (they
    are complete), else the invoice view's LEDGERENTRIES.LIST plus the
    accounting allocations of its inventory lines."""
    lines = [
        line
        for line in map(_entry_line, element.findall("ALLLEDGERENTRIES.LIST"))
        if line
    ]
    if lines:
        return lines
    lines = [
        line for line in map(_entry_line, element.findall("LEDGERENTRIES.LIST")) if line
    ]
    for entry in inventory:
        lines.extend(
            line
            for line in map(_entry_line, entry.findall("ACCOUNTINGALLOCATIONS.LIST"))
            if line
        )
    return lines


_GST_LEDGER = re.compile(r"(?i)\b(?:[csi]gst|utgst|gst|cess)\b")


def _gst_rate(entry):
    """An inventory line's GST rate in percent (IGST, or CGST + SGST/UTGST),
    from its RATEDETAILS.LIST; None when Tally gives none."""
    rates = {}
    for detail in entry.findall("RATEDETAILS.LIST"):
        head, rate = _text(detail, "GSTRATEDUTYHEAD"), _number(_text(detail, "GSTRATE"))
        if head and rate is not None:
            rates[head.upper()] = rate
    if "IGST" in rates:
        return rates["IGST"]
    if "CGST" in rates:
        return rates["CGST"] + rates.get(
            "SGST/UTGST", rates.get("SGST", rates.get("UTGST", 0.0))
        )
    return None


def _voucher_items(element, inventory, lines, party):
    """Inventory lines as VoucherItems (amount before tax, positive). Their
    GST is the item's rate from RATEDETAILS.LIST; where Tally gives no rate,
    the voucher's GST ledger lines shared in proportion to the amounts."""
    if not inventory:
        return None
    rows = []
    for entry in inventory:
        amount = round(abs(_amount(_text(entry, "AMOUNT"))), 2)
        quantity = (
            abs(_number(_text(entry, "BILLEDQTY") or _text(entry, "ACTUALQTY")) or 0.0)
            or 1.0
        )
        price = _number(_text(entry, "RATE"))
        rows.append(
            [
                _text(entry, "STOCKITEMNAME"),
                quantity,
                abs(price) if price is not None else round(amount / quantity, 2),
                amount,
                _gst_rate(entry),
            ]
        )
    if all(row[4] is not None for row in rows):
        taxes = [round(row[3] * row[4] / 100.0, 2) for row in rows]
    else:
        # The ledgers the items post to (their accounting allocations) are
        # not tax lines, whatever their names.
        allocation_accounts = {
            _text(a, "LEDGERNAME")
            for entry in inventory
            for a in entry.findall("ACCOUNTINGALLOCATIONS.LIST")
        }
        tax_total = round(
            sum(
                line.amount
                for line in lines
                if line.account != party
                and line.account not in allocation_accounts
                and _GST_LEDGER.search(line.account)
            ),
            2,
        )
        base_total = sum(row[3] for row in rows)
        taxes = [
            round(tax_total * row[3] / base_total, 2) if base_total else 0.0
            for row in rows
        ]
        if taxes:
            taxes[-1] = round(tax_total - sum(taxes[:-1], 0.0), 2)
    return [
        VoucherItem(
            name=name, quantity=quantity, price=price, amount=amount, tax_amount=tax
        )
        for (name, quantity, price, amount, _rate), tax in zip(rows, taxes)
    ]


def voucher_counts(element):
    """False for a voucher that does not touch the books: cancelled,
    optional (memorandum-like) or deleted."""
    return not any(
        _yes(element, tag) for tag in ("ISCANCELLED", "ISOPTIONAL", "ISDELETED")
    )


def voucher_from_element(element, voucher_types=None):
    """A VOUCHER element to a Voucher: lines with their side from the sign of
    AMOUNT, items from the inventory lines of an invoice-view voucher, and
    the kind of its reserved type (``voucher_types``: ``{name: reserved}``
    from the voucher-type masters, see resolve_voucher_types).

    A voucher from which no line can be read comes with ``lines=[]``:
    voucher_problem() says so, and the record is to be refused with that
    reason (never imported as an empty document)."""
    vch_type = _text(element, "VOUCHERTYPENAME") or element.get("VCHTYPE")
    party = _text(element, "PARTYLEDGERNAME")
    inventory = _inventory_entries(element)
    lines = _voucher_lines(element, inventory)
    date = _text(element, "DATE") or ""
    alter_id = _text(element, "ALTERID")
    return Voucher(
        kind=voucher_kind(reserved_type(vch_type, voucher_types), vch_type),
        remote_id=element.get("REMOTEID") or _text(element, "REMOTEID"),
        number=_text(element, "VOUCHERNUMBER"),
        date="%s-%s-%s" % (date[:4], date[4:6], date[6:8]) if len(date) == 8 else date,
        party=party,
        narration=_text(element, "NARRATION"),
        lines=lines,
        external_id=_text(element, "GUID"),
        version=int(alter_id) if alter_id and alter_id.isdigit() else None,
        # No line, no items either: nothing of it may become a document.
        items=_voucher_items(element, inventory, lines, party) if lines else None,
    )


def voucher_totals(voucher):
    """``(debits, credits)`` of a voucher's lines."""
    debit = round(sum(line.amount for line in voucher.lines if line.debit), 2)
    credit = round(sum(line.amount for line in voucher.lines if not line.debit), 2)
    return debit, credit


def voucher_problem(voucher):
    """Why a voucher read from Tally cannot be imported as it is, or None:
    no line could be read from it, or its lines do not balance."""
    if not voucher.lines:
        return (
            "no debit or credit line could be read from Tally's answer for this voucher "
            "(%s %s): it is not imported"
            % (voucher.kind, voucher.number or voucher.external_id)
        )
    debit, credit = voucher_totals(voucher)
    if abs(debit - credit) >= 0.005:
        return "its lines do not balance: debits %.2f, credits %.2f" % (debit, credit)
    return None


def voucher_is_balanced(voucher):
    """True when the voucher has lines and its debits equal its credits."""
    return voucher_problem(voucher) is None


# ----------------------------------------------------------------------
# Reports and import answers
# ----------------------------------------------------------------------
def trial_balance(body):
    """DSPACCNAME/DSPACCINFO pairs to rows with positive debit/credit."""
    root = parse(body)
    rows, name = [], None
    for element in root:
        if element.tag == "DSPACCNAME":
            name = _text(element, "DSPDISPNAME")
        elif element.tag == "DSPACCINFO" and name:
            debit = _amount(_text(element, "DSPCLDRAMT/DSPCLDRAMTA"))
            credit = _amount(_text(element, "DSPCLCRAMT/DSPCLCRAMTA"))
            rows.append(TrialBalanceLine(name, abs(debit), abs(credit)))
            name = None
    return rows


IMPORT_COUNTS = (
    "CREATED",
    "ALTERED",
    "DELETED",
    "COMBINED",
    "IGNORED",
    "ERRORS",
    "CANCELLED",
    "EXCEPTIONS",
)


def import_result(body):
    """Counts and errors of an import answer, in either of its two shapes
    (``<ENVELOPE>…<IMPORTRESULT>`` or the flat ``<RESPONSE>``).

    Returns ``{'created', 'altered', 'deleted', 'combined', 'ignored',
    'errors', 'cancelled', 'exceptions', 'last_vch_id', 'last_master_id',
    'line_errors': [...]}``; raises ProtocolError for an answer that is not
    an import response, TransientError for one that is not whole.
    """
    root = parse(body)
    holder = root.find(".//IMPORTRESULT")
    if holder is None:
        holder = root if root.tag == "RESPONSE" else None
    errors = line_errors(root)
    if holder is None:
        if errors:
            result = {tag.lower(): 0 for tag in IMPORT_COUNTS}
            result.update(
                errors=len(errors),
                last_vch_id=None,
                last_master_id=None,
                line_errors=errors,
            )
            return result
        status = _text(root, "HEADER/STATUS")
        raise ProtocolError(
            "Tally did not answer with an import result (status %s): %s"
            % (status, (etree.tostring(root)[:200]).decode("utf-8", "replace"))
        )

    def count(tag):
        value = _text(holder, tag)
        return int(value) if value and value.lstrip("-").isdigit() else 0

    result = {tag.lower(): count(tag) for tag in IMPORT_COUNTS}
    result.update(
        last_vch_id=count("LASTVCHID") or None,
        last_master_id=count("LASTMID") or None,
        line_errors=errors,
    )
    return result


def write_result(key, body, external_id=None):
    """One record's outcome from Tally's import answer. Only CREATED or
    ALTERED (or COMBINED) is a success: an answer with EXCEPTIONS, ERRORS or
    IGNORED and nothing created is a failure, with Tally's LINEERROR text
    when it gave one, and saying so when it gave none."""
    result = import_result(body)
    warning = "; ".join(result["line_errors"]) or None
    # CREATED 1 can come with a LINEERROR: the record exists, so it counts
    # as written (re-sending it would book it twice); the text is kept.
    if result["created"]:
        return WriteResult(key, "created", external_id, warning)
    if result["altered"] or result["combined"]:
        return WriteResult(key, "altered", external_id, warning)
    counts = ", ".join(
        "%s %d" % (name.upper(), result[name])
        for name in ("errors", "exceptions", "ignored")
        if result[name]
    )
    if warning:
        reason = "%s (%s)" % (warning, counts) if counts else warning
    else:
        reason = (
            "Tally rejected the record without saying why (CREATED 0, ALTERED 0%s): check it "
            "in Tally (the masters it names, its voucher type, date and mandatory fields)"
            % (", " + counts if counts else "")
        )
    return WriteResult(key, "failed", None, reason)
