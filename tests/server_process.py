"""Starting an Odoo server process for end-to-end tests: a free port, and
waiting until it answers."""
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
            raise RuntimeError("the Odoo server exited with code %s" % process.returncode)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("the Odoo server did not answer %s within %ss" % (url, timeout))
