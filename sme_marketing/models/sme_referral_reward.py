# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SmeReferralReward(models.Model):
    """The referrer's reward for a qualified referral, settled once as a
    customer credit note."""

    _name = "sme.referral.reward"
    _description = "Referral reward"
    _order = "id desc"
    _rec_name = "referral_id"

    referral_id = fields.Many2one(
        "sme.referral", required=True, readonly=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        related="referral_id.referrer_id", store=True, readonly=True, string="Referrer"
    )
    company_id = fields.Many2one(
        related="referral_id.company_id", store=True, readonly=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    state = fields.Selection(
        [("to_settle", "To settle"), ("settled", "Settled")],
        default="to_settle",
        required=True,
        readonly=True,
    )
    credit_note_id = fields.Many2one("account.invoice", readonly=True, copy=False)

    _sql_constraints = [
        ("referral_uniq", "unique(referral_id)", "A referral is rewarded once."),
    ]

    @api.multi
    def action_settle(self):
        """Book the reward as a validated credit note for the referrer."""
        for reward in self:
            # Lock the row: two clicks or two users never book it twice.
            self.env.cr.execute(
                "SELECT id FROM sme_referral_reward WHERE id = %s FOR UPDATE NOWAIT",
                (reward.id,),
            )
            reward.invalidate_cache()
            if reward.state == "settled":
                raise UserError(
                    _("The reward of %s is already settled (%s).")
                    % (reward.partner_id.name, reward.credit_note_id.display_name)
                )
            company = reward.company_id
            account = company._sme_reward_expense_account()
            journal = reward._sme_credit_note_journal()
            credit_note = (
                self.env["account.invoice"]
                .with_context(company_id=company.id, type="out_refund")
                .create(
                    {
                        "type": "out_refund",
                        "partner_id": reward.partner_id.id,
                        "company_id": company.id,
                        "journal_id": journal.id,
                        "origin": _("Referral of %s")
                        % reward.referral_id.referred_id.name,
                        "invoice_line_ids": [
                            (
                                0,
                                0,
                                {
                                    "name": _("Referral reward: %s")
                                    % reward.referral_id.referred_id.name,
                                    "quantity": 1,
                                    "price_unit": reward.amount,
                                    "account_id": account.id,
                                },
                            )
                        ],
                    }
                )
            )
            credit_note.action_invoice_open()
            reward.sudo().write({"state": "settled", "credit_note_id": credit_note.id})
            reward.referral_id.sudo().status = "rewarded"
        return True

    @api.multi
    def _sme_credit_note_journal(self):
        """The company's sales journal, with its dedicated credit note
        sequence: a credit note is numbered in the credit note series
        (GST wants credit notes in their own consecutive series), never
        like an invoice. Odoo 11's charts make sales journals without one;
        Odoo's own "Dedicated Credit Note Sequence" option is switched on
        then, which creates the sequence (prefix R + journal code)."""
        self.ensure_one()
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [("company_id", "=", self.company_id.id), ("type", "=", "sale")],
                limit=1,
            )
        )
        if not journal:
            raise UserError(
                _("%s has no sales journal to book the credit note in.")
                % self.company_id.name
            )
        if not (journal.refund_sequence and journal.refund_sequence_id):
            journal.write({"refund_sequence": True})
        return journal
