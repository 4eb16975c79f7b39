"""TallyClient: the one place that talks to a Tally server."""
import re
import time

import requests

from ..base import Account, AuthError, ConnectorError, ProtocolError, TransientError, WriteResult
from ..http import retry_after
from . import envelopes, responses

DEFAULT_PORT = 9000
NO_COMPANY_ERRORS = ("Could not set 'SVCurrentCompany'", "Cannot detect First/Last voucher date")


class TallyClient(object):
    """XML over HTTP to one company of a Tally server.

    Tally serves one request at a time: the hub sends them through a
    capacity-1 job channel; this client adds no concurrency of its own.
    """

    def __init__(self, url, company, timeout=30.0, session=None, utf16=False, username=None, password=None):
        self.url = url.rstrip("/") + "/"
        self.company = company
        self.timeout = timeout
        self.session = session or requests.Session()
        self.utf16 = utf16
        if password:
            # Tally itself has no login; one placed behind an authenticating
            # proxy (the usual way to reach it over the internet) gets Basic auth.
            self.session.auth = (username or "tally", password)

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------
    def _post(self, xml_bytes):
        if self.utf16:
            data = xml_bytes.decode("utf-8").encode("utf-16")
            content_type = "text/xml;charset=utf-16"
        else:
            data, content_type = xml_bytes, "text/xml;charset=utf-8"
        try:
            response = self.session.post(self.url, data=data, timeout=self.timeout,
                                         headers={"Content-Type": content_type})
        except requests.Timeout:
            raise TransientError("Tally did not answer within %.0f s" % self.timeout)
        except requests.ConnectionError as error:
            raise TransientError("Tally is not reachable at %s (%s)" % (self.url, _short(error)))
        if response.status_code in (401, 403):
            raise AuthError("the server refused the credentials (HTTP %d)" % response.status_code)
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientError("Tally answered HTTP %d" % response.status_code,
                                 retry_after=retry_after(response))
        if response.status_code >= 400:
            raise ConnectorError("Tally answered HTTP %d" % response.status_code)
        body = response.content
        self._raise_for_company(body)
        return body

    def _raise_for_company(self, body):
        head = responses.decode(body[:4096])
        for marker in NO_COMPANY_ERRORS:
            if marker in head:
                raise ConnectorError("Company '%s' is not open in Tally: open it there and retry."
                                     % self.company)

    def test_connection(self):
        """Seconds the server took to answer ``GET /`` and its own words."""
        started = time.time()
        try:
            response = self.session.get(self.url, timeout=self.timeout)
        except requests.RequestException as error:
            raise TransientError("Tally is not reachable at %s (%s)" % (self.url, _short(error)))
        if response.status_code in (401, 403):
            raise AuthError("the server refused the credentials (HTTP %d)" % response.status_code)
        text = re.sub(r"<[^>]+>", "", responses.decode(response.content)).strip()
        if response.status_code != 200 or "Running" not in text:
            raise ProtocolError("%s does not answer like a Tally server: %s" % (self.url, text[:120]))
        return time.time() - started, responses.clean(text)

    # ------------------------------------------------------------------
    # Reads
    # ------------------------------------------------------------------
    def iter_customers(self, group="Sundry Debtors", after_alter_id=None):
        """Customer ledgers, streamed, optionally only those changed since
        ``after_alter_id`` (Tally's ALTERID grows on every change)."""
        body = self._post(envelopes.ledgers_request(self.company, group, after_alter_id))
        for element in responses.iter_elements(body, "LEDGER"):
            yield responses.ledger_to_customer(element)

    def find_customer(self, name):
        """The ledger named ``name`` (names are unique in a Tally company), or None."""
        body = self._post(envelopes.collection_request(
            self.company, "Ledger", envelopes.LEDGER_FIELDS, ["$NAME = %s" % envelopes.tdl_string(name)]))
        for element in responses.iter_elements(body, "LEDGER"):
            return responses.ledger_to_customer(element)
        return None

    def groups(self):
        """``{group: parent}`` of every group; top groups have parent None."""
        body = self._post(envelopes.groups_request(self.company))
        parents = {}
        for element in responses.iter_elements(body, "GROUP"):
            parent = (responses._text(element, "PARENT") or "").strip()
            parents[element.get("NAME")] = None if parent in ("", "Primary") else parent
        return parents

    def iter_accounts(self):
        """Every ledger as an Account with its group path."""
        parents = self.groups()
        body = self._post(envelopes.ledgers_request(self.company))
        for element in responses.iter_elements(body, "LEDGER"):
            customer = responses.ledger_to_customer(element)
            path, group = [], customer.group
            while group and group not in path:
                path.append(group)
                group = parents.get(group)
            yield Account(name=customer.name, groups=tuple(path), external_id=customer.external_id,
                          version=customer.version)

    def iter_vouchers(self, from_date=None, to_date=None, after_alter_id=None, kinds=None):
        """Vouchers (of ``kinds``, all when None) in a date range and/or altered after an ALTERID."""
        body = self._post(envelopes.vouchers_request(
            self.company, _tally_date(from_date), _tally_date(to_date), after_alter_id))
        for element in responses.iter_elements(body, "VOUCHER"):
            voucher = responses.voucher_from_element(element)
            if not kinds or voucher.kind in kinds:
                yield voucher

    def find_voucher(self, remote_id, date, number=None, kind=None):
        """The voucher this side created with ``remote_id``, or None: asked
        before re-sending after an unknown outcome, so nothing books twice.
        (Tally keeps the REMOTEID; ``number`` is for systems that do not.)"""
        for voucher in self.iter_vouchers(date, date):
            if voucher.remote_id == remote_id:
                return voucher
        return None

    def trial_balance(self, from_date, to_date):
        body = self._post(envelopes.report_request(
            self.company, "Trial Balance", _tally_date(from_date), _tally_date(to_date)))
        return responses.trial_balance(body)

    # ------------------------------------------------------------------
    # Writes
    # ------------------------------------------------------------------
    def push_customer(self, customer, group="Sundry Debtors", alter=False):
        """Create or alter a customer ledger; the result carries the ledger's
        GUID (read back: Tally's import answer does not give it)."""
        body = self._post(envelopes.ledger_import(self.company, customer, group, alter))
        result = _write_result(customer.name, body, None)
        if result.action in ("created", "altered"):
            saved = self.find_customer(customer.name)
            result = result._replace(external_id=saved.external_id if saved else None)
        return result

    def push_voucher(self, voucher, alter=False):
        """Create or alter (by REMOTEID) a voucher; the result carries its GUID."""
        body = self._post(envelopes.voucher_import(self.company, voucher, alter))
        result = _write_result(voucher.remote_id, body, None)
        if result.action in ("created", "altered"):
            saved = self.find_voucher(voucher.remote_id, voucher.date)
            result = result._replace(external_id=saved.external_id if saved else None)
        return result


def _write_result(key, body, external_id):
    result = responses.import_result(body)
    warning = "; ".join(result["line_errors"]) or None
    # CREATED 1 can come with a LINEERROR: the record exists, so it counts
    # as written (re-sending it would book it twice); the text is kept.
    if result["created"]:
        return WriteResult(key, "created", external_id, warning)
    if result["altered"]:
        return WriteResult(key, "altered", external_id, warning)
    reason = warning or (
        "Tally rejected the record (%d errors, %d exceptions) without saying why"
        % (result["errors"], result["exceptions"]))
    return WriteResult(key, "failed", None, reason)


def _tally_date(value):
    return value.replace("-", "") if value else None


def _short(error):
    return str(error).split(":")[-1].strip()[:120]
