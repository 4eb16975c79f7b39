# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A local HTTP server that answers like an Indian bulk-SMS gateway
(Kaleyra.io's SMS API v1, the shape ``sme_connectors.sms.client`` speaks).

    python -m sme_connectors.sandbox.sms_gateway --port 9050 \\
        --seed connectors/sme_connectors/sandbox/data/sms_demo.json

``POST /v1/{SID}/messages`` (header ``api-key``; JSON or form body ``to``,
``sender``, ``type`` MKT/TXN, ``body``, ``template_id``, ``entity_id``) and
``GET /v1/{SID}/messages/status?message_ids=a,b``. What it checks, as the
gateway and the operators' DLT scrubbing do:

* the account (SID, HTTP 404 E104) and its API key (HTTP 401 E102);
* the sender id: registered for the account (E409), 6 digits on the
  promotional route and 6 letters on the transactional one (E408);
* the template id: registered for the account (E410); the text must match
  the registered content, ``{#var#}`` standing for up to 30 characters
  (per number: E416); a template registered without content takes any text;
* the entity id, when sent: the account's DLT entity (E411);
* at most ``max_recipients`` numbers per request (E412);
* each number: an Indian mobile (``phonenumbers``; per number: E413), and on
  the promotional route not on the DND (NCPR) list (per number: E415);
* at most ``rate_per_second`` calls per second per account: HTTP 429 with
  ``Retry-After``.

Every message is recorded (``books.messages``, accepted or not; tests look
at it). A message is ``Sent``, then after ``delivery_seconds``
``Delivered``, or ``UnDelivered`` for the numbers of the ``undeliverable``
list. ``/_sandbox/...``: state, faults, settings (``rate_per_second``,
``max_recipients``, ``max_status_ids``, ``delivery_seconds``), reset, seed,
``deliver`` (``{"message_id", "status"}``: set a delivery status).
"""
import json
import math
import re
import threading
import time
import uuid
from collections import deque
from datetime import datetime, timezone

import phonenumbers

from .cli import serve
from .jsonhttp import JsonHandler, JsonSandbox, seeded_server

ROUTE_TYPES = {"MKT": "promotional", "TXN": "transactional"}
# DLT allows up to 30 characters for each variable of a template.
VARIABLE = "{#var#}"
VARIABLE_LENGTH = 30
DELIVERY_DETAILS = {"Delivered": "DELIVERED", "UnDelivered": "ABSENT_SUBSCRIBER"}


def error(status, code, message, **details):
    return status, {"code": code, "message": message, "error": details, "data": []}


def content_pattern(content):
    """The regular expression a registered template's content stands for."""
    parts = [re.escape(part) for part in content.split(VARIABLE)]
    return re.compile(("(?:.{0,%d})" % VARIABLE_LENGTH).join(parts) + r"\Z", re.DOTALL)


def indian_mobile(raw):
    """The number in E.164 when it is an Indian mobile, else None."""
    try:
        number = phonenumbers.parse(str(raw), "IN")
    except phonenumbers.NumberParseException:
        return None
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "IN"
        or phonenumbers.number_type(number)
        not in (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class SmsAccount(object):
    def __init__(self, values):
        self.sid = values["sid"]
        self.api_key = values["api_key"]
        self.name = values.get("name", self.sid)
        self.entity_id = values.get("entity_id")
        self.senders = list(values.get("senders") or [])
        # template id -> content (None: any text)
        self.templates = dict(values.get("templates") or {})


class SmsBooks(object):
    """Accounts, the DND and undeliverable lists, and every message."""

    def __init__(self):
        self.accounts = {}
        self.dnd = set()
        self.undeliverable = set()
        self.messages = []
        self.by_id = {}
        self.lock = threading.RLock()

    def seed(self, values):
        with self.lock:
            for account in values.get("accounts") or []:
                self.accounts[account["sid"]] = SmsAccount(account)
            self.dnd.update(indian_mobile(n) or n for n in values.get("dnd") or [])
            self.undeliverable.update(
                indian_mobile(n) or n for n in values.get("undeliverable") or []
            )

    def seed_file(self, path):
        with open(path) as handle:
            self.seed(json.load(handle))

    def record(self, message):
        with self.lock:
            self.messages.append(message)
            if message.get("message_id"):
                self.by_id[message["message_id"]] = message

    def accepted(self, sid=None):
        """The messages that went out (of one account, or all)."""
        return [
            m
            for m in self.messages
            if m["accepted"] and (sid is None or m["sid"] == sid)
        ]

    def summary(self):
        return {
            "accounts": sorted(self.accounts),
            "messages": len(self.messages),
            "accepted": len(self.accepted()),
            "dnd": sorted(self.dnd),
        }


class SmsSandbox(JsonSandbox):

    SETTINGS_DEFAULTS = {
        "latency": 0.0,
        "rate_per_second": 10,
        "max_recipients": 500,
        "max_status_ids": 100,
        "delivery_seconds": 0.0,
    }

    def __init__(self, books=None):
        super(SmsSandbox, self).__init__()
        self.books = books or SmsBooks()
        self.calls = {}  # sid -> recent call times
        self.calls_lock = threading.Lock()

    def reset(self, seed=None):
        super(SmsSandbox, self).reset(seed)
        self.calls = {}

    def control(self, command, values):
        if command == "deliver":
            message = self.books.by_id.get(values.get("message_id"))
            if not message:
                return 404, {"error": "no message %s" % values.get("message_id")}
            message["forced_status"] = values.get("status") or "Delivered"
            return 200, {"ok": True}
        return super(SmsSandbox, self).control(command, values)

    def rate_limited(self, sid):
        """Seconds to wait when the account is over its rate, else None."""
        limit = max(1, int(self.settings["rate_per_second"]))
        now = time.time()
        with self.calls_lock:
            calls = self.calls.setdefault(sid, deque())
            while calls and now - calls[0] >= 1.0:
                calls.popleft()
            if len(calls) >= limit:
                return max(1, int(math.ceil(1.0 - (now - calls[0]))))
            calls.append(now)
        return None

    # -- sending --------------------------------------------------------
    def send(self, account, body):
        kind = str(body.get("type") or "").upper()
        if kind not in ROUTE_TYPES:
            return error(
                400, "E400", "type must be MKT (promotional) or TXN (transactional)"
            )
        text = body.get("body")
        to = body.get("to")
        if isinstance(to, str):
            to = [n for n in to.split(",") if n.strip()]
        if not to or not isinstance(to, list):
            return error(400, "E400", "to is required: one or more mobile numbers")
        if not isinstance(text, str) or not text:
            return error(400, "E400", "body is required")
        sender = str(body.get("sender") or "")
        if sender not in account.senders:
            return error(
                400,
                "E409",
                "Sender %s is not registered for this account" % sender,
                sender=sender,
            )
        if kind == "MKT" and not re.match(r"^\d{6}\Z", sender):
            return error(
                400,
                "E408",
                "Promotional SMS go out under a 6-digit numeric header, not %s"
                % sender,
            )
        if kind == "TXN" and not re.match(r"^[A-Za-z]{6}\Z", sender):
            return error(
                400,
                "E408",
                "Transactional SMS go out under a 6-letter header, not %s" % sender,
            )
        template_id = str(body.get("template_id") or "")
        if template_id not in account.templates:
            return error(
                400,
                "E410",
                "DLT template %s is not registered for this account" % template_id,
                template_id=template_id,
            )
        entity_id = body.get("entity_id")
        if entity_id and account.entity_id and str(entity_id) != account.entity_id:
            return error(
                400,
                "E411",
                "DLT entity %s is not this account's entity" % entity_id,
            )
        if len(to) > int(self.settings["max_recipients"]):
            return error(
                400,
                "E412",
                "At most %d numbers per request, not %d"
                % (int(self.settings["max_recipients"]), len(to)),
            )
        content = account.templates[template_id]
        matches = content is None or bool(content_pattern(content).match(text))
        request_id = str(uuid.uuid4())
        rows, accepted = [], 0
        now = time.time()
        for raw in to:
            number = indian_mobile(raw)
            code = None
            if number is None:
                code, reason = "E413", "Invalid mobile number %s" % str(raw)[:20]
            elif kind == "MKT" and number in self.books.dnd:
                code, reason = (
                    "E415",
                    "%s is registered in the NCPR (DND): no promotional SMS" % number,
                )
            elif not matches:
                code, reason = (
                    "E416",
                    "The text does not match DLT template %s" % template_id,
                )
            message = {
                "request_id": request_id,
                "sid": account.sid,
                "sender": sender,
                "type": kind,
                "template_id": template_id,
                "entity_id": entity_id or account.entity_id,
                "to": number or str(raw),
                "body": text,
                "accepted": code is None,
                "code": code,
                "time": now,
                "message_id": None,
            }
            if code is None:
                accepted += 1
                message["message_id"] = "%s:%d" % (request_id, accepted)
                rows.append(
                    {
                        "message_id": message["message_id"],
                        "recipient": number,
                        "status": "accepted",
                    }
                )
            else:
                rows.append(
                    {
                        "message_id": None,
                        "recipient": number or str(raw),
                        "status": "rejected",
                        "error": {"code": code, "message": reason},
                    }
                )
            self.books.record(message)
        return 202, {
            "id": request_id,
            "type": kind,
            "sender": sender,
            "body": text,
            "template_id": template_id,
            "createdDateTime": datetime.now(timezone.utc).strftime(
                "%Y-%m-%d %H:%M:%S+00:00"
            ),
            "totalCount": accepted,
            "data": rows,
            "error": {},
        }

    # -- delivery reports ------------------------------------------------
    def delivery(self, message):
        if message.get("forced_status"):
            return message["forced_status"]
        if time.time() - message["time"] < float(self.settings["delivery_seconds"]):
            return "Sent"
        return (
            "UnDelivered" if message["to"] in self.books.undeliverable else "Delivered"
        )

    def status(self, account, query):
        ids = [i for i in (query.get("message_ids") or "").split(",") if i.strip()]
        if not ids:
            return error(400, "E400", "message_ids is required")
        if len(ids) > int(self.settings["max_status_ids"]):
            return error(
                400,
                "E412",
                "At most %d message ids per request"
                % int(self.settings["max_status_ids"]),
            )
        rows = []
        for message_id in ids:
            message = self.books.by_id.get(message_id.strip())
            if not message or message["sid"] != account.sid:
                rows.append(
                    {
                        "message_id": message_id,
                        "status": "NotFound",
                        "status_details": "NOT_FOUND",
                    }
                )
                continue
            word = self.delivery(message)
            rows.append(
                {
                    "message_id": message_id,
                    "campaign_id": message_id,
                    "recipient": message["to"],
                    "status": word,
                    "status_details": DELIVERY_DETAILS.get(word, word.upper()),
                }
            )
        return 200, {"data": rows, "error": {}}


class SmsHandler(JsonHandler):
    server_version = "nginx"

    def route(self, method, path, query, body):
        sandbox = self.sandbox
        parts = path.strip("/").split("/")
        if len(parts) < 3 or parts[0] != "v1" or parts[2] != "messages":
            return error(404, "E404", "No such resource")
        account = sandbox.books.accounts.get(parts[1])
        if account is None:
            return error(404, "E104", "Account SID not found")
        if (self.headers.get("api-key") or "") != account.api_key:
            # Never echo the key that was sent.
            return error(401, "E102", "Invalid api-key for this account")
        wait = sandbox.rate_limited(account.sid)
        if wait:
            status, answer = error(
                429,
                "E429",
                "Too many requests: at most %d per second"
                % int(sandbox.settings["rate_per_second"]),
            )
            return status, answer, {"Retry-After": str(wait)}
        if method == "POST" and parts[3:] == []:
            if not isinstance(body, dict):
                return error(400, "E400", "The request body must be a JSON object")
            return sandbox.send(account, body)
        if method == "GET" and parts[3:] == ["status"]:
            return sandbox.status(account, query)
        return error(405, "E405", "Method not allowed")


def make_server(host="127.0.0.1", port=9050, seed_path=None):
    return seeded_server(SmsSandbox, SmsHandler, host, port, seed_path)


def main():
    serve(
        __doc__,
        make_server,
        "SMS gateway sandbox",
        9050,
        "JSON file with accounts (SID, API key, senders, DLT templates), DND numbers",
    )


if __name__ == "__main__":
    main()
