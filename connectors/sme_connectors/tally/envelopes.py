# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Build the XML requests Tally understands. Values are set as element text
or attributes through lxml, so every value is escaped."""
from lxml import etree

# Both ledger shapes: the flat fields of Tally.ERP 9 / TallyPrime before 3,
# and TallyPrime 3's dated lists (LEDMAILINGDETAILS, LEDGSTREGDETAILS) and
# contact list.
LEDGER_FIELDS = (
    "GUID",
    "ALTERID",
    "MASTERID",
    "NAME",
    "PARENT",
    "LEDGERPHONE",
    "LEDGERMOBILE",
    "EMAIL",
    "PARTYGSTIN",
    "ADDRESS",
    "LEDSTATENAME",
    "PINCODE",
    "COUNTRYNAME",
    "COUNTRYOFRESIDENCE",
    "OPENINGBALANCE",
    "CLOSINGBALANCE",
    "LEDMAILINGDETAILS",
    "LEDGSTREGDETAILS",
    "CONTACTDETAILS",
    "GSTREGISTRATIONTYPE",
    "ISSEZPARTY",
    "PLACEOFSUPPLY",
)
# ALLLEDGERENTRIES are a voucher's complete lines; an invoice-view voucher
# may come with LEDGERENTRIES and its inventory lines instead.
VOUCHER_FIELDS = (
    "GUID",
    "ALTERID",
    "MASTERID",
    "DATE",
    "VOUCHERTYPENAME",
    "VOUCHERNUMBER",
    "PARTYLEDGERNAME",
    "NARRATION",
    "REMOTEID",
    "ISCANCELLED",
    "ISOPTIONAL",
    "ISDELETED",
    "ISINVOICE",
    "PERSISTEDVIEW",
    "ALLLEDGERENTRIES",
    "LEDGERENTRIES",
    "ALLINVENTORYENTRIES",
    "INVENTORYENTRIES",
)
VOUCHER_TYPE_FIELDS = ("GUID", "ALTERID", "MASTERID", "NAME", "PARENT")
# Tally's reserved voucher type of each kind (users may rename them: the
# client writes the name the company uses).
VOUCHER_TYPES = {
    "sales": "Sales",
    "receipt": "Receipt",
    "credit_note": "Credit Note",
    "journal": "Journal",
    "payment": "Payment",
    "contra": "Contra",
}


def _sub(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        element.text = str(text)
    return element


def _static_variables(desc, company, **variables):
    static = _sub(desc, "STATICVARIABLES")
    _sub(static, "SVEXPORTFORMAT", "$$SysName:XML")
    if company:
        _sub(static, "SVCURRENTCOMPANY", company)
    for name, value in variables.items():
        if value is not None:
            _sub(static, name, value)
    return static


def _envelope(request, kind, request_id):
    envelope = etree.Element("ENVELOPE")
    header = _sub(envelope, "HEADER")
    _sub(header, "VERSION", "1")
    _sub(header, "TALLYREQUEST", request)
    _sub(header, "TYPE", kind)
    _sub(header, "ID", request_id)
    return envelope, _sub(_sub(envelope, "BODY"), "DESC")


def _tostring(envelope):
    return etree.tostring(envelope, encoding="utf-8", xml_declaration=False)


def collection_request(
    company, collection_type, fields, filters=(), from_date=None, to_date=None
):
    """Export a collection (Ledger, Group, Voucher) with the given FETCH list
    and filter formulas (TDL expressions, all of which must hold)."""
    name = "Sme%ss" % collection_type
    envelope, desc = _envelope("Export", "Collection", name)
    _static_variables(desc, company, SVFROMDATE=from_date, SVTODATE=to_date)
    message = _sub(_sub(desc, "TDL"), "TDLMESSAGE")
    collection = _sub(message, "COLLECTION", NAME=name, ISMODIFY="No")
    _sub(collection, "TYPE", collection_type)
    _sub(collection, "FETCH", ", ".join(fields))
    for index, formula in enumerate(filters):
        filter_name = "SmeFilter%d" % index
        _sub(collection, "FILTER", filter_name)
        _sub(message, "SYSTEM", formula, TYPE="Formulae", NAME=filter_name)
    return _tostring(envelope)


def tdl_string(value):
    """A TDL string literal."""
    return '"%s"' % str(value).replace('"', '""')


def ledgers_request(company, group=None, after_alter_id=None):
    filters = []
    if group:
        filters.append("$PARENT = %s" % tdl_string(group))
    if after_alter_id:
        filters.append("$ALTERID > %d" % int(after_alter_id))
    return collection_request(company, "Ledger", LEDGER_FIELDS, filters)


def vouchers_request(company, from_date=None, to_date=None, after_alter_id=None):
    filters = ["$ALTERID > %d" % int(after_alter_id)] if after_alter_id else []
    return collection_request(
        company, "Voucher", VOUCHER_FIELDS, filters, from_date, to_date
    )


def groups_request(company):
    return collection_request(company, "Group", ("GUID", "ALTERID", "NAME", "PARENT"))


def voucher_types_request(company):
    """The voucher-type masters: their RESERVEDNAME and PARENT say which of
    Tally's types a renamed or user-made type is."""
    return collection_request(company, "VoucherType", VOUCHER_TYPE_FIELDS)


