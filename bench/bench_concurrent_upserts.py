# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Concurrent upserts over XML-RPC: clients x throughput, latency, errors.

    .venv/bin/python bench/bench_concurrent_upserts.py --template sme_test --clients 1,8,32,100

Copies the template database, starts Odoo on it the way scripts/run.sh does
(``odoo_serve`` in scripts/lib.sh: worker processes, db_maxconn, limits,
queue_job's runner; ``--mode threaded`` starts it as run.sh did before, one
process with a thread per request), then for each number of clients runs
``--upserts`` calls of ``res.partner.sme_upsert_customer`` from that many
concurrent XML-RPC clients, in a company of its own: every phone is upserted
twice (a create and an update, in random order, so clients also collide on
one phone). Prints upserts/s, p50 / p95 latency (queueing included), the
errors clients saw, and customers left with a duplicate phone. Drops the copy
afterwards. ``--url`` and ``--db`` measure a server that already runs.
"""
import argparse
import collections
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import xmlrpc.client

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--template",
        default=os.environ.get("SME_TEST_DB", "sme_test"),
        help="database to copy (the SME Hub addons installed)",
    )
    parser.add_argument(
        "--db",
        default="sme_bench_upserts",
        help="the copy (or, with --url, the database)",
    )
    parser.add_argument(
        "--url", help="measure this running server instead of starting one"
    )
    parser.add_argument("--mode", choices=("workers", "threaded"), default="workers")
    parser.add_argument("--clients", default="1,8,32,100")
    parser.add_argument(
        "--upserts", type=int, default=400, help="upserts per number of clients"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the copy of the database"
    )
    args = parser.parse_args()

    server = None
    if not args.url:
        _drop(args.db)
        _psql("createdb", "-T", args.template, args.db)
        filestore = os.path.join(ROOT, ".data", "filestore")
        if os.path.isdir(os.path.join(filestore, args.template)):
            shutil.copytree(
                os.path.join(filestore, args.template), os.path.join(filestore, args.db)
            )
        server = Server(args.db, args.mode)
    try:
        url = args.url or server.start()
        print(
            "server: %s (%s), database %s, %d cores"
            % (url, args.mode if server else "running", args.db, os.cpu_count())
        )
        if server:
            print("odoo args: %s" % " ".join(server.settings))
        print(
            "%7s %8s %8s %10s %8s %8s %7s %6s"
            % (
                "clients",
                "upserts",
                "wall s",
                "upserts/s",
                "p50 ms",
                "p95 ms",
                "errors",
                "dupes",
            )
        )
        for clients in [int(n) for n in args.clients.split(",")]:
            result = run_level(url, args.db, clients, args.upserts)
            print(
                "%7d %8d %8.1f %10.1f %8.0f %8.0f %7d %6d"
                % (
                    clients,
                    args.upserts,
                    result["wall"],
                    result["throughput"],
                    result["p50"],
                    result["p95"],
                    sum(result["errors"].values()),
                    result["dupes"],
                ),
                flush=True,
            )
            for kind, count in sorted(result["errors"].items()):
                print("        %5d x %s" % (count, kind))
    finally:
        if server:
            server.stop()
            if not args.keep:
                _drop(args.db)


def run_level(url, db, clients, upserts):
    """``upserts`` calls from ``clients`` threads, each with its own connection."""
    uid = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common").authenticate(
        db, "admin", "admin", {}
    )
    admin = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
    india = admin.execute_kw(
        db, uid, "admin", "res.country", "search", [[["code", "=", "IN"]]]
    )[0]
    company = admin.execute_kw(
        db,
        uid,
        "admin",
        "res.company",
        "create",
        [
            {
                "name": "Upsert bench %d clients %d"
                % (clients, random.randint(1, 10**6)),
                "country_id": india,
            }
        ],
    )
    base = random.randint(10**6, 9 * 10**6)
    phones = ["9%09d" % (base * 100 + n) for n in range((upserts + 1) // 2)]
    work = (phones * 2)[:upserts]
    random.shuffle(work)
    work = collections.deque(enumerate(work))
    latencies, errors = [], collections.Counter()
    lock, start = threading.Lock(), threading.Barrier(clients)

    def client():
        proxy = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object", allow_none=True)
        start.wait()
        while True:
            try:
                number, phone = work.popleft()
            except IndexError:
                return
            began = time.perf_counter()
            try:
                proxy.execute_kw(
                    db,
                    uid,
                    "admin",
                    "res.partner",
                    "sme_upsert_customer",
                    [
                        {
                            "name": "Bench Customer %d" % number,
                            "phone": phone,
                            "email": "c%d@example.in" % number,
                            "city": "Pune",
                        }
                    ],
                    {"company_id": company},
                )
                error = None
            except xmlrpc.client.Fault as fault:
                error = _fault_kind(fault.faultString)
            except (
                xmlrpc.client.ProtocolError,
                http.client.HTTPException,
                OSError,
            ) as failure:
                error = type(failure).__name__
                proxy = xmlrpc.client.ServerProxy(
                    url + "/xmlrpc/2/object", allow_none=True
                )
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)
                if error:
                    errors[error] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    groups = admin.execute_kw(
        db,
        uid,
        "admin",
        "res.partner",
        "read_group",
        [
            [["company_id", "=", company], ["sme_phone_normalized", "!=", False]],
            ["sme_phone_normalized"],
            ["sme_phone_normalized"],
        ],
        {"context": {"active_test": False}, "lazy": False},
    )
    return {
        "wall": wall,
        "throughput": upserts / wall,
        "errors": errors,
        "p50": latencies[len(latencies) // 2],
        "p95": latencies[int(len(latencies) * 0.95)],
        "dupes": sum(1 for group in groups if group["__count"] > 1),
    }


def _fault_kind(text):
    for kind in (
        "PoolError",
        "SerializationFailure",
        "could not serialize",
        "deadlock",
        "IntegrityError",
    ):
        if kind in text:
            return "Fault: " + kind
    return "Fault: " + text.strip().splitlines()[-1][:120]


class Server(object):
    """Odoo on free ports, in its own process group (stopping it stops its
    workers and its longpolling process, nothing else)."""

    def __init__(self, db, mode):
        self.db, self.mode = db, mode
        self.port, self.longpolling_port = _free_port(), _free_port()
        self.settings = (
            _lib_sh("odoo_server_args").split()
            if mode == "workers"
            else ["--workers=0"]
        )
        self.process = None
        self.log_path = os.path.join(ROOT, ".data", "bench_concurrent_upserts.log")

    def start(self):
        common = [
            "-d",
            self.db,
            "--db-filter",
            "^%s$" % self.db,
            "--http-interface",
            "127.0.0.1",
            "--http-port",
            str(self.port),
            "--longpolling-port",
            str(self.longpolling_port),
            "--load",
            "web,queue_job",
            "--log-level",
            "warn",
        ]
        if self.mode == "workers":
            command = [
                "bash",
                "-c",
                'source "$0" && odoo_serve "$@"',
                os.path.join(ROOT, "scripts", "lib.sh"),
            ]
        else:  # scripts/run.sh before: one process, a thread per request
            command = [
                sys.executable,
                os.path.join(ROOT, "scripts", "odoo-bin"),
                "-c",
                os.path.join(ROOT, "odoo.conf"),
                "--workers=0",
            ]
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                command + common,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=ROOT,
                start_new_session=True,
            )
        url = "http://127.0.0.1:%d" % self.port
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(
                    "Odoo exited (%s): see %s"
                    % (self.process.returncode, self.log_path)
                )
            try:
                urllib.request.urlopen(url + "/web/login", timeout=5).close()
                return url
            except OSError:
                time.sleep(0.5)
        sys.exit("Odoo did not answer within 180 s: see %s" % self.log_path)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _lib_sh(function):
    return subprocess.check_output(
        [
            "bash",
            "-c",
            'source "$0" && %s' % function,
            os.path.join(ROOT, "scripts", "lib.sh"),
        ],
        universal_newlines=True,
    )


def _drop(db):
    _psql("dropdb", "--if-exists", db)
    shutil.rmtree(os.path.join(ROOT, ".data", "filestore", db), ignore_errors=True)


def _psql(command, *args):
    env = dict(os.environ, PGPASSWORD=os.environ.get("SME_DB_PASSWORD", "odoo"))
    subprocess.check_call(
        [
            command,
            "-h",
            os.environ.get("PGHOST", "127.0.0.1"),
            "-p",
            os.environ.get("PGPORT", "5432"),
            "-U",
            os.environ.get("SME_DB_USER", "odoo"),
        ]
        + list(args),
        env=env,
    )


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()
