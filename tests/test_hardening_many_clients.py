# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Many clients at once: 100 XML-RPC clients fire together at a server
started for real use the way scripts/run.sh starts it (worker processes,
small connection pools, queue_job's runner). The burst waits for free
workers instead of failing: no PoolError, no serialization failure or any
other fault reaches a client, and concurrent upserts of one phone make one
customer."""
import http.client
import os
import random
import signal
import subprocess
import threading
import time
import xmlrpc.client

import pytest

from conftest import ROOT, OdooRpc, _free_port, _wait_for_http

CLIENTS = 100
DISTINCT = 60  # clients 0-59 upsert a phone of their own
SAME_PHONE = 30  # clients 60-89 upsert one shared phone
# the other 10 only look phones up; every client then looks its phone up.
CALL_TIMEOUT = 60


@pytest.fixture(scope="module")
def workers_server(tmp_path_factory):
    """Odoo as run.sh starts it (odoo_serve in scripts/lib.sh: workers,
    db_maxconn, limits), on free ports, in the test database."""
    database = os.environ.get("SME_TEST_DB", "sme_test")
    config = os.environ.get("SME_ODOO_CONF", os.path.join(ROOT, "odoo.conf"))
    port, longpolling_port = _free_port(), _free_port()
    log_path = tmp_path_factory.mktemp("odoo_workers") / "server.log"
    with open(str(log_path), "w") as log:
        # Its own process group: stopping it stops the workers and the
        # longpolling process it forks, and nothing else.
        process = subprocess.Popen(
            [
                "bash",
                "-c",
                'source "$0" && odoo_serve "$@"',
                os.path.join(ROOT, "scripts", "lib.sh"),
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
                "--longpolling-port",
                str(longpolling_port),
                "--load",
                "web,queue_job",
                "--log-level",
                "warn",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
    url = "http://127.0.0.1:%d" % port
    try:
        _wait_for_http(url + "/web/login", process)
        yield {"url": url, "db": database, "log": log_path}
    except RuntimeError:
        print(log_path.read_text())
        raise
    finally:
        _stop_group(process)


def _stop_group(process):
    try:
        os.killpg(process.pid, signal.SIGINT)  # Odoo's graceful stop
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass


class _TimeoutTransport(xmlrpc.client.Transport):
    """A client that gives up after CALL_TIMEOUT instead of hanging the suite."""

    def make_connection(self, host):
        connection = super(_TimeoutTransport, self).make_connection(host)
        connection.timeout = CALL_TIMEOUT
        return connection


def _call(server, uid, model, method, *args, **kwargs):
    # One proxy (one connection) per call, as separate clients would.
    proxy = xmlrpc.client.ServerProxy(
        server["url"] + "/xmlrpc/2/object",
        allow_none=True,
        transport=_TimeoutTransport(),
    )
    return proxy.execute_kw(
        server["db"], uid, "admin", model, method, list(args), kwargs
    )


def test_hundred_clients_at_once(workers_server):
    server = workers_server
    admin = OdooRpc(server["url"], server["db"], "admin", "admin")
    tag = random.randint(10000, 99999)
    # A company of its own: these customers meet no other test's phones.
    company = admin(
        "res.company",
        "create",
        {
            "name": "Burst Traders %d" % tag,
            "country_id": admin("res.country", "search", [["code", "=", "IN"]])[0],
        },
    )
    shared_phone = "97%d000" % tag
    phones = ["98%d%03d" % (tag, number) for number in range(DISTINCT)]

    results, errors = {}, []
    start = threading.Barrier(CLIENTS)

    def client(number):
        if number < DISTINCT:
            phone = phones[number]
        elif number < DISTINCT + SAME_PHONE:
            phone = shared_phone
        else:
            phone = None
        try:
            start.wait()
            upserted = None
            if phone:
                upserted = _call(
                    server,
                    admin.uid,
                    "res.partner",
                    "sme_upsert_customer",
                    {"name": "Burst Customer %d" % number, "phone": phone},
                    company_id=company,
                )
            found = _call(
                server,
                admin.uid,
                "res.partner",
                "sme_find_customer_by_phone",
                phone or shared_phone,
                company_id=company,
            )
            results[number] = (phone, upserted, found)
        except (xmlrpc.client.Error, http.client.HTTPException, OSError) as error:
            errors.append("client %d: %s" % (number, str(error)[-500:]))

    threads = [
        threading.Thread(target=client, args=(number,)) for number in range(CLIENTS)
    ]
    began = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(CALL_TIMEOUT * 3)
    elapsed = time.time() - began
    print(
        "%d clients, %d calls in %.1f s"
        % (CLIENTS, CLIENTS + DISTINCT + SAME_PHONE, elapsed)
    )

    assert not errors, "\n".join(errors)
    assert len(results) == CLIENTS
    for _phone, upserted, found in results.values():
        if upserted:
            assert found and found["id"] == upserted["id"]
    # Each phone is one customer; of the 30 upserts of one phone, one created it.
    shared = [
        upserted
        for phone, upserted, _found in results.values()
        if phone == shared_phone
    ]
    assert len({upserted["id"] for upserted in shared}) == 1
    assert sum(upserted["is_new"] for upserted in shared) == 1
    for phone in phones + [shared_phone]:
        count = admin(
            "res.partner",
            "search_count",
            [
                ["sme_phone_normalized", "=", "+91" + phone],
                ["company_id", "=", company],
            ],
            context={"active_test": False},
        )
        assert count == 1, "%d customers with the phone %s" % (count, phone)
    log = server["log"].read_text()
    assert "PoolError" not in log and "Connection Pool Is Full" not in log