def report_request(company, report, from_date=None, to_date=None):
    envelope, desc = _envelope("Export", "Data", report)
    _static_variables(
        desc, company, SVFROMDATE=from_date, SVTODATE=to_date, EXPLODEFLAG="Yes"
    )
    return _tostring(envelope)


def _import_envelope(company, report):
    envelope = etree.Element("ENVELOPE")
    _sub(_sub(envelope, "HEADER"), "TALLYREQUEST", "Import Data")
    import_data = _sub(_sub(envelope, "BODY"), "IMPORTDATA")
    request_desc = _sub(import_data, "REQUESTDESC")
    _sub(request_desc, "REPORTNAME", report)
    static = _sub(request_desc, "STATICVARIABLES")
    _sub(static, "SVCURRENTCOMPANY", company)
    message = _sub(
        _sub(import_data, "REQUESTDATA"), "TALLYMESSAGE", nsmap={"UDF": "TallyUDF"}
    )
    return envelope, message


def ledger_import(company, customer, group, alter=False):
    """Create (or alter) a customer ledger."""
    envelope, message = _import_envelope(company, "All Masters")
    ledger = _sub(
        message, "LEDGER", NAME=customer.name, ACTION="Alter" if alter else "Create"
    )
    _sub(_sub(ledger, "NAME.LIST", TYPE="String"), "NAME", customer.name)
    _sub(ledger, "PARENT", group)
    for tag, value in (
        ("LEDGERPHONE", customer.phone),
        ("LEDGERMOBILE", customer.mobile),
        ("EMAIL", customer.email),
        ("PARTYGSTIN", customer.gstin),
        ("LEDSTATENAME", customer.state),
        ("PINCODE", customer.zip),
        ("COUNTRYNAME", customer.country),
    ):
        if value:
            _sub(ledger, tag, value)
    address_lines = [line for line in (customer.street, customer.city) if line]
    if address_lines:
        address = _sub(ledger, "ADDRESS.LIST", TYPE="String")
        for line in address_lines:
            _sub(address, "ADDRESS", line)
    _sub(ledger, "ISBILLWISEON", "Yes")
    return _tostring(envelope)


def format_amount(amount, debit):
    """Tally's sign convention: debits negative, credits positive."""
    value = -abs(amount) if debit else abs(amount)
    return "%.2f" % value


def voucher_import(company, voucher, alter=False, vch_type=None):
    """Create (or alter, by REMOTEID) a voucher. Lines must balance.
    ``vch_type`` is the company's name for the kind's reserved type (Tally's
    own name by default)."""
    envelope, message = _import_envelope(company, "Vouchers")
    vch_type = vch_type or VOUCHER_TYPES[voucher.kind]
    element = _sub(
        message,
        "VOUCHER",
        VCHTYPE=vch_type,
        ACTION="Alter" if alter else "Create",
        REMOTEID=voucher.remote_id,
    )
    _sub(element, "DATE", voucher.date.replace("-", ""))
    _sub(element, "VOUCHERTYPENAME", vch_type)
    _sub(element, "VOUCHERNUMBER", voucher.number)
    if voucher.party:
        _sub(element, "PARTYLEDGERNAME", voucher.party)
    if voucher.narration:
        _sub(element, "NARRATION", voucher.narration)
    for line in voucher.lines:
        entry = _sub(element, "ALLLEDGERENTRIES.LIST")
        _sub(entry, "LEDGERNAME", line.account)
        _sub(entry, "ISDEEMEDPOSITIVE", "Yes" if line.debit else "No")
        _sub(entry, "AMOUNT", format_amount(line.amount, line.debit))
        if line.bill_ref:
            bill = _sub(entry, "BILLALLOCATIONS.LIST")
            _sub(bill, "NAME", line.bill_ref)
            _sub(bill, "BILLTYPE", "New Ref" if voucher.kind == "sales" else "Agst Ref")
            _sub(bill, "AMOUNT", format_amount(line.amount, line.debit))
    return _tostring(envelope)
