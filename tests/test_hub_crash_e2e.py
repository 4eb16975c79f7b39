# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A server killed (kill -9) in the middle of a pull, then started again:
the pull finishes by itself, with exact counts, without anybody clicking
Requeue, and what was committed before the kill (whole chunks) is neither
lost nor imported twice. Real Odoo with queue_job's runner and its cron
thread, a real Tally sandbox over a socket."""
import json
import os
import random
import signal
import subprocess
import sys
import time
import xmlrpc.client

from server_process import _free_port, _wait_for_http, create_backend

from sme_connectors.sandbox.testing import running_tally

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

LEDGERS = 300
CHUNK = 50


def _seed(path, run):
    """Ledgers of this run only (names and phones no earlier run on the same database made)."""
    ledgers = [{"NAME": "Sales", "PARENT": "Sales Accounts"}]
    ledgers += [
        {
            "NAME": "Crash Customer %s %03d" % (run, n),
            "PARENT": "Sundry Debtors",
            "LEDGERMOBILE": "9%s%05d" % (run, n),
        }
        for n in range(LEDGERS)
    ]
    with open(path, "w") as handle:
        json.dump(
            {
                "companies": [
                    {"name": "Crash Test Traders", "ledgers": ledgers, "vouchers": []}
                ]
            },
            handle,
        )


class _Server(object):
    """Odoo as the run command starts it: the job runner and a cron thread."""

    def __init__(self, database, log_path):
        self.database, self.log_path, self.port = database, log_path, _free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.process = None

    def start(self):
        log = open(self.log_path, "a")
        self.process = subprocess.Popen(
            [
                sys.executable,
                os.path.join(ROOT, "scripts", "odoo-bin"),
                "-c",
                os.environ.get("SME_ODOO_CONF", os.path.join(ROOT, "odoo.conf")),
                "-d",
                self.database,
                "--db-filter",
                "^%s$" % self.database,
                "--workers",
                "0",
                "--http-interface",
                "127.0.0.1",
                "--http-port",
                str(self.port),
                "--max-cron-threads",
                "1",
                "--load",
                "web,queue_job",
                "--log-level",
                "warn",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        _wait_for_http(self.url + "/web/login", self.process)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(30)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def rpc(self, model, method, *args):
        common = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common")
        uid = common.authenticate(self.database, "admin", "admin", {})
        models = xmlrpc.client.ServerProxy(
            self.url + "/xmlrpc/2/object", allow_none=True
        )
        return models.execute_kw(self.database, uid, "admin", model, method, list(args))


def _wait(what, condition, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(1)
    raise AssertionError("waited %ss for %s" % (timeout, what))


def test_a_pull_interrupted_by_kill_9_finishes_after_restart(tmp_path):
    seed = str(tmp_path / "tally.json")
    run = "%04d" % random.randrange(10000)
    _seed(seed, run)
    database = os.environ.get("SME_TEST_DB", "sme_test")
    server = _Server(database, str(tmp_path / "server.log"))
    with running_tally(seed) as (tally_url, _sandbox):
        try:
            server.start()
            # The requeue cron is due at once (its first run is otherwise a minute after
            # install).
            cron = server.rpc(
                "ir.model.data",
                "xmlid_to_res_id",
                "sme_accounting_hub.ir_cron_sme_requeue_interrupted_jobs",
            )
            server.rpc("ir.cron", "write", [cron], {"nextcall": "2020-01-01 00:00:00"})
            server.rpc(
                "ir.config_parameter",
                "set_param",
                "sme_accounting_hub.chunk_size",
                str(CHUNK),
            )
            # A run of this test on the same database before (killed, or stopped by
            # hand) may have left a job behind on Tally's channel (capacity 1): it is
            # not this test's to finish.
            leftovers = server.rpc(
                "queue.job",
                "search",
                [
                    ("model_name", "=", "sme.accounting.backend"),
                    ("state", "in", ("pending", "enqueued", "started")),
                ],
            )
            server.rpc("queue.job", "write", leftovers, {"state": "done"})
            backend = create_backend(
                server.rpc,
                {
                    "name": "Crash test %d" % os.getpid(),
                    "system": "tally",
                    "frequency": "manual",
                    "sync_invoices": False,
                    "sync_payments": False,
                    "direction": "pull",
                },
                url=tally_url,
                remote_company="Crash Test Traders",
                timeout=30,
            )
            server.rpc("sme.accounting.backend", "action_activate", [backend])
            uuid = server.rpc(
                "sme.accounting.backend", "sme_sync", backend, "customers"
            )[0]["uuid"]

            def status():
                return server.rpc("sme.accounting.backend", "sme_job_status", uuid)

            def committed():
                return server.rpc(
                    "res.partner",
                    "search_count",
                    [("name", "like", "Crash Customer %s %%" % run)],
                )

            _wait("the pull to start", lambda: status()["state"] == "started", 60)
            # Two chunks committed (and a third under way) before the kill.
            _wait("two chunks", lambda: committed() >= 2 * CHUNK, 120)
            server.kill()
            server.start()
            # What the killed server had committed: whole chunks (the requeued job
            # goes on only after the requeue's grace period).
            before_restart = committed()
            assert (
                before_restart % CHUNK == 0 and 2 * CHUNK <= before_restart < LEDGERS
            ), before_restart
            done = _wait(
                "the pull to finish after the restart",
                lambda: status()["state"] == "done" and status(),
                240,
            )
            pulls = [log for log in done["logs"] if log["state"] == "done"]
            # One run, resumed after the chunks committed: every ledger counted once,
            # none skipped.
            assert [
                (log["created"], log["skipped"], log["failed"]) for log in done["logs"]
            ] == [(LEDGERS, 0, 0)]
            assert len(pulls) == 1
            assert committed() == LEDGERS
        finally:
            server.stop()
            print(open(str(tmp_path / "server.log")).read()[-3000:])
