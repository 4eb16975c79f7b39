# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The agent's HTTP API for the hub (JSON; ``Authorization: Bearer <token>``).

    GET    /health
    GET    /customers?after=<code>&group=Sundry%20Debtors[&name=...]
    GET    /vouchers?after=<code>[&kinds=sales,receipt][&series=Main&number=S-1]
    POST   /accounts            {name, group, phone, mobile, email, address[], gstin, modify}
    POST   /vouchers            {kind, series, number, date, party, ..., modify}
    DELETE /vouchers?kind=sales&series=Main&date=2026-01-20&number=S-1

Answers: 200 with the result; 401 for a missing or wrong token; 422
``{error, message, busy_error}`` when Busy refuses a record; 503 with
Retry-After when Busy stays locked or cannot open the company.
The server is single-threaded: Busy's DLL takes one call at a time.
"""
import hmac
import json
import logging
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

from . import __version__
from .com import BusyUnavailable
from .service import BusyLocked, RecordRefused

_logger = logging.getLogger("busy_agent")
LOCKED_RETRY_AFTER = "15"


class AgentHandler(BaseHTTPRequestHandler):
    server_version = "SMEHubBusyAgent/%s" % __version__
    service = None  # set by make_server
    token = None

    def log_message(self, format, *args):
        _logger.info(
            "%s %s", self.address_string(), format % args
        )  # paths only: no bodies, no tokens

    def _send(self, status, body, headers=None):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self):
        header = self.headers.get("Authorization") or ""
        offered = header[7:].strip() if header.startswith("Bearer ") else ""
        # compare_digest: the time taken does not tell how much of a guess was right.
        if offered and hmac.compare_digest(
            offered.encode("utf-8"), self.token.encode("utf-8")
        ):
            return True
        self._send(
            401,
            {"error": "unauthorized", "message": "missing or wrong agent token"},
            {"WWW-Authenticate": 'Bearer realm="busy-agent"'},
        )
        return False

    def _dispatch(self, method):
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not self._authorized():
            return
        try:
            body = json.loads(raw.decode("utf-8")) if raw else {}
        except ValueError:
            return self._send(
                400, {"error": "invalid", "message": "the request body is not JSON"}
            )
        try:
            return self._send(
                200, self._route(method, parts.path.rstrip("/"), query, body)
            )
        except RecordRefused as refused:
            return self._send(
                422,
                {
                    "error": refused.code,
                    "message": refused.message,
                    "busy_error": refused.busy_error,
                },
            )
        except BusyLocked as error:
            return self._send(
                503,
                {"error": "locked", "message": str(error)},
                {"Retry-After": LOCKED_RETRY_AFTER},
            )
        except BusyUnavailable as error:
            return self._send(
                503,
                {"error": "unavailable", "message": str(error)},
                {"Retry-After": LOCKED_RETRY_AFTER},
            )
        except LookupError as error:
            return self._send(404, {"error": "not_found", "message": str(error)})
        except (TypeError, ValueError) as error:
            return self._send(400, {"error": "invalid", "message": str(error)})

    def _route(self, method, path, query, body):
        service = self.service
        if (method, path) == ("GET", "/health"):
            return dict(service.health(), agent=__version__)
        if (method, path) == ("GET", "/customers"):
            return service.customers(
                after=int(query.get("after") or 0),
                group=query.get("group") or "Sundry Debtors",
                name=query.get("name"),
            )
        if (method, path) == ("GET", "/vouchers"):
            kinds = [k for k in (query.get("kinds") or "").split(",") if k] or None
            return service.vouchers(
                after=int(query.get("after") or 0),
                kinds=kinds,
                series=query.get("series"),
                number=query.get("number"),
            )
        if (method, path) == ("POST", "/accounts"):
            return service.save_account(body, modify=bool(body.get("modify")))
        if (method, path) == ("POST", "/vouchers"):
            return service.save_voucher(body, modify=bool(body.get("modify")))
        if (method, path) == ("DELETE", "/vouchers"):
            return service.delete_voucher(
                query.get("kind"),
                query.get("series"),
                query.get("date"),
                query.get("number"),
            )
        raise LookupError("no %s %s on this agent" % (method, path))

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_DELETE(self):
        self._dispatch("DELETE")


def make_server(service, token, host="127.0.0.1", port=8765):
    """The agent's server on ``host:port`` (bind it to the LAN address the hub
    reaches, never 0.0.0.0 on a PC open to the internet)."""
    if not token or len(token) < 16:
        raise ValueError("the agent token must have at least 16 characters")
    handler = type("Handler", (AgentHandler,), {"service": service, "token": token})
    server = HTTPServer((host, port), handler)
    server.service = service
    return server
