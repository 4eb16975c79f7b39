# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Redeeming loyalty points as a validated customer credit note: never more
than the balance, never below the minimum, oldest points first; two
redemptions of the same balance at once in two real transactions: one is
refused (the committed rows are put back)."""
import threading
from unittest import mock

import psycopg2

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError
from odoo.tests import common

from .test_loyalty_points import LoyaltyCase


class TestLoyaltyRedemption(LoyaltyCase):
    def test_redeem_as_validated_credit_note(self):
        self.paid_invoice(20000, date="2026-01-20")
        self.paid_invoice(10000, date="2026-02-20")
        self.company_a.sme_loyalty_point_value = 0.5
        result = self.Move.sudo(self.marketer_a).sme_redeem_points(self.asha.id, 250)
        note = self.env["account.invoice"].browse(result["credit_note_id"])
        self.assertEqual(
            (note.type, note.state, note.partner_id, note.amount_total),
            ("out_refund", "open", self.asha, 125.0),
        )
        self.assertEqual(
            (result["points"], result["amount"], result["balance"]), (250, 125.0, 50)
        )
        redeemed = self.moves(kind="redeemed")
        self.assertEqual((redeemed.points, redeemed.credit_note_id), (-250, note))
        # Oldest first: the first invoice's 200, then 50 of the second's 100.
        self.assertEqual(self.moves(kind="earned").mapped("remaining"), [0, 50])
        self.assertEqual(self.balance(), 50)

    def test_refusals(self):
        self.paid_invoice(15000)
        Move = self.Move.sudo(self.marketer_a)
        with self.assertRaisesRegex(UserError, "has 150 points: 200 points cannot"):
            Move.sme_redeem_points(self.asha.id, 200)
        self.company_a.sme_loyalty_min_redeem = 500
        with self.assertRaisesRegex(UserError, "at least 500 points"):
            Move.sme_redeem_points(self.asha.id, 100)
        with self.assertRaisesRegex(UserError, "points must be"):
            Move.sme_redeem_points(self.asha.id, 1.5)
        with self.assertRaisesRegex(UserError, "Unknown customer"):
            Move.sme_redeem_points(2147483000, 100)
        self.assertEqual(self.balance(), 150)
        self.assertFalse(self.moves(kind="redeemed"))


class TestLoyaltyRedemptionRace(common.SavepointCase):
    """Two transactions redeem 200 of the same 300 points at the same time."""

    def _run(self, work):
        with self.registry.cursor() as cr:
            result = work(api.Environment(cr, SUPERUSER_ID, {}))
            cr.commit()
            return result

    def test_two_concurrent_redemptions_one_refused(self):
        company_id = self.env.ref("base.main_company").id

        def prepare(env):
            partner = env["res.partner"].create(
                {"name": "Loyalty Race Customer", "customer": True}
            )
            env["sme.loyalty.move"]._sme_earn(
                partner, env["res.company"].browse(company_id), 300, {}
            )
            env["res.company"].browse(company_id).write(
                {"sme_loyalty_min_redeem": 100, "sme_loyalty_enabled": True}
            )
            return partner.id

        partner_id = self._run(prepare)
        results = {}
        started = threading.Barrier(2)

        def redeem(name):
            # As Odoo's RPC layer does: a serialization failure is retried
            # in a new transaction.
            with api.Environment.manage():
                redeem_in_transactions(name)

        def redeem_in_transactions(name):
            for attempt in range(3):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    try:
                        env["res.partner"].browse(partner_id).name  # the snapshot
                        if not attempt:
                            started.wait(timeout=10)
                        result = env["sme.loyalty.move"].sme_redeem_points(
                            partner_id, 200, company_id
                        )
                        cr.commit()
                        results[name] = result
                        return
                    except psycopg2.extensions.TransactionRollbackError:
                        cr.rollback()
                        results.setdefault("retries", []).append(name)
                    except UserError as error:
                        cr.rollback()
                        results[name] = error
                        return
                    except Exception as error:  # the test reports it
                        cr.rollback()
                        results[name] = error
                        return

        # No accounting in this database's main company: the ledger is what
        # races; the credit note is tested above.
        with mock.patch.object(
            type(self.env["sme.loyalty.move"]),
            "_sme_redemption_credit_note",
            lambda self, *args: self.env["account.invoice"],
        ):
            threads = [
                threading.Thread(target=redeem, args=(name,))
                for name in ("first", "second")
            ]
            try:
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(60)
                with self.registry.cursor() as cr:
                    cr.execute(
                        "SELECT kind, points, remaining FROM sme_loyalty_move"
                        " WHERE partner_id = %s ORDER BY id",
                        (partner_id,),
                    )
                    rows = cr.fetchall()
            finally:

                def restore(env):
                    env.cr.execute(
                        "DELETE FROM sme_loyalty_move WHERE partner_id = %s",
                        (partner_id,),
                    )
                    try:
                        with env.cr.savepoint():
                            env.cr.execute(
                                "DELETE FROM res_partner WHERE id = %s", (partner_id,)
                            )
                    except psycopg2.Error:  # kept by other records: archived
                        env.cr.execute(
                            "UPDATE res_partner SET active = false WHERE id = %s",
                            (partner_id,),
                        )

                self._run(restore)
        outcomes = [results.get("first"), results.get("second")]
        done = [o for o in outcomes if isinstance(o, dict)]
        refused = [o for o in outcomes if isinstance(o, UserError)]
        self.assertEqual((len(done), len(refused)), (1, 1), results)
        self.assertEqual(done[0]["balance"], 100)
        self.assertIn("has 100 points: 200 points cannot be redeemed", refused[0].name)
        self.assertEqual(rows, [("earned", 300, 100), ("redeemed", -200, 0)])
