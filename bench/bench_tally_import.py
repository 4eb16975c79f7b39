# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Throughput and memory of pulling customer ledgers from Tally, against
Odoo's own importer (res.partner.load) on the same rows.

    .venv/bin/python bench/bench_tally_import.py --db sme_test --sizes 1000,10000

For each size N: a Tally sandbox is seeded with N customer ledgers (unique
mobile numbers); a fresh company pulls them through the hub (connector over
HTTP, customer master upsert, events, bindings), then another fresh company
loads the same rows with ``res.partner.load()``. Each measurement runs in a
child process so that its peak memory (max RSS) is its own. Everything is
rolled back: the database is left as it was.
"""
import argparse
import contextlib
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def ledgers(count):
    return [
        {
            "NAME": "Bench Customer %06d" % n,
            "PARENT": "Sundry Debtors",
            "LEDGERMOBILE": "98%08d" % n,
            "EMAIL": "c%06d@bench.example.in" % n,
            "ADDRESS": ["%d MG Road" % n, "Pune"],
        }
        for n in range(count)
    ]


def _odoo_env(config_path, db):
    import odoo

    odoo.tools.config.parse_config(["-c", config_path, "-d", db, "--log-level=warn"])
    registry = odoo.registry(db)
    return odoo, registry


def _new_company(env, tag):
    company = env["res.company"].create(
        {"name": "Bench %s" % tag, "country_id": env.ref("base.in").id}
    )
    env.user.write({"company_ids": [(4, company.id)]})
    return company


def _serve_tally(seed_path, urls, stop):
    from sme_connectors.sandbox.testing import running_tally

    with running_tally(seed_path) as (url, _sandbox):
        urls.put(url)
        stop.wait()


@contextlib.contextmanager
def tally_in_own_process(seed_path):
    """The Tally sandbox in a process of its own: its memory (every ledger
    of the seed) is not counted in the hub's peak."""
    urls, stop = multiprocessing.Queue(), multiprocessing.Event()
    server = multiprocessing.Process(
        target=_serve_tally, args=(seed_path, urls, stop), daemon=True
    )
    server.start()
    try:
        yield urls.get(timeout=600)
    finally:
        stop.set()
        server.join(30)


def measure_hub(config_path, db, seed_path, queue):
    odoo, registry = _odoo_env(config_path, db)
    with tally_in_own_process(
        seed_path
    ) as url, odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company = _new_company(env, "hub")
        backend = env["sme.accounting.backend"].create(
            {
                "name": "Bench",
                "company_id": company.id,
                "direction": "pull",
                "state": "active",
            }
        )
        backend.settings_ref.write(
            {"url": url, "remote_company": "Bench Co", "timeout": 600}
        )
        from odoo.addons.sme_accounting_hub.sync.customers import CustomerSync
        from odoo.addons.sme_accounting_hub.sync.run import SyncRun

        run = SyncRun(
            env["sme.accounting.sync.log"]._start(backend, "customers", "pull")
        )
        started = time.time()
        CustomerSync(backend).pull(run)
        run.finish()
        elapsed = time.time() - started
        created = run.log.created
        cr.rollback()
    queue.put(
        {
            "seconds": elapsed,
            "rows": created,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        }
    )


def measure_load(config_path, db, count, queue):
    odoo, registry = _odoo_env(config_path, db)
    with odoo.api.Environment.manage(), registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        company = _new_company(env, "load")
        rows = [
            [
                row["NAME"],
                row["LEDGERMOBILE"],
                row["EMAIL"],
                row["ADDRESS"][0],
                row["ADDRESS"][1],
                "1",
                str(company.id),
            ]
            for row in ledgers(count)
        ]
        started = time.time()
        result = env["res.partner"].load(
            ["name", "phone", "email", "street", "city", "customer", "company_id/.id"],
            rows,
        )
        elapsed = time.time() - started
        errors = [m for m in result["messages"] if m.get("type") == "error"]
        cr.rollback()
    queue.put(
        {
            "seconds": elapsed,
            "rows": len(result["ids"] or []),
            "errors": len(errors),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        }
    )


def start_child(target, *args):
    queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=target, args=args + (queue,))
    process.start()
    return process, queue


def finish_child(started):
    process, queue = started
    result = queue.get()
    process.join()
    return result


def run_child(target, *args):
    return finish_child(start_child(target, *args))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("SME_TEST_DB", "sme_test"))
    parser.add_argument("--config", default=os.path.join(ROOT, "odoo.conf"))
    parser.add_argument(
        "--sizes",
        default="1000,10000",
        help="comma-separated ledger counts, e.g. 1000,10000,100000",
    )
    parser.add_argument(
        "--parallel",
        action="store_true",
        help="run the hub and load() at the same time, load() in --load-db (one core each: "
        "for sizes whose sequential run would take hours)",
    )
    parser.add_argument(
        "--load-db",
        help="database for the load() baseline with --parallel (a copy of --db: "
        "both runs write the admin user, which would lock one behind the other)",
    )
    parser.add_argument(
        "--hub-only",
        action="store_true",
        help="measure the hub alone (at 100,000 ledgers load() takes hours: its figure from an "
        "earlier run is in bench/README.md)",
    )
    args = parser.parse_args()
    if args.parallel and not args.load_db:
        parser.error("--parallel needs --load-db (createdb -T <db> <copy>)")
    print(
        "%8s  %-22s %10s %10s %12s"
        % ("ledgers", "method", "seconds", "rows/s", "peak RSS MB")
    )
    for size in [int(s) for s in args.sizes.split(",")]:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as seed:
            json.dump(
                {"companies": [{"name": "Bench Co", "ledgers": ledgers(size)}]}, seed
            )
        try:
            if args.hub_only:
                hub, load = (
                    run_child(measure_hub, args.config, args.db, seed.name),
                    None,
                )
            elif args.parallel:
                hub_child = start_child(measure_hub, args.config, args.db, seed.name)
                load = run_child(measure_load, args.config, args.load_db, size)
                hub = finish_child(hub_child)
            else:
                hub = run_child(measure_hub, args.config, args.db, seed.name)
                load = run_child(measure_load, args.config, args.db, size)
        finally:
            os.unlink(seed.name)
        for name, figures in (
            ("hub pull (Tally HTTP)", hub),
            ("res.partner.load()", load),
        ):
            if figures is None:
                continue
            print(
                "%8d  %-22s %10.1f %10.0f %12.0f"
                % (
                    size,
                    name,
                    figures["seconds"],
                    figures["rows"] / figures["seconds"],
                    figures["peak_rss_mb"],
                )
            )
        if load is None:
            continue
        print(
            "%8d  hub / load time ratio: %.2f  (rows: hub %d, load %d)"
            % (size, hub["seconds"] / load["seconds"], hub["rows"], load["rows"]),
            flush=True,
        )


if __name__ == "__main__":
    main()
