"""Read Tally's answers: detect the encoding, drop what XML 1.0 forbids,
stream large collections, and turn import responses into per-record results."""
import io
import re

from lxml import etree

from ..base import Customer, ProtocolError, TrialBalanceLine, Voucher, VoucherLine

# Characters XML 1.0 forbids, raw or as numeric references (Tally writes
# &#4; before system values such as "&#4; Primary").
_ILLEGAL_RAW = re.compile(u"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ILLEGAL_REF = re.compile(r"&#(?:x0*([0-8bBcCeEfF]|1[0-9a-fA-F])|0*([0-8]|1[124-9]|2[0-9]|3[01]));")


def decode(body):
    """Bytes from Tally to text: UTF-16 (with or without BOM) or UTF-8."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return body.decode("utf-16")
    if len(body) > 1 and body[1:2] == b"\x00" and body[0:1] != b"\x00":
        return body.decode("utf-16-le")
    return body.decode("utf-8", errors="replace")


def clean(text):
    """Remove characters and character references XML 1.0 cannot hold."""
    text = _ILLEGAL_REF.sub("", text)
    return _ILLEGAL_RAW.sub("", text)


def _strip_declaration(text):
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def parse(body):
    """A whole answer as an element tree (small answers)."""
    text = _strip_declaration(clean(decode(body))).strip()
    if not text:
        raise ProtocolError("Tally answered with an empty body")
    try:
        return etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(recover=True, huge_tree=True))
    except etree.XMLSyntaxError as error:
        raise ProtocolError("Tally answered with something that is not XML: %s" % error)


def iter_elements(body, tag):
    """Stream the ``tag`` elements of a large answer, freeing each after use."""
    text = _strip_declaration(clean(decode(body)))
    stream = io.BytesIO(text.encode("utf-8"))
    try:
        for _event, element in etree.iterparse(stream, events=("end",), tag=tag,
                                               recover=True, huge_tree=True):
            yield element
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise ProtocolError("Tally's answer broke off: %s" % error)


def _text(element, path):
    found = element.find(path)
    if found is None or found.text is None:
        return None
    value = found.text.strip()
    return value or None


def _amount(text):
    try:
        return float((text or "0").replace(",", ""))
    except ValueError:
        return 0.0


def line_errors(root):
    return [error.text.strip() for error in root.iter("LINEERROR") if error.text and error.text.strip()]


def ledger_to_customer(element):
    """A LEDGER element (flat or TallyPrime 3 shape) to a Customer."""
    name = element.get("NAME") or _text(element, "NAME") or _text(element, "NAME.LIST/NAME")
    address = [a.text.strip() for a in element.iterfind("ADDRESS.LIST/ADDRESS") if a.text and a.text.strip()]
    mailing = element.find("LEDMAILINGDETAILS.LIST")
    if mailing is not None:
        address = address or [a.text.strip() for a in mailing.iterfind("ADDRESS.LIST/ADDRESS")
                              if a.text and a.text.strip()]
    state = _text(element, "LEDSTATENAME") or (mailing is not None and _text(mailing, "STATE")) or None
    pincode = _text(element, "PINCODE") or (mailing is not None and _text(mailing, "PINCODE")) or None
    gst = element.find("LEDGSTREGDETAILS.LIST")
    gstin = _text(element, "PARTYGSTIN") or (gst is not None and _text(gst, "GSTIN")) or None
    alter_id = _text(element, "ALTERID")
    return Customer(
        external_id=_text(element, "GUID"),
        name=name,
        phone=_text(element, "LEDGERPHONE"),
        mobile=_text(element, "LEDGERMOBILE"),
        email=_text(element, "EMAIL"),
        gstin=gstin,
        street=address[0] if address else None,
        city=address[1] if len(address) > 1 else None,
        state=state,
        zip=pincode,
        country=_text(element, "COUNTRYNAME"),
        group=_text(element, "PARENT"),
        opening_balance=_amount(_text(element, "OPENINGBALANCE")),
        version=int(alter_id) if alter_id and alter_id.isdigit() else None,
    )


VOUCHER_KINDS = {"Sales": "sales", "Receipt": "receipt", "Credit Note": "credit_note",
                 "Journal": "journal", "Payment": "payment", "Contra": "contra"}


def voucher_from_element(element):
    lines = []
    for entry in element.iterfind("ALLLEDGERENTRIES.LIST"):
        amount = _amount(_text(entry, "AMOUNT"))
        debit = (_text(entry, "ISDEEMEDPOSITIVE") or "").lower() == "yes"
        lines.append(VoucherLine(_text(entry, "LEDGERNAME"), abs(amount), debit))
    date = _text(element, "DATE") or ""
    vch_type = _text(element, "VOUCHERTYPENAME") or element.get("VCHTYPE")
    alter_id = _text(element, "ALTERID")
    return Voucher(
        kind=VOUCHER_KINDS.get(vch_type, vch_type),
        remote_id=element.get("REMOTEID") or _text(element, "REMOTEID"),
        number=_text(element, "VOUCHERNUMBER"),
        date="%s-%s-%s" % (date[:4], date[4:6], date[6:8]) if len(date) == 8 else date,
        party=_text(element, "PARTYLEDGERNAME"),
        narration=_text(element, "NARRATION"),
        lines=lines,
        external_id=_text(element, "GUID"),
        version=int(alter_id) if alter_id and alter_id.isdigit() else None,
    )


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



def import_result(body):
    """Counts and errors of an import answer, in either of its two shapes.

    Returns ``{'created', 'altered', 'errors', 'exceptions', 'last_vch_id',
    'last_master_id', 'line_errors': [...]}``; raises ProtocolError for an
    answer that is not an import response.
    """
    root = parse(body)
    holder = root.find(".//IMPORTRESULT")
    if holder is None:
        holder = root if root.tag == "RESPONSE" else None
    errors = line_errors(root)
    if holder is None:
        if errors:
            return {"created": 0, "altered": 0, "errors": len(errors), "exceptions": 0,
                    "last_vch_id": None, "last_master_id": None, "line_errors": errors}
        status = _text(root, "HEADER/STATUS")
        raise ProtocolError("Tally did not answer with an import result (status %s): %s"
                            % (status, (etree.tostring(root)[:200]).decode("utf-8", "replace")))

    def count(tag):
        value = _text(holder, tag)
        return int(value) if value and value.lstrip("-").isdigit() else 0

    return {
        "created": count("CREATED"), "altered": count("ALTERED"), "errors": count("ERRORS"),
        "exceptions": count("EXCEPTIONS"), "last_vch_id": count("LASTVCHID") or None,
        "last_master_id": count("LASTMID") or None, "line_errors": errors,
    }
