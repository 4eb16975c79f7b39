from odoo import _, api, fields, models
from odoo.exceptions import UserError


class SmeReferralReward(models.Model):
    """The referrer's reward for a qualified referral, settled once as a
    customer credit note."""

    _name = "sme.referral.reward"
    _description = "Referral reward"
    _order = "id desc"
    _rec_name = "referral_id"

    referral_id = fields.Many2one("sme.referral", required=True, readonly=True, ondelete="restrict")
    partner_id = fields.Many2one(related="referral_id.referrer_id", store=True, readonly=True,
                                 string="Referrer")
    company_id = fields.Many2one(related="referral_id.company_id", store=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id", readonly=True)
    amount = fields.Monetary(required=True, readonly=True)
    state = fields.Selection([("to_settle", "To settle"), ("settled", "Settled")],
                             default="to_settle", required=True, readonly=True)
    credit_note_id = fields.Many2one("account.invoice", readonly=True, copy=False)

    _sql_constraints = [
        ("referral_uniq", "unique(referral_id)", "A referral is rewarded once."),
    ]

    @api.multi
    def action_settle(self):
        """Book the reward as a validated credit note for the referrer."""
        for reward in self:
            # Lock the row: two clicks or two users never book it twice.
            self.env.cr.execute("SELECT id FROM sme_referral_reward WHERE id = %s FOR UPDATE NOWAIT",
                                (reward.id,))
            reward.invalidate_cache()
            if reward.state == "settled":
                raise UserError(_("The reward of %s is already settled (%s).")
                                % (reward.partner_id.name, reward.credit_note_id.display_name))
            account = reward.company_id.sme_referral_reward_account_id
            if not account:
                raise UserError(_("Choose the reward expense account in Settings › SME Hub first."))
            credit_note = self.env["account.invoice"].with_context(
                company_id=reward.company_id.id, type="out_refund").create({
                "type": "out_refund",
                "partner_id": reward.partner_id.id,
                "company_id": reward.company_id.id,
                "origin": _("Referral of %s") % reward.referral_id.referred_id.name,
                "invoice_line_ids": [(0, 0, {
                    "name": _("Referral reward: %s") % reward.referral_id.referred_id.name,
                    "quantity": 1, "price_unit": reward.amount, "account_id": account.id,
                })],
            })
            credit_note.action_invoice_open()
            reward.sudo().write({"state": "settled", "credit_note_id": credit_note.id})
            reward.referral_id.sudo().status = "rewarded"
        return True
