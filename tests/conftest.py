# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Fixtures for end-to-end tests: a real Odoo server process on a free port."""
import os
import subprocess
import sys

import pytest
from server_process import OdooRpc, _free_port, _wait_for_http

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    """Starts Odoo on the test database; yields its base URL and database name."""
    database = os.environ.get("SME_TEST_DB", "sme_test")
    config = os.environ.get("SME_ODOO_CONF", os.path.join(ROOT, "odoo.conf"))
    port = _free_port()
    log_path = tmp_path_factory.mktemp("odoo") / "server.log"
    with open(str(log_path), "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                os.path.join(ROOT, "scripts", "odoo-bin"),
                "-c",
                config,
                "-d",
                database,
                "--db-filter",
                "^%s$" % database,
                "--http-interface",
                "127.0.0.1",
                "--http-port",
                str(port),
                "--max-cron-threads",
                "0",
                "--load",
                "web",
                "--log-level",
                "warn",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
    base_url = "http://127.0.0.1:%d" % port
    try:
        _wait_for_http(base_url + "/web/login", process)
        yield {"url": base_url, "db": database, "process": process}
    except RuntimeError:
        print(log_path.read_text())
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def admin_rpc(odoo_server):
    return OdooRpc(odoo_server["url"], odoo_server["db"], "admin", "admin")
