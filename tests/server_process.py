# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Starting an Odoo server process for end-to-end tests (a free port, waiting
until it answers) and talking to it over XML-RPC."""
import socket
import time
import urllib.request


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_http(url, process, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "the Odoo server exited with code %s" % process.returncode
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the Odoo server did not answer %s within %ss" % (url, timeout))


class OdooRpc(object):
    """A minimal XML-RPC client, as an external system would write one."""

    def __init__(self, url, db, login, password):
        import xmlrpc.client

        self.db, self.password = db, password
        self.uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
            db, login, password, {}
        )
        assert self.uid, "login %s refused" % login
        self._url = url

    def __call__(self, model, method, *args, **kwargs):
        import xmlrpc.client

        # One proxy per call: ServerProxy is not safe to share between threads.
        proxy = xmlrpc.client.ServerProxy(
            self._url + "/xmlrpc/2/object", allow_none=True
        )
        return proxy.execute_kw(
            self.db, self.uid, self.password, model, method, list(args), kwargs
        )


def settings_of(rpc, backend_id):
    """``(model, id)`` of a connection's settings record (its system's model)."""
    reference = rpc("sme.accounting.backend", "read", [backend_id], ["settings_ref"])[
        0
    ]["settings_ref"]
    model, record_id = reference.split(",")
    return model, int(record_id)


def create_backend(rpc, values, **settings):
    """A connection over XML-RPC, as an external system makes one: the
    connection, then its system's settings (made with it) written."""
    backend_id = rpc("sme.accounting.backend", "create", values)
    if settings:
        model, settings_id = settings_of(rpc, backend_id)
        rpc(model, "write", [settings_id], settings)
    return backend_id
