"""A local HTTP server that answers like Tally's XML interface.

    python sandbox/tally_server.py --port 9000 --seed sandbox/data/tally_demo.json

``GET /`` answers the running line; ``POST /`` takes Tally's export and import
envelopes (both dialects, UTF-8 or UTF-16) and answers in Tally's shapes.
One request at a time, as Tally serves them. ``/_sandbox/...`` is the
sandbox's own control API (never part of Tally): faults, settings, state.
"""
import base64
import json
import socket
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

from lxml import etree

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sandbox.cli import serve  # noqa: E402
from sandbox.tally_state import TallyBooks, TallyError  # noqa: E402

NO_COMPANY = "Cannot detect First/Last voucher date"
# Stands for the &#4; Tally writes before system values (lxml cannot hold it).
SYSTEM_MARK = "@@TALLY-CHR4@@"
SETTINGS_DEFAULTS = {
    "response_shape": "flat",     # flat <RESPONSE> or <ENVELOPE> import answers
    "ledger_shape": "flat",       # flat, or 'prime3' (LEDMAILINGDETAILS / LEDGSTREGDETAILS)
    "utf16": False,               # answer in UTF-16 with a BOM
    "illegal_chars": True,        # &#4; before system values, as Tally writes them
    "latency": 0.0,               # seconds before every answer
    "basic_auth": None,           # "user:password": act as Tally behind an authenticating proxy
}


def _text(element, path):
    found = element.find(path)
    return found.text.strip() if found is not None and found.text else None


