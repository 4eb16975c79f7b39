# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The monthly commission settlement of channel partners over many paid
invoices: sale_commission's settle wizard (with the proportional shares of
sme_marketing) and one vendor bill per partner through its invoice wizard.

    .venv/bin/python bench/bench_settlement.py --db sme_test --invoices 10000

Adds, in the main company (it has a chart of accounts), a 10% payment-based
commission, P channel partners, N customers spread over them and N paid
customer invoices of January 2026 with their commission lines (plain SQL
rows: the benchmark is the settlement, not the invoicing). Runs
``sale.commission.settlement.sme_run_monthly_settlement('2026-01-15')`` and
then runs it again (nothing to pay twice), printing seconds, SQL queries per
invoice and the peak RSS of each. Rolled back afterwards.
"""
import argparse
import os
import resource
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def seed(env, invoices, partners):
    cr = env.cr
    company = env.ref("base.main_company")
    commission = env["sale.commission"].create(
        {"name": "bench 10%", "fix_qty": 10.0, "invoice_state": "paid"}
    )
    agents = env["res.partner"]
    for index in range(partners):
        agents |= env["res.partner"].create(
            {
                "name": "Bench partner %d" % index,
                "company_id": company.id,
                "agent": True,
                "supplier": True,
                "customer": False,
                "commission": commission.id,
            }
        )
    journal = env["account.journal"].search(
        [("company_id", "=", company.id), ("type", "=", "sale")], limit=1
    )
    receivable = env["account.account"].search(
        [
            ("company_id", "=", company.id),
            ("internal_type", "=", "receivable"),
        ],
        limit=1,
    )
    revenue = env["account.account"].search(
        [
            ("company_id", "=", company.id),
            ("user_type_id", "=", env.ref("account.data_account_type_revenue").id),
        ],
        limit=1,
    )
    cr.execute(
        """
        INSERT INTO res_partner (name, display_name, company_id, active, customer,
                                 is_company, invoice_warn, sale_warn, agent_type,
                                 settlement, sme_channel_partner_id)
        SELECT 'Bench customer ' || n, 'Bench customer ' || n, %s, TRUE, TRUE,
               TRUE, 'no-message', 'no-message', 'agent', 'monthly',
               (%s::integer[])[1 + n %% %s]
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        (company.id, agents.ids, partners, invoices),
    )
    customer_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE id IN %s",
        (tuple(customer_ids),),
    )
    cr.execute(
        """
        INSERT INTO account_invoice (number, type, state, partner_id,
                commercial_partner_id, company_id, currency_id, journal_id,
                account_id, reference_type, date_invoice, amount_untaxed,
                amount_total, amount_untaxed_signed, amount_total_signed,
                amount_total_company_signed, residual, residual_signed,
                residual_company_signed, reconciled)
        SELECT 'BENCH/' || c.id, 'out_invoice', 'paid', c.id, c.id, %s, %s, %s,
               %s, 'none', DATE '2026-01-01' + (c.id %% 28), 1000, 1000, 1000,
               1000, 1000, 0, 0, 0, TRUE
          FROM unnest(%s::integer[]) AS c(id)
        RETURNING id, partner_id
        """,
        (
            company.id,
            company.currency_id.id,
            journal.id,
            receivable.id,
            customer_ids,
        ),
    )
    invoice_rows = cr.fetchall()
    cr.execute(
        """
        INSERT INTO account_invoice_line (name, account_id, price_unit, quantity,
                invoice_id, partner_id, company_id, currency_id, price_subtotal,
                price_total, price_subtotal_signed)
        SELECT 'Copper wire', %s, 1000, 1, i.id, i.partner_id, %s, %s, 1000,
               1000, 1000
          FROM account_invoice i WHERE i.id IN %s
        """,
        (
            revenue.id,
            company.id,
            company.currency_id.id,
            tuple(row[0] for row in invoice_rows),
        ),
    )
    cr.execute(
        """
        INSERT INTO account_invoice_line_agent (object_id, agent, commission,
                amount, invoice, invoice_date, company_id, settled)
        SELECT l.id, p.sme_channel_partner_id, %s, 100, i.id, i.date_invoice,
               i.company_id, FALSE
          FROM account_invoice_line l
          JOIN account_invoice i ON i.id = l.invoice_id
          JOIN res_partner p ON p.id = i.partner_id
         WHERE i.id IN %s
        """,
        (commission.id, tuple(row[0] for row in invoice_rows)),
    )
    env.cache.invalidate()
    return company, agents


def measure(cr, label, invoices, function):
    queries = cr.sql_log_count
    start = time.time()
    result = function()
    seconds = time.time() - start
    queries = cr.sql_log_count - queries
    print(
        "%-28s %8.1f s %8.1f queries/invoice %8.0f MB peak RSS"
        % (label, seconds, queries / float(invoices), peak_rss_mb())
    )
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("SME_TEST_DB", "sme_test"))
    parser.add_argument("--config", default=os.path.join(ROOT, "odoo.conf"))
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument("--partners", type=int, default=50)
    args = parser.parse_args()

    import odoo

    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.db, "--log-level=warn"]
    )
    with odoo.api.Environment.manage(), odoo.registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        print("seeding %d paid invoices, %d partners" % (args.invoices, args.partners))
        company, agents = seed(env, args.invoices, args.partners)
        print("peak RSS after seeding: %.0f MB" % peak_rss_mb())
        Settlement = env["sale.commission.settlement"]
        first = measure(
            cr,
            "settlement + bills",
            args.invoices,
            lambda: Settlement.sme_run_monthly_settlement("2026-01-15", company.id),
        )
        total = sum(Settlement.browse(first["settlement_ids"]).mapped("total"))
        print(
            "  %d settlements, %d bills, total %.2f (expected %.2f)"
            % (
                len(first["settlement_ids"]),
                len(first["bill_ids"]),
                total,
                100.0 * args.invoices,
            )
        )
        second = measure(
            cr,
            "second run (nothing to pay)",
            args.invoices,
            lambda: Settlement.sme_run_monthly_settlement("2026-01-15", company.id),
        )
        print(
            "  %d settlements, %d bills"
            % (len(second["settlement_ids"]), len(second["bill_ids"]))
        )
        cr.rollback()


if __name__ == "__main__":
    main()
