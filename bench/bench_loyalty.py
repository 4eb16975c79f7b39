# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Loyalty points of many customers: earning on paid invoices, their
balances, a redemption each for some, and the expiry run.

    .venv/bin/python bench/bench_loyalty.py --db sme_test --customers 10000

A fresh company with the Indian chart of accounts gets N customers (SQL
copies of one) and one paid invoice each of two lines (copies, in SQL, of one
invoice validated through the ORM: the bench measures the ledger, not
Odoo's invoicing). Then, phase by phase: the ledger's reaction to each
invoice's payment (``_sme_on_invoice_paid``, as the invoice listener calls
it), the balances of all customers in one call, and the expiry run a year
later. Prints seconds, SQL queries per invoice and the peak RSS of the
process. Rolled back afterwards.
"""
import argparse
import os
import resource
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def copy_rows(cr, table, template_id, overrides, source_sql, params):
    """INSERT copies of row ``template_id`` of ``table``, one per row of
    ``source_sql`` (which yields the columns named in ``overrides``)."""
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = %s AND column_name != 'id'",
        (table,),
    )
    columns = [row[0] for row in cr.fetchall()]
    select = ", ".join(
        "s.%s" % col if col in overrides else "t.%s" % col for col in columns
    )
    # Table and column names come from the schema, not from input.
    cr.execute(
        "INSERT INTO %s (%s) SELECT %s FROM %s t, (%s) s WHERE t.id = %%s"
        " RETURNING id" % (table, ", ".join(columns), select, table, source_sql),
        params + (template_id,),
    )
    return [row[0] for row in cr.fetchall()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("SME_TEST_DB", "sme_test"))
    parser.add_argument("--config", default=os.path.join(ROOT, "odoo.conf"))
    parser.add_argument("--customers", type=int, default=10000)
    args = parser.parse_args()

    import odoo

    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.db, "--log-level=warn"]
    )
    with odoo.api.Environment.manage(), odoo.registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        started = time.time()
        company = env["res.company"].create(
            {
                "name": "Loyalty bench",
                "country_id": env.ref("base.in").id,
                "currency_id": env.ref("base.INR").id,
            }
        )
        company._sme_load_chart_template(
            env.ref("l10n_in.indian_chart_template_standard")
        )
        env.user.write({"company_ids": [(4, company.id)], "company_id": company.id})
        income = env["account.account"].search(
            [
                ("company_id", "=", company.id),
                ("user_type_id", "=", env.ref("account.data_account_type_revenue").id),
            ],
            limit=1,
        )
        double = env["product.category"].create(
            {"name": "Bench double points", "sme_loyalty_multiplier": 2.0}
        )
        product = env["product.product"].create(
            {"name": "Bench cable", "categ_id": double.id}
        )
        first = env["res.partner"].create(
            {"name": "Bench customer 0", "customer": True, "company_id": company.id}
        )
        template = env["account.invoice"].create(
            {
                "type": "out_invoice",
                "partner_id": first.id,
                "company_id": company.id,
                "date_invoice": "2026-01-01",
                "invoice_line_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Wire",
                            "quantity": 1,
                            "price_unit": 12000,
                            "account_id": income.id,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Cable",
                            "product_id": product.id,
                            "quantity": 2,
                            "price_unit": 4000,
                            "account_id": income.id,
                        },
                    ),
                ],
            }
        )
        template.action_invoice_open()
        partner_ids = [first.id] + copy_rows(
            cr,
            "res_partner",
            first.id,
            {"name", "display_name"},
            "SELECT 'Bench customer ' || n AS name,"
            " 'Bench customer ' || n AS display_name"
            " FROM generate_series(1, %s) AS n",
            (args.customers - 1,),
        )
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id IN %s",
            (tuple(partner_ids),),
        )
        others = partner_ids[1:]
        invoice_ids = [template.id] + copy_rows(
            cr,
            "account_invoice",
            template.id,
            {"partner_id", "commercial_partner_id", "number", "state", "move_id"},
            "SELECT p AS partner_id, p AS commercial_partner_id,"
            " 'BENCH/' || p AS number, 'paid'::varchar AS state,"
            " NULL::integer AS move_id FROM unnest(%s) AS p",
            (others,),
        )
        pairs = list(zip(invoice_ids[1:], others))
        for line in template.invoice_line_ids:
            copy_rows(
                cr,
                "account_invoice_line",
                line.id,
                {"invoice_id", "partner_id"},
                "SELECT i AS invoice_id, p AS partner_id"
                " FROM unnest(%s, %s) AS x(i, p)",
                ([i for i, _p in pairs], [p for _i, p in pairs]),
            )
        cr.execute("ANALYZE account_invoice; ANALYZE account_invoice_line")
        env.clear()
        print(
            "%d customers and paid invoices of 2 lines ready in %.1f s"
            % (len(partner_ids), time.time() - started)
        )

        Move = env["sme.loyalty.move"].with_context(sme_today="2026-01-20")
        invoices = env["account.invoice"].browse(invoice_ids)
        started, queries = time.time(), cr.sql_log_count
        for index in range(0, len(invoices), 500):
            for invoice in invoices[index : index + 500]:
                Move._sme_on_invoice_paid(invoice)
            env.clear()  # as separate events would: no cache across them
        seconds = time.time() - started
        count = cr.sql_log_count - queries
        cr.execute(
            "SELECT count(*), sum(points) FROM sme_loyalty_move WHERE company_id = %s",
            (company.id,),
        )
        moves, points = cr.fetchone()
        print(
            "earning: %d invoices in %.1f s (%.1f ms each), %.1f queries per"
            " invoice, %d moves, %d points, peak RSS %.0f MB"
            % (
                len(invoices),
                seconds,
                1000.0 * seconds / len(invoices),
                count / float(len(invoices)),
                moves,
                points,
                peak_rss_mb(),
            )
        )
        started, queries = time.time(), cr.sql_log_count
        balances = Move._sme_balances(partner_ids, company.id)
        print(
            "balances of %d customers: %.2f s, %d queries (each %s points)"
            % (
                len(balances),
                time.time() - started,
                cr.sql_log_count - queries,
                sorted(set(balances.values())),
            )
        )
        started, queries = time.time(), cr.sql_log_count
        expired = Move._cron_sme_expire_points("2027-01-20")
        seconds = time.time() - started
        print(
            "expiry a year later: %d moves in %.1f s, %.1f queries per move,"
            " peak RSS %.0f MB"
            % (
                len(expired),
                seconds,
                (cr.sql_log_count - queries) / float(max(len(expired), 1)),
                peak_rss_mb(),
            )
        )
        cr.rollback()


if __name__ == "__main__":
    main()
