# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""An email campaign to many customers: launching (audience, recipient rows,
queue jobs) and sending (the batch jobs: mass_mailing's composer, link
tracking, Odoo's outgoing mail server) to a local SMTP server.

    .venv/bin/python bench/bench_email_campaign.py --db sme_test --customers 10000

Adds N customers to a fresh company (plain SQL rows with their emails, one
in 50 opted out, one in 100 without email), an audience of them all and an
email campaign; a local SMTP server (a child process: its memory is not the
hub's) receives and counts the messages. Launches the campaign, then runs
its queue jobs one after the other as the job runner would (each with a
savepoint: the runner's transaction per job), and prints seconds, SQL
queries per recipient and the peak RSS of each phase. Rolled back
afterwards.
"""
import argparse
import asyncore
import multiprocessing
import os
import resource
import smtpd
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CountingSMTPServer(smtpd.SMTPServer):
    def __init__(self, address, counter):
        smtpd.SMTPServer.__init__(self, address, None, decode_data=False)
        self.counter = counter

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        with self.counter.get_lock():
            self.counter.value += 1


def _serve(port, counter, ready):
    server = CountingSMTPServer(("127.0.0.1", port), counter)
    ready.put(server.socket.getsockname()[1])
    asyncore.loop(timeout=0.2)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=os.environ.get("SME_TEST_DB", "sme_test"))
    parser.add_argument("--config", default=os.path.join(ROOT, "odoo.conf"))
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=500, help="recipients per job")
    args = parser.parse_args()

    counter = multiprocessing.Value("i", 0)
    ready = multiprocessing.Queue()
    smtp = multiprocessing.Process(target=_serve, args=(0, counter, ready), daemon=True)
    smtp.start()
    port = ready.get(timeout=10)

    import odoo

    odoo.tools.config.parse_config(
        ["-c", args.config, "-d", args.db, "--log-level=warn"]
    )
    # Importable once the configuration gave the addons path.
    from odoo.addons.queue_job.job import Job
    from odoo.addons.sme_marketing.models import sme_marketing_campaign

    sme_marketing_campaign.BATCH_SIZE = args.batch
    with odoo.api.Environment.manage(), odoo.registry(args.db).cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        env["ir.mail_server"].search([]).write({"active": False})
        env["ir.mail_server"].create(
            {
                "name": "bench SMTP",
                "smtp_host": "127.0.0.1",
                "smtp_port": port,
                "smtp_encryption": "none",
                "sequence": 1,
            }
        )
        company = env["res.company"].create(
            {"name": "Campaign bench", "country_id": env.ref("base.in").id}
        )
        started = time.time()
        cr.execute(
            """
            INSERT INTO res_partner (name, display_name, company_id, customer, active,
                                     phone, sme_phone_normalized, type, is_company,
                                     invoice_warn, email, opt_out)
            SELECT 'Customer ' || n, 'Customer ' || n, %s, true, true,
                   '98' || lpad(n::text, 8, '0'), '+9198' || lpad(n::text, 8, '0'),
                   'contact', false, 'no-message',
                   CASE WHEN n %% 100 = 0 THEN NULL ELSE 'c' || n || '@example.in' END,
                   n %% 50 = 7
              FROM generate_series(1, %s) AS n""",
            (company.id, args.customers),
        )
        cr.execute("ANALYZE res_partner")
        print(
            "inserted %d customers in %.1f s; SMTP server on port %d"
            % (args.customers, time.time() - started, port)
        )
        audience = env["sme.marketing.audience"].create(
            {"name": "Everyone", "company_id": company.id}
        )
        campaign = env["sme.marketing.campaign"].create(
            {
                "name": "Bench campaign",
                "company_id": company.id,
                "campaign_type": "email",
                "email_subject": "Diwali offer",
                "email_from": "Shop <shop@example.in>",
                "email_body": "<p>Hello! <a href='https://shop.example.in/diwali'>"
                "20% off</a> and <a href='https://shop.example.in/new'>new</a></p>",
                "audience_id": audience.id,
            }
        )
        env.cache.invalidate()

        queries, clock = cr.sql_log_count, time.time()
        campaign.action_launch()
        launch_seconds = time.time() - clock
        launch_queries = cr.sql_log_count - queries
        recipients = campaign.recipient_ids
        queued = recipients.filtered(lambda r: r.state == "queued")
        jobs = (
            env["queue.job"]
            .search(
                [
                    ("model_name", "=", "sme.marketing.campaign"),
                    ("method_name", "=", "sme_job_send_batch"),
                    ("state", "=", "pending"),
                ],
                order="id",
            )
            .filtered(lambda job: job.record_ids == campaign.ids)
        )
        print(
            "launch: %.1f s, %d queries (%.2f per recipient), %d recipients "
            "(%d queued, %d skipped), %d jobs, peak RSS %.0f MB"
            % (
                launch_seconds,
                launch_queries,
                launch_queries / float(len(recipients)),
                len(recipients),
                len(queued),
                len(recipients) - len(queued),
                len(jobs),
                peak_rss_mb(),
            )
        )
        job_uuids = jobs.mapped("uuid")
        env.cache.invalidate()

        queries, clock = cr.sql_log_count, time.time()
        for uuid in job_uuids:
            with cr.savepoint():
                job = Job.load(env, uuid)
                job.set_started()
                result = job.perform()
                job.set_done(result=result)
                job.store()
            env.cache.invalidate()  # the runner starts each job afresh
        send_seconds = time.time() - clock
        send_queries = cr.sql_log_count - queries
        # The SMTP server counts in its own process: give it a moment.
        deadline = time.time() + 30
        while counter.value < len(queued) and time.time() < deadline:
            time.sleep(0.2)
        states = {}
        for recipient in campaign.recipient_ids:
            states[recipient.state] = states.get(recipient.state, 0) + 1
        print(
            "send: %.1f s (%.0f messages/s), %d queries (%.2f per message), "
            "SMTP server received %d, recipients %s, peak RSS %.0f MB"
            % (
                send_seconds,
                len(queued) / send_seconds if send_seconds else 0,
                send_queries,
                send_queries / float(len(queued) or 1),
                counter.value,
                states,
                peak_rss_mb(),
            )
        )
        total = launch_seconds + send_seconds
        print(
            "total: %.1f s for %d customers, %.2f queries per recipient, peak RSS %.0f MB"
            % (
                total,
                args.customers,
                (launch_queries + send_queries) / float(len(recipients)),
                peak_rss_mb(),
            )
        )
        cr.rollback()
    smtp.terminate()


if __name__ == "__main__":
    main()
