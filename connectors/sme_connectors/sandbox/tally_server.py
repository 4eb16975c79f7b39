# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A local HTTP server that answers like Tally's XML interface.

    python -m sme_connectors.sandbox.tally_server --port 9000 \\
        --seed connectors/sme_connectors/sandbox/data/tally_demo.json
    python -m sme_connectors.sandbox.tally_server --port 9000 \\
        --seed connectors/sme_connectors/sandbox/data/tally_prime3.json

``GET /`` answers the running line; ``POST /`` takes Tally's export and import
envelopes (both dialects, UTF-8 or UTF-16) and answers in the shapes real
TallyPrime answers have (shared/real-samples/tally): the ``<DESC><CMPINFO>``
counter block in every collection and import answer, voucher types with
RESERVEDNAME and PARENT (renamed and user types), ledgers flat or in
TallyPrime 3's dated lists, with their GST registration type, vouchers in
accounting or invoice view (stock lines with their ledgers, debits
negative) with their bill-wise allocations, ``&#4;`` and raw ``\\x05``.
One request at a time, as Tally serves them. ``/_sandbox/...`` is the
sandbox's own control API (never part of Tally): faults (see FAULTS),
settings (see SETTINGS_DEFAULTS; a seed's ``settings`` apply at start),
seed, reset, company open/close, state.
"""
import base64
import json
import socket
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from lxml import etree

from .cli import serve
from .tally_state import (
    DEFAULT_APPLICABLE_FROM,
    STANDARD_GROUPS,
    TallyBooks,
    TallyError,
)

NO_COMPANY = "Cannot detect First/Last voucher date"
# Stands for the &#4; Tally writes before system values (lxml cannot hold it).
SYSTEM_MARK = "@@TALLY-CHR4@@"
# Stands for the raw \x05 Tally writes between the parts of some keys
# ("Default\x05Voucher\x05Class").
PART_MARK = "@@TALLY-CHR5@@"
SETTINGS_DEFAULTS = {
    "response_shape": "flat",  # flat <RESPONSE> or <ENVELOPE> import answers
    # ledger_shape: flat (Tally.ERP 9, TallyPrime < 3), or 'prime3'
    # (LEDMAILINGDETAILS / LEDGSTREGDETAILS / CONTACTDETAILS lists)
    "ledger_shape": "flat",
    # voucher_lists: the lists the FETCH asks for, or 'invoice_view': invoice
    # vouchers with LEDGERENTRIES + ALLINVENTORYENTRIES only, as Day Book
    # exports give them
    "voucher_lists": "fetched",
    "utf16": False,  # answer in UTF-16 with a BOM
    "illegal_chars": True,  # &#4; before system values and raw \x05, as Tally writes them
    "latency": 0.0,  # seconds before every answer
    "timeout_seconds": 5.0,  # how long the 'timeout' fault holds the answer
    "basic_auth": None,  # "user:password": act as Tally behind an authenticating proxy
}
# The counter block TallyPrime puts in every collection and import answer:
# elements named like the records, holding numbers.
CMPINFO_TAGS = (
    "COMPANY",
    "GROUP",
    "LEDGER",
    "COSTCATEGORY",
    "COSTCENTRE",
    "GODOWN",
    "STOCKGROUP",
    "STOCKCATEGORY",
    "STOCKITEM",
    "VOUCHERTYPE",
    "CURRENCY",
    "UNIT",
    "BUDGET",
    "CLIENTRULE",
    "SERVERRULE",
    "STATE",
    "TDSRATE",
    "TAXCLASSIFICATION",
    "STCATEGORY",
    "DEDUCTEETYPE",
    "ATTENDANCETYPE",
    "FBTCATEGORY",
    "FBTASSESSEETYPE",
    "TARIFFCLASSIFICATION",
    "EXCISEDUTYCLASSIFICATION",
    "SERIALNUMBER",
    "ADJUSTMENTCLASSIFICATION",
    "INCOMETAXSLAB",
    "INCOMETAXCLASSIFICATION",
    "LBTCLASSIFICATION",
    "TAXUNIT",
    "RETURNMASTER",
    "GSTCLASSIFICATION",
    "VOUCHERNUMBERSERIES",
    "VOUCHER",
)
# Fault names the control API queues (FIFO; each is used once):
FAULTS = (
    "http500",
    "http429",
    "reset",
    "timeout",
    "malformed",
    "truncated",
    "cut_connection",
    "exceptions",
)


def _text(element, path):
    found = element.find(path)
    return found.text.strip() if found is not None and found.text else None


def _sub(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        element.text = str(text)
    return element


def _stub(parent, tag):
    """An empty list as Tally writes it: ``<X.LIST>      </X.LIST>``."""
    return _sub(parent, tag, "      ")


def _logical(value):
    return "Yes" if value else "No"


def _registration_type(record):
    """A ledger's GST registration type as Tally keeps it: the one it was
    given, else, for a party ledger, Regular with a GSTIN and
    Unregistered/Consumer without (TallyPrime's defaults)."""
    if record.get("GSTREGISTRATIONTYPE"):
        return record["GSTREGISTRATIONTYPE"]
    if record.get("PARENT") in ("Sundry Debtors", "Sundry Creditors"):
        return "Regular" if record.get("PARTYGSTIN") else "Unregistered/Consumer"
    return None


def _quantity(value, unit):
    number = ("%d" % value) if float(value) == int(value) else ("%.3f" % value)
    return " %s %s" % (number, unit)


class TallySandbox(object):
    """The request logic, separate from HTTP so it is easy to read."""

    def __init__(self, books=None):
        self.books = books or TallyBooks()
        self.settings = dict(SETTINGS_DEFAULTS)
        self.faults = []  # queued, see FAULTS
        self.requests_seen = 0

    # -- entry ----------------------------------------------------------
    def answer(self, body):
        """Text of the answer to one POST body."""
        text = (
            body.decode("utf-16")
            if body.startswith((b"\xff\xfe", b"\xfe\xff"))
            else body.decode("utf-8")
        )
        try:
            root = etree.fromstring(text.encode("utf-8"))
        except etree.XMLSyntaxError:
            return self._line_error_response("Unknown Request, cannot be processed")
        request = (_text(root, "HEADER/TALLYREQUEST") or "").lower()
        if request in ("export", "export data"):
            xml = self._export(root)
        elif request in ("import", "import data"):
            xml = self._import(root)
        else:
            xml = self._line_error_response("Unknown Request, cannot be processed")
        return xml

    def encode(self, xml_text):
        if self.settings["utf16"]:
            return xml_text.encode("utf-16")
        return xml_text.encode("utf-8")

    # -- exports --------------------------------------------------------
    def _export(self, root):
        company = self.books.company(_text(root, ".//STATICVARIABLES/SVCURRENTCOMPANY"))
        if company is None:
            return self._status_envelope(0, "<LINEERROR>%s</LINEERROR>" % NO_COMPANY)
        kind = (_text(root, "HEADER/TYPE") or "").lower()
        report = (
            _text(root, "HEADER/ID") or _text(root, ".//REQUESTDESC/REPORTNAME") or ""
        )
        collection = root.find(".//TDL/TDLMESSAGE/COLLECTION")
        if kind == "collection" and collection is not None:
            return self._export_collection(root, company, collection)
        if report.lower() == "trial balance":
            return self._trial_balance(root, company)
        return self._status_envelope(
            0, "<LINEERROR>Could not find Report '%s'!</LINEERROR>" % _escape(report)
        )

    def _filters(self, root, collection):
        formulas = {
            system.get("NAME"): (system.text or "").strip()
            for system in root.iter("SYSTEM")
            if system.get("TYPE") == "Formulae"
        }
        return [
            formulas.get((f.text or "").strip(), "") for f in collection.iter("FILTER")
        ]

    @staticmethod
    def _fetched(collection):
        """The FETCH list, upper case without ``.LIST``; None when there is none
        (everything)."""
        names = set()
        for fetch in collection.iter("FETCH"):
            names.update(
                name.strip().upper().replace(".LIST", "")
                for name in (fetch.text or "").split(",")
            )
        names.discard("")
        return names or None

    @staticmethod
    def _matches(record, formula):
        """The two TDL filter shapes integrations use: $ALTERID > n and
        $PARENT = "name" (any field)."""
        if not formula:
            return True
        left, _, right = (
            formula.partition(">") if ">" in formula else formula.partition("=")
        )
        field = left.strip().lstrip("$").upper()
        value = right.strip()
        if ">" in formula:
            return int(record.get(field) or 0) > int(value)
        expected = value[1:-1].replace('""', '"') if value.startswith('"') else value
        return str(record.get(field) or "") == expected

    def _cmpinfo(self, parent, company):
        counts = {
            "LEDGER": len(company.ledgers),
            "VOUCHERTYPE": len(company.voucher_types),
            "VOUCHER": len(company.vouchers),
        }
        info = _sub(parent, "CMPINFO")
        for tag in CMPINFO_TAGS:
            _sub(info, tag, counts.get(tag, 0))
        return info

    def _collection_envelope(self, company, **attrs):
        """Tally's collection answer: the CMPINFO counters in DESC, then the records."""
        envelope = etree.Element("ENVELOPE")
        header = _sub(envelope, "HEADER")
        _sub(header, "VERSION", "1")
        _sub(header, "STATUS", "1")
        body = _sub(envelope, "BODY")
        self._cmpinfo(_sub(body, "DESC"), company)
        return envelope, _sub(_sub(body, "DATA"), "COLLECTION", **attrs)

    def _export_collection(self, root, company, collection):
        kind = (_text(collection, "TYPE") or "").lower()
        filters = self._filters(root, collection)
        fetch = self._fetched(collection)
        masters = {"ISMSTDEPTYPE": "Yes", "MSTDEPTYPE": "4"}
        if kind == "voucher":
            envelope, body = self._collection_envelope(
                company, ISCMPDEPTYPE="Yes", CMPLOCUS="4", CMPDEPTYPE="64"
            )
        else:
            envelope, body = self._collection_envelope(company, **masters)
        if kind == "ledger":
            for record in company.ledgers.values():
                if all(self._matches(record, f) for f in filters):
                    self._ledger_element(body, company, record)
        elif kind == "voucher":
            from_date = _text(root, ".//STATICVARIABLES/SVFROMDATE")
            to_date = _text(root, ".//STATICVARIABLES/SVTODATE")
            for record in company.vouchers:
                if (
                    from_date
                    and record["DATE"] < from_date
                    or to_date
                    and record["DATE"] > to_date
                ):
                    continue
                if all(self._matches(record, f) for f in filters):
                    self._voucher_element(body, record, fetch)
        elif kind == "group":
            for name, parent in company.groups.items():
                group = _sub(
                    body,
                    "GROUP",
                    NAME=name,
                    RESERVEDNAME=name if name in STANDARD_GROUPS else "",
                )
                _sub(group, "PARENT", parent or SYSTEM_MARK + " Primary", TYPE="String")
        elif kind == "vouchertype":
            for record in company.voucher_types.values():
                if all(self._matches(record, f) for f in filters):
                    self._voucher_type_element(body, record)
        return etree.tostring(envelope, encoding="unicode", pretty_print=True)

    @staticmethod
    def _names(element, *names):
        language = _sub(element, "LANGUAGENAME.LIST")
        name_list = _sub(language, "NAME.LIST", TYPE="String")
        for name in names:
            _sub(name_list, "NAME", name)
        _sub(language, "LANGUAGEID", " 1033", TYPE="Number")

    def _voucher_type_element(self, parent, record):
        element = _sub(
            parent,
            "VOUCHERTYPE",
            NAME=record["NAME"],
            RESERVEDNAME=record.get("RESERVEDNAME") or "",
        )
        _sub(element, "GUID", record["GUID"])
        _sub(element, "PARENT", record["PARENT"], TYPE="String")
        _sub(element, "ALTERID", " %d" % record["ALTERID"], TYPE="Number")
        _sub(element, "MASTERID", " %d" % record["MASTERID"], TYPE="Number")
        self._names(element, record["NAME"])

    def _ledger_element(self, parent, company, record):
        ledger = _sub(parent, "LEDGER", NAME=record["NAME"], RESERVEDNAME="")
        _sub(ledger, "GUID", record["GUID"])
        _sub(ledger, "PARENT", record.get("PARENT"), TYPE="String")
        if self.settings["ledger_shape"] == "prime3":
            self._prime3_ledger_fields(ledger, record)
        else:
            self._flat_ledger_fields(ledger, record)
        _sub(
            ledger,
            "ISSEZPARTY",
            _logical(str(record.get("ISSEZPARTY") or "").lower() in ("yes", "true")),
            TYPE="Logical",
        )
        _sub(
            ledger,
            "OPENINGBALANCE",
            "%.2f" % float(record.get("OPENINGBALANCE") or 0),
            TYPE="Amount",
        )
        _sub(
            ledger,
            "CLOSINGBALANCE",
            "%.2f" % company.closing_balance(record["NAME"]),
            TYPE="Amount",
        )
        _sub(ledger, "ALTERID", " %d" % record["ALTERID"], TYPE="Number")
        _sub(ledger, "MASTERID", " %d" % record["MASTERID"], TYPE="Number")
        self._names(ledger, record["NAME"])
        if self.settings["ledger_shape"] == "prime3":
            self._prime3_ledger_lists(ledger, record)

    @staticmethod
    def _flat_ledger_fields(ledger, record):
        """Tally.ERP 9 and TallyPrime before 3: address, state and GSTIN flat."""
        address = _sub(ledger, "ADDRESS.LIST", TYPE="String")
        for line in record.get("ADDRESS") or []:
            _sub(address, "ADDRESS", line)
        for tag in (
            "LEDSTATENAME",
            "PINCODE",
            "PARTYGSTIN",
            "LEDGERPHONE",
            "LEDGERMOBILE",
            "EMAIL",
            "COUNTRYNAME",
        ):
            _sub(ledger, tag, record.get(tag) or "")
        _sub(ledger, "GSTREGISTRATIONTYPE", _registration_type(record) or "")

    @staticmethod
    def _prime3_ledger_fields(ledger, record):
        """TallyPrime 3: phones and email stay flat; the country of residence too."""
        if record.get("COUNTRYNAME"):
            _sub(ledger, "COUNTRYOFRESIDENCE", record["COUNTRYNAME"])
        for tag in ("LEDGERPHONE", "LEDGERMOBILE", "EMAIL"):
            if record.get(tag):
                _sub(ledger, tag, record[tag])

    def _prime3_ledger_lists(self, ledger, record):
        """TallyPrime 3's dated lists, in the order the books keep them."""
        registrations = record.get("GSTREG") or (
            [
                {
                    "APPLICABLEFROM": record.get("APPLICABLEFROM")
                    or DEFAULT_APPLICABLE_FROM,
                    "GSTIN": record.get("PARTYGSTIN"),
                    "GSTREGISTRATIONTYPE": _registration_type(record),
                    "PLACEOFSUPPLY": record.get("LEDSTATENAME"),
                }
            ]
            if record.get("PARENT") in ("Sundry Debtors", "Sundry Creditors")
            else []
        )
        for entry in registrations:
            gst = _sub(ledger, "LEDGSTREGDETAILS.LIST")
            _sub(
                gst,
                "APPLICABLEFROM",
                entry.get("APPLICABLEFROM") or DEFAULT_APPLICABLE_FROM,
            )
            _sub(
                gst,
                "GSTREGISTRATIONTYPE",
                entry.get("GSTREGISTRATIONTYPE") or "Regular",
            )
            if entry.get("PLACEOFSUPPLY"):
                _sub(gst, "PLACEOFSUPPLY", entry["PLACEOFSUPPLY"])
            if entry.get("GSTIN"):
                _sub(gst, "GSTIN", entry["GSTIN"])
            _sub(gst, "ISOTHTERRITORYASSESSEE", "No")
        mailings = record.get("MAILING") or (
            [
                {
                    "APPLICABLEFROM": record.get("APPLICABLEFROM")
                    or DEFAULT_APPLICABLE_FROM,
                    "ADDRESS": record.get("ADDRESS"),
                    "STATE": record.get("LEDSTATENAME"),
                    "PINCODE": record.get("PINCODE"),
                    "COUNTRY": record.get("COUNTRYNAME"),
                }
            ]
            if any(
                record.get(k)
                for k in ("ADDRESS", "LEDSTATENAME", "PINCODE", "COUNTRYNAME")
            )
            else []
        )
        for entry in mailings:
            mailing = _sub(ledger, "LEDMAILINGDETAILS.LIST")
            if entry.get("ADDRESS"):
                address = _sub(mailing, "ADDRESS.LIST", TYPE="String")
                for line in entry["ADDRESS"]:
                    _sub(address, "ADDRESS", line)
            _sub(
                mailing,
                "APPLICABLEFROM",
                entry.get("APPLICABLEFROM") or DEFAULT_APPLICABLE_FROM,
            )
            if entry.get("PINCODE"):
                _sub(mailing, "PINCODE", entry["PINCODE"])
            _sub(mailing, "MAILINGNAME", record["NAME"])
            if entry.get("STATE"):
                _sub(mailing, "STATE", entry["STATE"])
            if entry.get("COUNTRY"):
                _sub(mailing, "COUNTRY", entry["COUNTRY"])
        contacts = record.get("CONTACTS") or (
            [
                {
                    "NAME": "Primary Mobile No.",
                    "PHONENUMBER": record["LEDGERMOBILE"],
                    "COUNTRYISDCODE": "+91",
                    "ISDEFAULTWHATSAPPNUM": "Yes",
                }
            ]
            if record.get("LEDGERMOBILE")
            else []
        )
        for entry in contacts:
            contact = _sub(ledger, "CONTACTDETAILS.LIST")
            for tag in (
                "NAME",
                "PHONENUMBER",
                "COUNTRYISDCODE",
                "ISDEFAULTWHATSAPPNUM",
                "EMAIL",
            ):
                if entry.get(tag):
                    _sub(contact, tag, entry[tag])

    @staticmethod
    def _entry(parent, tag, ledger, amount, positive, party=False, bills=None):
        """One ledger entry; ``bills`` its bill-wise allocations (the
        invoice numbers a receipt pays, "New Ref" of a sales invoice)."""
        entry = _sub(parent, tag)
        _sub(entry, "LEDGERNAME", ledger, TYPE="String")
        _sub(entry, "ISDEEMEDPOSITIVE", _logical(positive), TYPE="Logical")
        _sub(entry, "ISPARTYLEDGER", _logical(party), TYPE="Logical")
        _sub(entry, "ISLASTDEEMEDPOSITIVE", _logical(positive), TYPE="Logical")
        _sub(entry, "AMOUNT", "%.2f" % amount, TYPE="Amount")
        for bill in bills or []:
            allocation = _sub(entry, "BILLALLOCATIONS.LIST")
            _sub(allocation, "NAME", bill["NAME"], TYPE="String")
            _sub(allocation, "BILLTYPE", bill.get("BILLTYPE") or "Agst Ref")
            _sub(
                allocation,
                "AMOUNT",
                "%.2f" % float(bill.get("AMOUNT", amount)),
                TYPE="Amount",
            )
        if not bills:
            _stub(entry, "BILLALLOCATIONS.LIST")
        _stub(entry, "COSTTRACKALLOCATIONS.LIST")
        return entry

    def _voucher_element(self, parent, record, fetch=None):
        invoice = bool(record.get("ISINVOICE"))
        view = "Invoice Voucher View" if invoice else "Accounting Voucher View"
        voucher = _sub(
            parent,
            "VOUCHER",
            REMOTEID=record.get("REMOTEID") or record["GUID"],
            VCHKEY="%s:%08x" % (record["GUID"], record["MASTERID"]),
            VCHTYPE=record["VOUCHERTYPENAME"],
            OBJVIEW=view,
        )
        _sub(voucher, "DATE", record["DATE"], TYPE="Date")
        _sub(voucher, "GUID", record["GUID"])
        if record.get("CLASSNAME"):
            _sub(voucher, "CLASSNAME", record["CLASSNAME"].replace(" ", PART_MARK))
        _sub(voucher, "VOUCHERTYPENAME", record["VOUCHERTYPENAME"])
        _sub(
            voucher,
            "PARTYLEDGERNAME",
            record.get("PARTYLEDGERNAME") or "",
            TYPE="String",
        )
        _sub(voucher, "VOUCHERNUMBER", record.get("VOUCHERNUMBER") or "")
        if record.get("NARRATION"):
            _sub(voucher, "NARRATION", record["NARRATION"], TYPE="String")
        _sub(voucher, "PERSISTEDVIEW", view)
        _sub(voucher, "VCHGSTCLASS", SYSTEM_MARK + " Not Applicable")
        for tag in ("ISDELETED", "ISCANCELLED", "ISOPTIONAL", "ISINVOICE"):
            _sub(voucher, tag, _logical(record.get(tag)))
        _sub(voucher, "ALTERID", " %d" % record["ALTERID"], TYPE="Number")
        _sub(voucher, "MASTERID", " %d" % record["MASTERID"], TYPE="Number")
        party = record.get("PARTYLEDGERNAME")
        bills = record.get("BILLS") or {}

        def wanted(name):
            return fetch is None or name in fetch

        day_book_style = invoice and self.settings["voucher_lists"] == "invoice_view"
        if invoice and (
            wanted("ALLINVENTORYENTRIES")
            or wanted("INVENTORYENTRIES")
            or day_book_style
        ):
            for item in record.get("INVENTORY") or []:
                self._inventory_element(voucher, item)
        if invoice and (wanted("LEDGERENTRIES") or day_book_style):
            for ledger, amount, positive in record.get(
                "LEDGER_ENTRIES", record["ENTRIES"]
            ):
                self._entry(
                    voucher,
                    "LEDGERENTRIES.LIST",
                    ledger,
                    amount,
                    positive,
                    ledger == party,
                    bills.get(ledger),
                )
        if wanted("ALLLEDGERENTRIES") and not day_book_style:
            if invoice:
                self._all_entries_of_invoice(voucher, record, party)
            else:
                for ledger, amount, positive in record["ENTRIES"]:
                    self._entry(
                        voucher,
                        "ALLLEDGERENTRIES.LIST",
                        ledger,
                        amount,
                        positive,
                        ledger == party,
                        bills.get(ledger),
                    )

    def _all_entries_of_invoice(self, voucher, record, party):
        """An invoice's complete lines: its ledger entries, then one entry per
        ledger its stock lines post to, with those lines inside."""
        for ledger, amount, positive in record.get("LEDGER_ENTRIES", []):
            self._entry(
                voucher,
                "ALLLEDGERENTRIES.LIST",
                ledger,
                amount,
                positive,
                ledger == party,
                (record.get("BILLS") or {}).get(ledger),
            )
        by_ledger = {}
        for item in record.get("INVENTORY") or []:
            if item.get("ledger"):
                by_ledger.setdefault(item["ledger"], []).append(item)
        for ledger, items in by_ledger.items():
            amount = round(sum(float(item["amount"]) for item in items), 2)
            entry = self._entry(
                voucher, "ALLLEDGERENTRIES.LIST", ledger, amount, amount < 0
            )
            for item in items:
                allocation = _sub(entry, "INVENTORYALLOCATIONS.LIST")
                _sub(allocation, "STOCKITEMNAME", item["item"])
                _sub(
                    allocation, "AMOUNT", "%.2f" % float(item["amount"]), TYPE="Amount"
                )

    @staticmethod
    def _inventory_element(voucher, item):
        amount = float(item["amount"])
        unit = item.get("unit") or "nos"
        entry = _sub(voucher, "ALLINVENTORYENTRIES.LIST")
        _sub(entry, "STOCKITEMNAME", item["item"])
        _sub(entry, "ISDEEMEDPOSITIVE", _logical(amount < 0), TYPE="Logical")
        _sub(
            entry, "RATE", "%.2f/%s" % (float(item.get("rate") or 0), unit), TYPE="Rate"
        )
        _sub(entry, "AMOUNT", "%.2f" % amount, TYPE="Amount")
        _sub(
            entry,
            "ACTUALQTY",
            _quantity(float(item.get("qty") or 0), unit),
            TYPE="Quantity",
        )
        _sub(
            entry,
            "BILLEDQTY",
            _quantity(float(item.get("qty") or 0), unit),
            TYPE="Quantity",
        )
        batch = _sub(entry, "BATCHALLOCATIONS.LIST")
        _sub(batch, "GODOWNNAME", "Main Location")
        _sub(batch, "BATCHNAME", "Primary Batch")
        for tag in ("INDENTNO", "ORDERNO", "TRACKINGNUMBER"):
            _sub(batch, tag, SYSTEM_MARK + " Not Applicable")
        _sub(batch, "AMOUNT", "%.2f" % amount)
        if item.get("ledger"):
            allocation = _sub(entry, "ACCOUNTINGALLOCATIONS.LIST")
            _sub(allocation, "LEDGERNAME", item["ledger"])
            _sub(allocation, "ISDEEMEDPOSITIVE", _logical(amount < 0))
            _sub(allocation, "ISPARTYLEDGER", "No")
            _sub(allocation, "AMOUNT", "%.2f" % amount)
        if item.get("gst_rate") is not None:
            rate = float(item["gst_rate"])
            for head, value in (
                ("CGST", rate / 2),
                ("SGST/UTGST", rate / 2),
                ("IGST", rate),
            ):
                detail = _sub(entry, "RATEDETAILS.LIST")
                _sub(detail, "GSTRATEDUTYHEAD", head)
                _sub(detail, "GSTRATEVALUATIONTYPE", "Based on Value")
                _sub(detail, "GSTRATE", " %g" % value)
            detail = _sub(entry, "RATEDETAILS.LIST")
            _sub(detail, "GSTRATEDUTYHEAD", "Cess")
            _sub(detail, "GSTRATEVALUATIONTYPE", SYSTEM_MARK + " Not Applicable")

    def _trial_balance(self, root, company):
        to_date = _text(root, ".//STATICVARIABLES/SVTODATE")
        parts = []
        for name in sorted(company.ledgers):
            balance = company.closing_balance(name, to_date)
            if not balance:
                continue
            display = etree.Element("DSPDISPNAME")
            display.text = name
            parts.append(
                "<DSPACCNAME>%s</DSPACCNAME>"
                % etree.tostring(display, encoding="unicode")
            )
            debit = "%.2f" % balance if balance < 0 else ""
            credit = "%.2f" % balance if balance > 0 else ""
            parts.append(
                "<DSPACCINFO><DSPCLDRAMT><DSPCLDRAMTA>%s</DSPCLDRAMTA></DSPCLDRAMT>"
                "<DSPCLCRAMT><DSPCLCRAMTA>%s</DSPCLCRAMTA></DSPCLCRAMT></DSPACCINFO>"
                % (debit, credit)
            )
        return "<ENVELOPE>%s</ENVELOPE>" % "".join(parts)

    # -- imports --------------------------------------------------------
    def _import(self, root):
        company = self.books.company(_text(root, ".//STATICVARIABLES/SVCURRENTCOMPANY"))
        report = (
            _text(root, ".//REQUESTDESC/REPORTNAME") or _text(root, "HEADER/ID") or ""
        ).lower()
        message = root.find(".//TALLYMESSAGE")
        counts = {
            "CREATED": 0,
            "ALTERED": 0,
            "ERRORS": 0,
            "EXCEPTIONS": 0,
            "LASTVCHID": 0,
            "LASTMID": 0,
        }
        errors = []
        if company is None:
            errors.append(NO_COMPANY)
            counts["ERRORS"] += 1
        elif message is None or report not in ("all masters", "vouchers"):
            return self._status_envelope(0, "<DESC>not found</DESC>")
        elif self._take_fault("exceptions"):
            # Tally's reject without a word: nothing created, no LINEERROR.
            counts["EXCEPTIONS"] = len(message)
        else:
            for element in message:
                try:
                    if element.tag == "LEDGER":
                        outcome, record = company.save_ledger(
                            self._ledger_values(element),
                            element.get("ACTION") or "Create",
                        )
                        counts["LASTMID"] = record["MASTERID"]
                    elif element.tag == "VOUCHER":
                        outcome, record = company.save_voucher(
                            self._voucher_values(element),
                            element.get("ACTION") or "Create",
                        )
                        counts["LASTVCHID"] = record["MASTERID"]
                    else:
                        continue
                    counts[outcome.upper()] += 1
                except TallyError as error:
                    counts["ERRORS"] += 1
                    errors.append(str(error))
        return self._import_response(counts, errors, company)

    @staticmethod
    def _ledger_values(element):
        values = {"NAME": element.get("NAME") or _text(element, "NAME.LIST/NAME")}
        for tag in (
            "PARENT",
            "LEDGERPHONE",
            "LEDGERMOBILE",
            "EMAIL",
            "PARTYGSTIN",
            "LEDSTATENAME",
            "PINCODE",
            "COUNTRYNAME",
            "GSTREGISTRATIONTYPE",
        ):
            value = _text(element, tag)
            if value is not None:
                values[tag] = value
        address = [a.text for a in element.iterfind("ADDRESS.LIST/ADDRESS") if a.text]
        if address:
            values["ADDRESS"] = address
        if _text(element, "OPENINGBALANCE"):
            values["OPENINGBALANCE"] = float(_text(element, "OPENINGBALANCE"))
        return values

    @staticmethod
    def _entries(element, tag):
        entries = []
        for entry in element.iterfind(tag):
            if _text(entry, "LEDGERNAME") is None:
                continue
            amount = float(_text(entry, "AMOUNT") or 0)
            entries.append(
                (
                    _text(entry, "LEDGERNAME"),
                    amount,
                    (_text(entry, "ISDEEMEDPOSITIVE") or "").lower() == "yes",
                )
            )
        return entries

    def _voucher_values(self, element):
        """Both views: ALLLEDGERENTRIES.LIST (accounting view), or
        LEDGERENTRIES.LIST with the stock lines' accounting allocations
        (invoice view)."""
        entries = self._entries(element, "ALLLEDGERENTRIES.LIST")
        values = {
            "DATE": _text(element, "DATE"),
            "VOUCHERTYPENAME": _text(element, "VOUCHERTYPENAME")
            or element.get("VCHTYPE"),
            "VOUCHERNUMBER": _text(element, "VOUCHERNUMBER"),
            "PARTYLEDGERNAME": _text(element, "PARTYLEDGERNAME"),
            "NARRATION": _text(element, "NARRATION"),
            "REMOTEID": element.get("REMOTEID") or _text(element, "REMOTEID"),
        }
        inventory = []
        for entry in element.iterfind("ALLINVENTORYENTRIES.LIST"):
            if not _text(entry, "STOCKITEMNAME"):
                continue
            allocation = entry.find("ACCOUNTINGALLOCATIONS.LIST")
            rate = (_text(entry, "RATE") or "0/nos").split("/")
            inventory.append(
                {
                    "item": _text(entry, "STOCKITEMNAME"),
                    "amount": float(_text(entry, "AMOUNT") or 0),
                    "rate": float(rate[0] or 0),
                    "unit": rate[1] if len(rate) > 1 else "nos",
                    "qty": float((_text(entry, "BILLEDQTY") or "0").split()[0]),
                    "ledger": _text(allocation, "LEDGERNAME")
                    if allocation is not None
                    else None,
                }
            )
        if not entries:
            ledger_entries = self._entries(element, "LEDGERENTRIES.LIST")
            entries = list(ledger_entries) + [
                (item["ledger"], item["amount"], item["amount"] < 0)
                for item in inventory
                if item["ledger"]
            ]
        else:
            # Complete lines with stock lines: the ledger entries are what the
            # stock lines' ledgers do not account for.
            allocated = {}
            for item in inventory:
                if item["ledger"]:
                    allocated[item["ledger"]] = (
                        allocated.get(item["ledger"], 0.0) + item["amount"]
                    )
            ledger_entries = []
            for ledger, amount, positive in entries:
                rest = round(amount - allocated.pop(ledger, 0.0), 2)
                if rest:
                    ledger_entries.append((ledger, rest, positive))
        if inventory:
            values.update(
                INVENTORY=inventory, LEDGER_ENTRIES=ledger_entries, ISINVOICE=True
            )
        values["ENTRIES"] = entries
        bills = {}
        for entry in list(element.iterfind("ALLLEDGERENTRIES.LIST")) + list(
            element.iterfind("LEDGERENTRIES.LIST")
        ):
            for bill in entry.iterfind("BILLALLOCATIONS.LIST"):
                if _text(bill, "NAME") and _text(entry, "LEDGERNAME"):
                    bills.setdefault(_text(entry, "LEDGERNAME"), []).append(
                        {
                            "NAME": _text(bill, "NAME"),
                            "BILLTYPE": _text(bill, "BILLTYPE") or "Agst Ref",
                            "AMOUNT": float(
                                _text(bill, "AMOUNT") or _text(entry, "AMOUNT") or 0
                            ),
                        }
                    )
        if bills:
            values["BILLS"] = bills
        return values

    def _import_response(self, counts, errors, company=None):
        line_errors = "".join("<LINEERROR>%s</LINEERROR>" % _escape(e) for e in errors)
        fields = "".join(
            "<%s>%d</%s>" % (k, v, k)
            for k, v in (
                ("CREATED", counts["CREATED"]),
                ("ALTERED", counts["ALTERED"]),
                ("DELETED", 0),
                ("LASTVCHID", counts["LASTVCHID"]),
                ("LASTMID", counts["LASTMID"]),
                ("COMBINED", 0),
                ("IGNORED", 0),
                ("ERRORS", counts["ERRORS"]),
                ("CANCELLED", 0),
                ("EXCEPTIONS", counts["EXCEPTIONS"]),
            )
        )
        if self.settings["response_shape"] == "envelope":
            desc = ""
            if company is not None:
                info = etree.Element("DESC")
                self._cmpinfo(info, company)
                _sub(
                    _sub(_sub(info, "CMPINFOEX"), "IDINFO"),
                    "LASTCREATEDVCHID",
                    company.last_master_id,
                )
                _sub(_sub(info, "MSTALTIDINFO"), "EXPSUMID", 0)
                desc = etree.tostring(info, encoding="unicode")
            return (
                "<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>1</STATUS></HEADER><BODY><DATA>"
                "<IMPORTRESULT>%s%s</IMPORTRESULT></DATA>%s</BODY></ENVELOPE>"
                % (fields, line_errors, desc)
            )
        return "<RESPONSE>%s%s</RESPONSE>" % (fields, line_errors)

    def _status_envelope(self, status, body):
        return (
            "<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>%d</STATUS></HEADER>"
            "<BODY><DESC></DESC>%s</BODY></ENVELOPE>" % (status, body)
        )

    def _line_error_response(self, text):
        return "<RESPONSE><LINEERROR>%s</LINEERROR></RESPONSE>" % _escape(text)

    def _take_fault(self, name):
        if self.faults and self.faults[0] == name:
            self.faults.pop(0)
            return True
        return False

    def render(self, xml_text):
        """Tally writes &#4; before system values and raw \\x05 inside some
        keys; clients must cope."""
        if self.settings["illegal_chars"]:
            return xml_text.replace(SYSTEM_MARK, "&#4;").replace(PART_MARK, "\x05")
        return (
            xml_text.replace(SYSTEM_MARK + " ", "")
            .replace(SYSTEM_MARK, "")
            .replace(PART_MARK, " ")
        )


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class TallyRequestHandler(BaseHTTPRequestHandler):
    server_version = "TallyPrime-Sandbox/1.0"
    sandbox = None  # set by make_server

    def log_message(self, format, *args):  # quiet, like Tally
        pass

    def _send(self, status, body, content_type="text/xml; charset=utf-8"):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a timeout): Tally carried the request
            # out all the same.
            pass

    def _authorized(self):
        expected = self.sandbox.settings.get("basic_auth")
        if not expected or self.path.startswith("/_sandbox/"):
            return True
        header = self.headers.get("Authorization") or ""
        if (
            header.startswith("Basic ")
            and base64.b64decode(header[6:]).decode("utf-8", "replace") == expected
        ):
            return True
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="Tally"')
        self.send_header("Content-Length", "0")
        self.end_headers()
        return False

    def do_GET(self):
        if not self._authorized():
            return
        if self.path.startswith("/_sandbox/state"):
            body = json.dumps(
                {
                    "companies": self.sandbox.books.summary(),
                    "settings": self.sandbox.settings,
                    "faults": self.sandbox.faults,
                    "requests": self.sandbox.requests_seen,
                }
            )
            return self._send(200, body.encode("utf-8"), "application/json")
        self._send(
            200,
            self.sandbox.encode("<RESPONSE>TallyPrime Server is Running</RESPONSE>"),
        )

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if not self._authorized():
            return
        sandbox = self.sandbox
        if self.path.startswith("/_sandbox/"):
            return self._control(json.loads(body.decode("utf-8") or "{}"))
        sandbox.requests_seen += 1
        if sandbox.settings["latency"]:
            time.sleep(sandbox.settings["latency"])
        if sandbox._take_fault("http500"):
            return self._send(500, b"Internal error")
        if sandbox._take_fault("http429"):
            self.send_response(429)
            self.send_header("Retry-After", "7")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if sandbox._take_fault("reset"):
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if sandbox._take_fault("timeout"):
            # The answer comes late, but the request is carried out: the
            # client that gave up does not know whether it was.
            time.sleep(
                float(
                    self.headers.get("X-Sandbox-Timeout")
                    or sandbox.settings["timeout_seconds"]
                )
            )
        with sandbox.books.lock:
            answer = sandbox.render(sandbox.answer(body))
        if sandbox._take_fault("malformed"):
            answer = answer[: len(answer) // 2]
        payload = sandbox.encode(answer)
        content_type = (
            "text/xml; charset=utf-16"
            if sandbox.settings["utf16"]
            else "text/xml; charset=utf-8"
        )
        if sandbox._take_fault("truncated"):
            # The answer broke off mid-way (Tally stopped writing): what
            # arrives is well-framed HTTP, but not the whole XML.
            payload = payload[: max(1, len(payload) * 3 // 5)]
        if sandbox._take_fault("cut_connection"):
            # The connection drops mid-answer: fewer bytes than announced.
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload[: len(payload) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self._send(200, payload, content_type)

    def _control(self, command):
        sandbox = self.sandbox
        if self.path.startswith("/_sandbox/faults"):
            sandbox.faults.extend(command.get("faults", []))
        elif self.path.startswith("/_sandbox/settings"):
            unknown = set(command) - set(SETTINGS_DEFAULTS)
            if unknown:
                return self._send(
                    400, ("unknown settings: %s" % sorted(unknown)).encode("utf-8")
                )
            sandbox.settings.update(command)
        elif self.path.startswith("/_sandbox/seed"):
            sandbox.books.seed(command)
            sandbox.settings.update(command.get("settings") or {})
        elif self.path.startswith("/_sandbox/reset"):
            sandbox.books = TallyBooks()
            sandbox.settings = dict(SETTINGS_DEFAULTS)
            sandbox.faults = []
            if command:
                sandbox.books.seed(command)
                sandbox.settings.update(command.get("settings") or {})
        elif self.path.startswith("/_sandbox/company"):
            # open / close a company, as a Tally user would
            name = command["name"]
            if command.get("open", True):
                sandbox.books.add_company(name)
            else:
                sandbox.books.open_companies.discard(name)
        else:
            return self._send(404, b"unknown sandbox command")
        self._send(200, b'{"ok": true}', "application/json")


def make_server(host="127.0.0.1", port=9000, seed_path=None):
    """A single-threaded server: one request at a time, like Tally."""
    sandbox = TallySandbox()
    if seed_path:
        # A seed may say which release's shapes the server answers in.
        sandbox.settings.update(sandbox.books.seed_file(seed_path))
    handler = type("Handler", (TallyRequestHandler,), {"sandbox": sandbox})
    server = HTTPServer((host, port), handler)
    server.sandbox = sandbox
    return server


def main():
    serve(
        __doc__,
        make_server,
        "Tally sandbox",
        9000,
        "JSON file with companies, ledgers and vouchers",
    )


if __name__ == "__main__":
    main()
