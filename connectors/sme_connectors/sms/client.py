# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""SmsClient: bulk SMS to Indian mobiles through an HTTP API shaped as
Kaleyra.io's SMS API v1 ("Send the First SMS" and "SMS Status API" in
developers.kaleyra.io), with the DLT fields TRAI requires.

What goes over the wire (the sandbox, ``sandbox/sms_gateway.py``, answers
the same):

* ``POST {url}/v1/{SID}/messages`` with the header ``api-key: <key>`` and a
  JSON body ``{"to": [numbers], "sender": <DLT header>, "type": "MKT" |
  "TXN", "body": <text>, "template_id": <DLT content template id>,
  "entity_id": <DLT principal entity id>}``. Kaleyra takes one text per
  request for many numbers, so a batch goes as one request per distinct
  text (a campaign's batch, one text, is one request), at most
  ``batch_size`` numbers each.
* The answer (HTTP 202) echoes the request (``id``, ``type``, ``sender``,
  ``body``, ``template_id``, ``createdDateTime``, ``totalCount``) and has one
  row per number in ``data``, in the order sent: ``{"message_id":
  "<request id>:<n>", "recipient": "+91...", "status": "accepted"}``, or for
  a number refused ``{"message_id": null, "recipient": ..., "status":
  "rejected", "error": {"code": "E413", "message": "..."}}``.
* ``GET {url}/v1/{SID}/messages/status?message_ids=a,b`` answers ``{"data":
  [{"message_id", "recipient", "status": "Sent" | "Delivered" |
  "UnDelivered" | "NotSent" | "NotFound", "status_details"}]}``.
* A refused request answers ``{"code": "E...", "message": ..., "error":
  {...}}``: HTTP 400 (sender, template, too many numbers), 401 (API key),
  404 (account SID), 429 (rate limit, with ``Retry-After``).

Where Kaleyra's documentation says nothing, the shape is this project's and
is named here: the per-number ``status``/``error`` of the send answer
(Kaleyra reports an invalid or DND number later, in the delivery status;
Textlocal's bulk answer and the sandbox report it at once), the name
``entity_id`` (Kaleyra keeps the DLT entity on the account; Exotel and
Fast2SMS take it per request) and the error codes (``REASONS``).

The API key is sent in a header only and never appears in an error this
client raises (each is passed through :func:`..redact.redact` with it).
"""
import time
from collections import OrderedDict, namedtuple
from urllib.parse import quote

from ..base import (
    AuthError,
    ConnectorError,
    ProtocolError,
    SettingsMissing,
    TransientError,
)
from ..http import HttpTransport, retry_after
from ..redact import redact, redacted_error

DEFAULT_URL = "https://api.kaleyra.io"
# The route (DLT category) -> Kaleyra's ``type``.
ROUTES = {"promotional": "MKT", "transactional": "TXN"}
# Per-number refusal codes of the answer, in words (the sandbox's codes).
REASONS = {
    "E413": "invalid mobile number",
    "E415": "number on the DND (NCPR) list: no promotional SMS",
    "E416": "text does not match the DLT template",
}
# Delivery status words of the status API -> delivered / failed / pending.
DELIVERY_STATES = {
    "delivered": "delivered",
    "undelivered": "failed",
    "notsent": "failed",
    "failed": "failed",
    "rejected": "failed",
    "expired": "failed",
    "notfound": "failed",
    "sent": "pending",
    "queued": "pending",
    "accepted": "pending",
}
STATUS_IDS_PER_CALL = 100

# The outcome of one message of a batch, in the order given. ``status``:
# ``accepted`` (``message_id`` is the provider's id), ``rejected`` (``code``
# and ``reason`` say why; sending it again will not help) or ``deferred``
# (not sent: the gateway stopped answering part-way through a batch; send it
# again after ``retry_after`` seconds).
SendResult = namedtuple(
    "SendResult", ["number", "status", "message_id", "code", "reason", "retry_after"]
)
SendResult.__new__.__defaults__ = (None, None, None, None)

# A delivery report: ``state`` delivered / failed / pending, ``detail`` the
# provider's own words.
DeliveryStatus = namedtuple(
    "DeliveryStatus", ["message_id", "state", "detail", "recipient"]
)


class RateLimited(TransientError):
    """HTTP 429: too many requests; ``retry_after`` is the server's
    Retry-After in seconds (1 when it gave none)."""


class SmsClient(object):
    """One gateway account: ``account_sid`` (Kaleyra's SID), ``api_key``,
    the DLT ``sender_id`` (header) and ``entity_id``, the ``route``
    (``promotional`` or ``transactional``)."""

    label = "The SMS gateway"

    def __init__(
        self,
        url,
        account_sid,
        api_key,
        sender_id,
        route="promotional",
        entity_id=None,
        timeout=30.0,
        batch_size=500,
        max_wait=10.0,
        session=None,
        sleep=time.sleep,
    ):
        missing = [
            words
            for value, words in (
                (account_sid, "the account SID"),
                (api_key, "the API key"),
                (sender_id, "the sender id (DLT header)"),
            )
            if not value
        ]
        if missing:
            raise SettingsMissing(
                "Set %s of the SMS gateway first." % " and ".join(missing)
            )
        if route not in ROUTES:
            raise SettingsMissing(
                "The SMS route must be one of %s, not %r."
                % (", ".join(sorted(ROUTES)), route)
            )
        self.account_sid = account_sid
        self.api_key = api_key
        self.sender_id = sender_id
        self.route = route
        self.entity_id = entity_id or None
        self.batch_size = max(1, int(batch_size))
        # How long a batch may wait in all for a rate limit once part of it
        # went out (before that, the error goes to the caller to retry).
        self.max_wait = max_wait
        self._sleep = sleep
        self.http = HttpTransport(
            self.label,
            url or DEFAULT_URL,
            timeout or 30.0,
            session,
            headers={"api-key": api_key, "Accept": "application/json"},
        )

    # ------------------------------------------------------------------
    # Transport
    # ------------------------------------------------------------------
    def _call(self, method, path, **kwargs):
        """The JSON answer of a 2xx; the errors of the module's docstring
        otherwise, redacted of the API key."""
        try:
            response = self.http.request(
                method,
                "v1/%s/%s" % (quote(self.account_sid, safe=""), path),
                passthrough=(400, 401, 403, 404, 429),
                **kwargs,
            )
            return self._answer(response)
        except ConnectorError as error:
            raise redacted_error(error, [self.api_key]) from None

    def _answer(self, response):
        try:
            body = response.json()
        except ValueError:
            body = None
        status = response.status_code
        said = self._said(body, response)
        if status == 429:
            raise RateLimited(
                "%s is rate limiting this account (HTTP 429): %s" % (self.label, said),
                retry_after=retry_after(response) or 1.0,
            )
        if status in (401, 403):
            raise AuthError(
                "%s refused the API key of account %s (HTTP %d: %s). Set the "
                "account's current API key on the gateway."
                % (self.label, self.account_sid, status, said)
            )
        if status == 404:
            raise ConnectorError(
                "%s does not know account %s (HTTP 404: %s): check the base URL "
                "and the account SID." % (self.label, self.account_sid, said)
            )
        if status == 400:
            raise ConnectorError(
                "%s refused the request (HTTP 400: %s)" % (self.label, said)
            )
        if not isinstance(body, dict):
            raise ProtocolError(
                "%s answered something that is not its JSON (HTTP %d): %s"
                % (self.label, status, redact(response.text[:120], [self.api_key]))
            )
        return body

    def _said(self, body, response):
        """The server's own words: ``code: message`` (never the request)."""
        if isinstance(body, dict) and (body.get("message") or body.get("code")):
            text = "%s: %s" % (body.get("code") or "", body.get("message") or "")
            text = text.strip(": ")
        else:
            text = (response.text or "").strip()[:200] or response.reason or ""
        return redact(text[:200], [self.api_key])

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------
    def send(self, template_id, messages):
        """Send ``messages`` (``(number, text)`` pairs) under the DLT
        content template ``template_id``; one SendResult per message, in
        the same order.

        A rate limit, an outage or a timeout before anything went out is
        raised (RateLimited / TransientError: retry the whole batch later);
        once part of the batch went out, a rate limit is waited out (at
        most ``max_wait`` seconds in all) and what is still refused after
        that comes back ``deferred``, so the caller never sends a message
        twice. A refusal of the whole request (sender, template, key) is
        raised as ConnectorError / AuthError."""
        if not template_id:
            raise SettingsMissing("Give the DLT template id of the message.")
        messages = [
            (str(number or "").strip(), text or "") for number, text in messages
        ]
        results = [None] * len(messages)
        requests = []
        by_text = OrderedDict()
        for index, (_number, text) in enumerate(messages):
            by_text.setdefault(text, []).append(index)
        for text, indexes in by_text.items():
            for start in range(0, len(indexes), self.batch_size):
                requests.append((text, indexes[start : start + self.batch_size]))
        waited, sent_any = 0.0, False
        for position, (text, indexes) in enumerate(requests):
            while True:
                try:
                    answer = self._submit(
                        template_id, text, [messages[i][0] for i in indexes]
                    )
                    break
                except TransientError as error:
                    if not sent_any:
                        raise
                    pause = error.retry_after or 1.0
                    if (
                        isinstance(error, RateLimited)
                        and waited + pause <= self.max_wait
                    ):
                        self._sleep(pause)
                        waited += pause
                        continue
                    for _text, rest in requests[position:]:
                        for index in rest:
                            results[index] = SendResult(
                                messages[index][0],
                                "deferred",
                                reason=str(error),
                                retry_after=error.retry_after,
                            )
                    return results
            sent_any = True
            for index, result in zip(
                indexes, self._read_rows(answer, [messages[i][0] for i in indexes])
            ):
                results[index] = result
        return results

    def _submit(self, template_id, text, numbers):
        body = {
            "to": numbers,
            "sender": self.sender_id,
            "type": ROUTES[self.route],
            "body": text,
            "template_id": str(template_id),
        }
        if self.entity_id:
            body["entity_id"] = self.entity_id
        return self._call("POST", "messages", json=body)

    def _read_rows(self, answer, numbers):
        """SendResult per number from the answer's ``data`` rows (in the
        order sent; matched by number when the gateway left some out)."""
        rows = answer.get("data")
        if not isinstance(rows, list):
            raise ProtocolError(
                "%s's answer has no per-number rows (data): %s"
                % (self.label, redact(str(answer)[:120], [self.api_key]))
            )
        if len(rows) != len(numbers) or not all(
            _same_number(row.get("recipient"), number)
            for row, number in zip(rows, numbers)
        ):
            rows = _match_rows(rows, numbers)
        return [self._result(number, row) for number, row in zip(numbers, rows)]

    def _result(self, number, row):
        if row is None:
            return SendResult(
                number, "rejected", code="", reason="no answer for this number"
            )
        error = row.get("error") or {}
        status = str(row.get("status") or "").lower()
        if row.get("message_id") and not error and status in ("", "accepted", "sent"):
            return SendResult(number, "accepted", str(row["message_id"]))
        code = str(error.get("code") or "")
        reason = error.get("message") or REASONS.get(code) or "refused by the gateway"
        return SendResult(
            number,
            "rejected",
            str(row["message_id"]) if row.get("message_id") else None,
            code,
            redact(str(reason)[:200], [self.api_key]),
        )

    # ------------------------------------------------------------------
    # Delivery reports
    # ------------------------------------------------------------------
    def statuses(self, message_ids):
        """``{message_id: DeliveryStatus}`` of the given provider ids
        (state delivered / failed / pending); ids the gateway does not know
        are ``failed`` (detail NotFound)."""
        ids = [str(i) for i in message_ids if i]
        found = {}
        for start in range(0, len(ids), STATUS_IDS_PER_CALL):
            chunk = ids[start : start + STATUS_IDS_PER_CALL]
            answer = self._call(
                "GET", "messages/status", params={"message_ids": ",".join(chunk)}
            )
            for row in answer.get("data") or []:
                message_id = str(row.get("message_id") or row.get("campaign_id") or "")
                word = str(row.get("status") or "")
                found[message_id] = DeliveryStatus(
                    message_id,
                    DELIVERY_STATES.get(word.replace(" ", "").lower(), "pending"),
                    row.get("status_details") or word,
                    row.get("recipient"),
                )
        return {
            message_id: found.get(
                message_id, DeliveryStatus(message_id, "pending", "", None)
            )
            for message_id in ids
        }

    def test_connection(self):
        """``(seconds, what the gateway says)``: a status lookup, which
        checks the account and the key and sends nothing."""
        start = time.time()
        self._call("GET", "messages/status", params={"message_ids": "0"})
        return (
            time.time() - start,
            "account %s answers; sender %s, %s route"
            % (self.account_sid, self.sender_id, self.route),
        )


def _digits(number):
    digits = "".join(c for c in str(number or "") if c.isdigit())
    return digits[-10:]


def _same_number(one, other):
    return bool(_digits(one)) and _digits(one) == _digits(other)


def _match_rows(rows, numbers):
    """Rows put back in the order of ``numbers`` by their recipient (a
    number sent twice takes the rows in turn); None where none is left."""
    left = list(rows)
    matched = []
    for number in numbers:
        for position, row in enumerate(left):
            if isinstance(row, dict) and _same_number(row.get("recipient"), number):
                matched.append(left.pop(position))
                break
        else:
            matched.append(None)
    return matched
