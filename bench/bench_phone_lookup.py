# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Lookup by phone among many customers: the unique index at work.

    .venv/bin/python bench/bench_phone_lookup.py --db sme_test --customers 100000

Adds N customers to a fresh company (plain SQL rows, as a migration would
leave them, with their normalised phones), then times
``res.partner.sme_find_customer_by_phone`` for existing and unknown numbers
in every spelling, and prints the query plan. Rolled back afterwards.
"""
import argparse
import os
import statistics
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("SME_TEST_DB", "sme_test"))
    parser.add_argument("--config", default=os.path.join(ROOT, "odoo.conf"))
    parser.add_argument("--customers", type=int, default=100000)
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args()

    import odoo

    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.db, "--log-level=warn"]
    )
    with odoo.api.Environment.manage(), odoo.registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env["res.company"].create(
            {"name": "Lookup bench", "country_id": env.ref("base.in").id}
        )
        started = time.time()
        cr.execute(
            """
            INSERT INTO res_partner (name, display_name, company_id, customer, active,
                                     phone, sme_phone_normalized, type, is_company,
                                     invoice_warn)
            SELECT 'Customer ' || n, 'Customer ' || n, %s, true, true,
                   '98' || lpad(n::text, 8, '0'), '+9198' || lpad(n::text, 8, '0'),
                   'contact', false, 'no-message'
              FROM generate_series(1, %s) AS n""",
            (company.id, args.customers),
        )
        cr.execute("ANALYZE res_partner")
        print(
            "inserted %d customers in %.1f s" % (args.customers, time.time() - started)
        )
        Partner = env["res.partner"]
        spellings = ["+91 98%08d", "098%08d", "98%08d"]
        timings, found = [], 0
        for i in range(args.lookups):
            number = (i * 7919) % (args.customers * 2) + 1  # half exist, half do not
            phone = spellings[i % 3] % number
            t = time.perf_counter()
            result = Partner.sme_find_customer_by_phone(phone, company.id)
            timings.append((time.perf_counter() - t) * 1000)
            found += bool(result)
            Partner.invalidate_cache()
        timings.sort()
        print(
            "%d lookups (%d found): median %.2f ms, p95 %.2f ms, max %.2f ms"
            % (
                args.lookups,
                found,
                statistics.median(timings),
                timings[int(len(timings) * 0.95)],
                timings[-1],
            )
        )
        cr.execute(
            "EXPLAIN SELECT id FROM res_partner"
            " WHERE sme_phone_normalized = %s AND company_id = %s",
            ("+919800000042", company.id),
        )
        print("plan:", " / ".join(row[0].strip() for row in cr.fetchall()))
        cr.rollback()


if __name__ == "__main__":
    main()
