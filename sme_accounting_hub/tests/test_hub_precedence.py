# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Two connections of a company that know one customer and disagree about
it: the one that comes first (precedence) wins, equal ones under 'Ask' make
a conflict, and what an import changes shows in the customer's chatter."""
from .common import HubCase, create_backend

BRANCH = "Sharma Branch"


class TestPrecedenceAmongConnections(HubCase):
    def setUp(self):
        super(TestPrecedenceAmongConnections, self).setUp()
        # The shop's Tally knows Gupta Electricals by its mobile and PIN code.
        shop = self.tally.books.companies["Sharma Traders"]
        shop.save_ledger({"NAME": "Gupta Electricals", "PINCODE": "411001"}, "Alter")
        # The branch's Tally has the same customer (same mobile) with another PIN code
        # and an e-mail.
        branch = self.tally.books.add_company(BRANCH)
        branch.save_ledger(
            {
                "NAME": "Gupta Elec (branch)",
                "PARENT": "Sundry Debtors",
                "LEDGERMOBILE": "9823011122",
                "PINCODE": "411038",
                "EMAIL": "gupta@branch.example.in",
            },
            "Create",
        )
        self.branch = create_backend(
            self.env,
            {
                "name": "Tally at the branch",
                "company_id": self.company_a.id,
                "system": "tally",
                "direction": "pull",
            },
            url=self.tally_url,
            remote_company=BRANCH,
            timeout=5,
        )
        self.branch.action_activate()
        self.backend._enqueue_pulls(["customers"])
        self.run_all()
        self.gupta = self.Partner.search(
            [("company_id", "=", self.company_a.id), ("name", "=", "Gupta Electricals")]
        )
        self.assertEqual(self.gupta.zip, "411001")

    def pull_branch(self):
        self.branch._enqueue_pulls(["customers"])
        self.run_job(self.queued(self.branch))
        self.gupta.invalidate_cache()

    def test_the_connection_that_comes_first_keeps_its_values(self):
        self.backend.sequence, self.branch.sequence = 1, 2
        self.pull_branch()
        self.assertEqual(self.gupta.zip, "411001", "the shop's Tally comes first")
        self.assertEqual(
            self.gupta.email, "gupta@branch.example.in", "what Odoo had empty is filled"
        )
        self.assertTrue(
            self.env["sme.accounting.binding"]._find(
                self.branch, "res.partner", record=self.gupta
            )
        )
        log = self.env["sme.accounting.sync.log"].search(
            [("backend_id", "=", self.branch.id)], limit=1
        )
        self.assertIn("kept Name, Zip as Tally at the shop has it", log.line_ids.reason)
        self.assertIn(
            "Tally at the branch says Name: Gupta Elec (branch), Zip: 411038",
            log.line_ids.reason,
        )
        self.assertFalse(
            self.env["sme.accounting.conflict"].search(
                [("backend_id", "=", self.branch.id)]
            )
        )

    def test_the_later_connection_comes_first_when_set_so_and_the_chatter_says_it(self):
        self.backend.sequence, self.branch.sequence = 2, 1
        self.pull_branch()
        self.assertEqual(self.gupta.zip, "411038")
        note = self.gupta.message_ids.filtered(
            lambda m: "Updated from Tally at the branch" in (m.body or "")
        )
        self.assertEqual(len(note), 1)
        self.assertIn("411001 → 411038", note.body)

    def test_equal_precedence_under_ask_is_a_conflict_to_review(self):
        self.assertEqual(
            (self.backend.sequence, self.branch.conflict_policy),
            (self.branch.sequence, "manual"),
        )
        self.pull_branch()
        self.assertEqual(
            self.gupta.zip, "411001", "nothing taken before a person decides"
        )
        conflict = self.env["sme.accounting.conflict"].search(
            [("backend_id", "=", self.branch.id)]
        )
        self.assertEqual(conflict.rival_backend_id, self.backend)
        self.assertIn("In Odoo (from Tally at the shop)", conflict.differences)
        self.assertIn("<td>411001</td><td>411038</td>", conflict.differences)
        conflict.action_keep_remote()
        self.gupta.invalidate_cache()
        self.assertEqual(self.gupta.zip, "411038")

    def test_equal_precedence_without_ask_takes_the_newer_value(self):
        self.branch.conflict_policy = "accounting_wins"
        self.pull_branch()
        self.assertEqual(self.gupta.zip, "411038")
