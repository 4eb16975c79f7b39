# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A Tally sandbox and a Tally backend for company A, for hub tests."""
from odoo.tests.common import at_install, post_install

from odoo.addons.queue_job.job import Job
from odoo.addons.sme_customer_master.tests.common import InvoiceCase

from sme_connectors.sandbox.testing import running_tally


def create_backend(env, values, **settings):
    """A connection and its system's settings (its settings record is made
    with it; ``settings`` are written there)."""
    backend = env["sme.accounting.backend"].create(values)
    if settings:
        backend.settings_ref.write(settings)
    return backend


# After the whole installation set, as pytest-odoo runs them: a pull goes
# through customer events that the other SME Hub addons (marketing) listen
# to, and Odoo may install those after this one (neither depends on the
# other).
@at_install(False)
@post_install(True)
class HubCase(InvoiceCase):
    @classmethod
    def setUpClass(cls):
        super(HubCase, cls).setUpClass()
        cls.manager_hub = cls.env.ref(
            "sme_accounting_hub.group_sme_accounting_hub_manager"
        )

    def setUp(self):
        super(HubCase, self).setUp()
        server = running_tally()
        self.tally_url, self.tally = server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.backend = create_backend(
            self.env,
            {
                "name": "Tally at the shop",
                "company_id": self.company_a.id,
                "system": "tally",
                "sync_journals": True,
            },
            url=self.tally_url,
            remote_company="Sharma Traders",
            timeout=5,
        )
        self.backend.action_activate()

    def queued(self, backend=None):
        pending = self.env["queue.job"].search(
            [("model_name", "=", "sme.accounting.backend"), ("state", "=", "pending")],
            order="id",
        )
        return pending.filtered(lambda j: j.record_ids == (backend or self.backend).ids)

    def run_job(self, queued):
        """Run one queued job as the job runner would, in this transaction."""
        job = Job.load(self.env, queued.uuid)
        job.set_started()
        result = job.perform()
        job.set_done(result=result)
        job.store()
        return result

    def run_everything(self):
        """Run every pending job of this test's backends, oldest first."""
        mine = self.env["sme.accounting.backend"].search(
            [("company_id", "in", (self.company_a | self.company_b).ids)]
        )
        return [
            self.run_job(queued)
            for queued in self.env["queue.job"].search(
                [
                    ("model_name", "=", "sme.accounting.backend"),
                    ("state", "=", "pending"),
                ],
                order="id",
            )
            if set(queued.record_ids) <= set(mine.ids)
        ]

    def run_all(self):
        results = []
        for queued in self.queued():
            results.append(self.run_job(queued))
        return results

    def tally_vouchers(self, remote_id=None):
        company = self.tally.books.companies["Sharma Traders"]
        return [
            v
            for v in company.vouchers
            if remote_id is None or v.get("REMOTEID") == remote_id
        ]
