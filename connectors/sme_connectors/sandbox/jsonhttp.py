# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the JSON-speaking sandboxes (Marg, the Busy agent) share: a
threaded HTTP server, JSON in and out, queued faults and the
``/_sandbox/...`` control API (never part of the real systems)."""
import json
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class JsonHandler(BaseHTTPRequestHandler):
    """Subclasses set ``sandbox`` and implement ``route(method, path, query, body)``
    returning ``(status, body)``: a dict/list is sent as JSON, a str as text."""

    sandbox = None

    def log_message(self, format, *args):
        pass

    def send(self, status, body, headers=None):
        if isinstance(body, (dict, list)):
            data, content_type = (
                json.dumps(body).encode("utf-8"),
                "application/json; charset=utf-8",
            )
        else:
            data, content_type = (body or "").encode(
                "utf-8"
            ), "text/plain; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self, method):
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if parts.path.startswith("/_sandbox/"):
            return self._control(method, parts.path[len("/_sandbox/") :], raw)
        sandbox = self.sandbox
        sandbox.requests_seen += 1
        if sandbox.settings.get("latency"):
            time.sleep(sandbox.settings["latency"])
        fault = sandbox.take_fault()
        if fault == "http500":
            return self.send(500, "Internal Server Error")
        if fault == "http429":
            return self.send(429, "Too Many Requests", {"Retry-After": "3"})
        if fault == "reset":
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        if fault == "timeout":
            time.sleep(float(self.headers.get("X-Sandbox-Timeout") or 5))
        try:
            if "x-www-form-urlencoded" in (self.headers.get("Content-Type") or ""):
                body = {
                    key: values[-1]
                    for key, values in parse_qs(raw.decode("utf-8")).items()
                }
            else:
                body = json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            return self.send(400, {"error": "the request body is not JSON"})
        status, answer, *headers = self.route(method, parts.path, query, body)
        return self.send(status, answer, headers[0] if headers else None)

    def do_GET(self):
        self._handle("GET")

    def do_POST(self):
        self._handle("POST")

    def do_DELETE(self):
        self._handle("DELETE")

    def do_PUT(self):
        self._handle("PUT")

    def _control(self, method, command, raw):
        sandbox = self.sandbox
        values = json.loads(raw.decode("utf-8")) if raw else {}
        if command == "state":
            return self.send(200, sandbox.state())
        if command == "faults":
            sandbox.faults.extend(values.get("faults", []))
        elif command == "settings":
            unknown = set(values) - set(sandbox.SETTINGS_DEFAULTS)
            if unknown:
                return self.send(
                    400, {"error": "unknown settings: %s" % sorted(unknown)}
                )
            sandbox.settings.update(values)
        elif command == "reset":
            sandbox.reset(values or None)
        elif command == "seed":
            sandbox.books.seed(values)
        else:
            status, answer = sandbox.control(command, values)
            return self.send(status, answer)
        return self.send(200, {"ok": True})


class JsonSandbox(object):
    """Faults, settings and request counting; subclasses hold the books."""

    SETTINGS_DEFAULTS = {"latency": 0.0}

    def __init__(self):
        self.settings = dict(self.SETTINGS_DEFAULTS)
        self.faults = []
        self.requests_seen = 0

    def take_fault(self):
        return self.faults.pop(0) if self.faults else None

    def reset(self, seed=None):
        self.settings = dict(self.SETTINGS_DEFAULTS)
        self.faults = []
        self.books = type(self.books)()  # noqa: the books class of the sandbox
        if seed:
            self.books.seed(seed)

    def state(self):
        return {
            "books": self.books.summary(),
            "settings": self.settings,
            "faults": self.faults,
            "requests": self.requests_seen,
        }

    def control(self, command, values):
        return 404, {"error": "unknown sandbox command %s" % command}


def seeded_server(sandbox_class, handler_class, host, port, seed_path=None):
    """A server for a new ``sandbox_class`` whose books are seeded from a file."""
    sandbox = sandbox_class()
    if seed_path:
        sandbox.books.seed_file(seed_path)
    return make_json_server(handler_class, sandbox, host, port)


def make_json_server(handler_class, sandbox, host, port):
    handler = type("Handler", (handler_class,), {"sandbox": sandbox})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    server.sandbox = sandbox
    return server