def _sub(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        element.text = str(text)
    return element


class TallySandbox(object):
    """The request logic, separate from HTTP so it is easy to read."""

    def __init__(self, books=None):
        self.books = books or TallyBooks()
        self.settings = dict(SETTINGS_DEFAULTS)
        self.faults = []          # queued: 'http500', 'http429', 'reset', 'malformed', 'exceptions', 'timeout'
        self.requests_seen = 0

    # -- entry ----------------------------------------------------------
    def answer(self, body):
        """Bytes of the answer to one POST body."""
        text = body.decode("utf-16") if body.startswith((b"\xff\xfe", b"\xfe\xff")) else body.decode("utf-8")
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
        report = _text(root, "HEADER/ID") or _text(root, ".//REQUESTDESC/REPORTNAME") or ""
        collection = root.find(".//TDL/TDLMESSAGE/COLLECTION")
        if kind == "collection" and collection is not None:
            return self._export_collection(root, company, collection)
        if report.lower() == "trial balance":
            return self._trial_balance(root, company)
        return self._status_envelope(0, "<LINEERROR>Could not find Report '%s'!</LINEERROR>"
                                     % _escape(report))

    def _filters(self, root, collection):
        formulas = {system.get("NAME"): (system.text or "").strip()
                    for system in root.iter("SYSTEM") if system.get("TYPE") == "Formulae"}
        return [formulas.get((f.text or "").strip(), "") for f in collection.iter("FILTER")]

    @staticmethod
    def _matches(record, formula):
        """The two TDL filter shapes integrations use: $ALTERID > n and
        $PARENT = "name"."""
        if not formula:
            return True
        left, _, right = formula.partition(">") if ">" in formula else formula.partition("=")
        field = left.strip().lstrip("$").upper()
        value = right.strip()
        if ">" in formula:
            return int(record.get(field) or 0) > int(value)
        expected = value[1:-1].replace('""', '"') if value.startswith('"') else value
        return str(record.get(field) or "") == expected

    def _export_collection(self, root, company, collection):
        kind = (_text(collection, "TYPE") or "").lower()
        filters = self._filters(root, collection)
        body = etree.Element("COLLECTION")
        if kind == "ledger":
            for record in company.ledgers.values():
                if all(self._matches(record, f) for f in filters):
                    self._ledger_element(body, company, record)
        elif kind == "voucher":
            from_date = _text(root, ".//STATICVARIABLES/SVFROMDATE")
            to_date = _text(root, ".//STATICVARIABLES/SVTODATE")
            for record in company.vouchers:
                if from_date and record["DATE"] < from_date or to_date and record["DATE"] > to_date:
                    continue
                if all(self._matches(record, f) for f in filters):
                    self._voucher_element(body, record)
        elif kind == "group":
            for name, parent in company.groups.items():
                group = _sub(body, "GROUP", NAME=name)
                _sub(group, "PARENT", parent or SYSTEM_MARK + " Primary")
        xml = etree.tostring(body, encoding="unicode")
        return self._status_envelope(1, "<DATA>%s</DATA>" % xml)

    def _ledger_element(self, parent, company, record):
        ledger = _sub(parent, "LEDGER", NAME=record["NAME"], RESERVEDNAME="")
        for tag in ("GUID", "ALTERID", "MASTERID", "PARENT"):
            _sub(ledger, tag, record.get(tag))
        _sub(_sub(ledger, "NAME.LIST", TYPE="String"), "NAME", record["NAME"])
        if self.settings["ledger_shape"] == "prime3":
            mailing = _sub(ledger, "LEDMAILINGDETAILS.LIST")
            _sub(mailing, "APPLICABLEFROM", "20240401")
            address = _sub(mailing, "ADDRESS.LIST", TYPE="String")
            for line in record.get("ADDRESS") or []:
                _sub(address, "ADDRESS", line)
            _sub(mailing, "STATE", record.get("LEDSTATENAME") or "")
            _sub(mailing, "PINCODE", record.get("PINCODE") or "")
            gst = _sub(ledger, "LEDGSTREGDETAILS.LIST")
            _sub(gst, "APPLICABLEFROM", "20240401")
            _sub(gst, "GSTIN", record.get("PARTYGSTIN") or "")
        else:
            address = _sub(ledger, "ADDRESS.LIST", TYPE="String")
            for line in record.get("ADDRESS") or []:
                _sub(address, "ADDRESS", line)
            for tag in ("LEDSTATENAME", "PINCODE", "PARTYGSTIN"):
                _sub(ledger, tag, record.get(tag) or "")
        for tag in ("LEDGERPHONE", "LEDGERMOBILE", "EMAIL", "COUNTRYNAME"):
            _sub(ledger, tag, record.get(tag) or "")
        _sub(ledger, "OPENINGBALANCE", "%.2f" % float(record.get("OPENINGBALANCE") or 0))
        _sub(ledger, "CLOSINGBALANCE", "%.2f" % company.closing_balance(record["NAME"]))

    def _voucher_element(self, parent, record):
        voucher = _sub(parent, "VOUCHER", VCHTYPE=record["VOUCHERTYPENAME"], REMOTEID=record.get("REMOTEID") or "")
        for tag in ("GUID", "ALTERID", "MASTERID", "DATE", "VOUCHERTYPENAME", "VOUCHERNUMBER",
                    "PARTYLEDGERNAME", "NARRATION"):
            _sub(voucher, tag, record.get(tag) or "")
        for ledger, amount, positive in record["ENTRIES"]:
            entry = _sub(voucher, "ALLLEDGERENTRIES.LIST")
            _sub(entry, "LEDGERNAME", ledger)
            _sub(entry, "ISDEEMEDPOSITIVE", "Yes" if positive else "No")
            _sub(entry, "AMOUNT", "%.2f" % amount)

    def _trial_balance(self, root, company):
        to_date = _text(root, ".//STATICVARIABLES/SVTODATE")
        parts = []
        for name in sorted(company.ledgers):
            balance = company.closing_balance(name, to_date)
            if not balance:
                continue
            display = etree.Element("DSPDISPNAME")
            display.text = name
            parts.append("<DSPACCNAME>%s</DSPACCNAME>" % etree.tostring(display, encoding="unicode"))
            debit = "%.2f" % balance if balance < 0 else ""
            credit = "%.2f" % balance if balance > 0 else ""
            parts.append("<DSPACCINFO><DSPCLDRAMT><DSPCLDRAMTA>%s</DSPCLDRAMTA></DSPCLDRAMT>"
                         "<DSPCLCRAMT><DSPCLCRAMTA>%s</DSPCLCRAMTA></DSPCLCRAMT></DSPACCINFO>" % (debit, credit))
        return "<ENVELOPE>%s</ENVELOPE>" % "".join(parts)

    # -- imports --------------------------------------------------------
    def _import(self, root):
        company = self.books.company(_text(root, ".//STATICVARIABLES/SVCURRENTCOMPANY"))
        report = (_text(root, ".//REQUESTDESC/REPORTNAME") or _text(root, "HEADER/ID") or "").lower()
        message = root.find(".//TALLYMESSAGE")
        counts = {"CREATED": 0, "ALTERED": 0, "ERRORS": 0, "EXCEPTIONS": 0, "LASTVCHID": 0, "LASTMID": 0}
        errors = []
        if company is None:
            errors.append(NO_COMPANY)
            counts["ERRORS"] += 1
        elif message is None or report not in ("all masters", "vouchers"):
            return self._status_envelope(0, "<DESC>not found</DESC>")
        elif self._take_fault("exceptions"):
            counts["EXCEPTIONS"] = len(message)
        else:
            for element in message:
                try:
                    if element.tag == "LEDGER":
                        outcome, record = company.save_ledger(self._ledger_values(element),
                                                              element.get("ACTION") or "Create")
                        counts["LASTMID"] = record["MASTERID"]
                    elif element.tag == "VOUCHER":
                        outcome, record = company.save_voucher(self._voucher_values(element),
                                                               element.get("ACTION") or "Create")
                        counts["LASTVCHID"] = record["MASTERID"]
                    else:
                        continue
                    counts[outcome.upper()] += 1
                except TallyError as error:
                    counts["ERRORS"] += 1
                    errors.append(str(error))
        return self._import_response(counts, errors)

    @staticmethod
    def _ledger_values(element):
        values = {"NAME": element.get("NAME") or _text(element, "NAME.LIST/NAME")}
        for tag in ("PARENT", "LEDGERPHONE", "LEDGERMOBILE", "EMAIL", "PARTYGSTIN", "LEDSTATENAME",
                    "PINCODE", "COUNTRYNAME"):
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
    def _voucher_values(element):
        entries = []
        for entry in element.iterfind("ALLLEDGERENTRIES.LIST"):
            amount = float(_text(entry, "AMOUNT") or 0)
            entries.append((_text(entry, "LEDGERNAME"), amount,
                            (_text(entry, "ISDEEMEDPOSITIVE") or "").lower() == "yes"))
        return {
            "DATE": _text(element, "DATE"),
            "VOUCHERTYPENAME": _text(element, "VOUCHERTYPENAME") or element.get("VCHTYPE"),
            "VOUCHERNUMBER": _text(element, "VOUCHERNUMBER"),
            "PARTYLEDGERNAME": _text(element, "PARTYLEDGERNAME"),
            "NARRATION": _text(element, "NARRATION"),
            "REMOTEID": element.get("REMOTEID") or _text(element, "REMOTEID"),
            "ENTRIES": entries,
        }

    def _import_response(self, counts, errors):
        line_errors = "".join("<LINEERROR>%s</LINEERROR>" % _escape(e) for e in errors)
        fields = "".join("<%s>%d</%s>" % (k, v, k) for k, v in (
            ("CREATED", counts["CREATED"]), ("ALTERED", counts["ALTERED"]), ("DELETED", 0),
            ("LASTVCHID", counts["LASTVCHID"]), ("LASTMID", counts["LASTMID"]), ("COMBINED", 0),
            ("IGNORED", 0), ("ERRORS", counts["ERRORS"]), ("CANCELLED", 0),
            ("EXCEPTIONS", counts["EXCEPTIONS"])))
        if self.settings["response_shape"] == "envelope":
            return ("<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>1</STATUS></HEADER><BODY><DATA>"
                    "<IMPORTRESULT>%s</IMPORTRESULT>%s</DATA></BODY></ENVELOPE>" % (fields, line_errors))
        return "<RESPONSE>%s%s</RESPONSE>" % (fields, line_errors)

    def _status_envelope(self, status, body):
        return ("<ENVELOPE><HEADER><VERSION>1</VERSION><STATUS>%d</STATUS></HEADER>"
                "<BODY><DESC></DESC>%s</BODY></ENVELOPE>" % (status, body))

    def _line_error_response(self, text):
        return "<RESPONSE><LINEERROR>%s</LINEERROR></RESPONSE>" % _escape(text)

    def _take_fault(self, name):
        if self.faults and self.faults[0] == name:
            self.faults.pop(0)
            return True
        return False

    def render(self, xml_text):
        """Tally writes &#4; before system values; clients must cope."""
        if self.settings["illegal_chars"]:
            return xml_text.replace(SYSTEM_MARK, "&#4;")
        return xml_text.replace(SYSTEM_MARK + " ", "")
        return xml_text


def _escape(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


class TallyRequestHandler(BaseHTTPRequestHandler):
    server_version = "TallyPrime-Sandbox/1.0"
    sandbox = None  # set by make_server

    def log_message(self, format, *args):  # quiet, like Tally
        pass

    def _send(self, status, body, content_type="text/xml; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorized(self):
        expected = self.sandbox.settings.get("basic_auth")
        if not expected or self.path.startswith("/_sandbox/"):
            return True
        header = self.headers.get("Authorization") or ""
        if header.startswith("Basic ") and base64.b64decode(header[6:]).decode("utf-8", "replace") == expected:
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
            body = json.dumps({"companies": self.sandbox.books.summary(), "settings": self.sandbox.settings,
                               "faults": self.sandbox.faults, "requests": self.sandbox.requests_seen})
            return self._send(200, body.encode("utf-8"), "application/json")
        self._send(200, self.sandbox.encode("<RESPONSE>TallyPrime Server is Running</RESPONSE>"))

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
            time.sleep(float(self.headers.get("X-Sandbox-Timeout") or 5))
        with sandbox.books.lock:
            answer = sandbox.render(sandbox.answer(body))
        if sandbox._take_fault("malformed"):
            answer = answer[: len(answer) // 2]
        self._send(200, sandbox.encode(answer),
                   "text/xml; charset=utf-16" if sandbox.settings["utf16"] else "text/xml; charset=utf-8")

    def _control(self, command):
        sandbox = self.sandbox
        if self.path.startswith("/_sandbox/faults"):
            sandbox.faults.extend(command.get("faults", []))
        elif self.path.startswith("/_sandbox/settings"):
            unknown = set(command) - set(SETTINGS_DEFAULTS)
            if unknown:
                return self._send(400, ("unknown settings: %s" % sorted(unknown)).encode("utf-8"))
            sandbox.settings.update(command)
        elif self.path.startswith("/_sandbox/seed"):
            sandbox.books.seed(command)
        elif self.path.startswith("/_sandbox/reset"):
            sandbox.books = TallyBooks()
            sandbox.settings = dict(SETTINGS_DEFAULTS)
            sandbox.faults = []
            if command:
                sandbox.books.seed(command)
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
        sandbox.books.seed_file(seed_path)
    handler = type("Handler", (TallyRequestHandler,), {"sandbox": sandbox})
    server = HTTPServer((host, port), handler)
    server.sandbox = sandbox
    return server


def main():
    serve(__doc__, make_server, "Tally sandbox", 9000, "JSON file with companies, ledgers and vouchers")


if __name__ == "__main__":
    main()
