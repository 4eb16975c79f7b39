from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools.referral_codes import normalize_referral_code, reward_amount

STATUSES = [("pending", "Pending"), ("qualified", "Qualified"), ("rewarded", "Rewarded"),
            ("rejected", "Rejected"), ("expired", "Expired")]


class SmeReferral(models.Model):
    """A customer who arrived with another customer's referral code.

    pending → qualified (the referred customer's first invoice is paid; the
    referrer's reward is created) → rewarded (the reward is settled), or
    rejected (with the reason) / expired."""

    _name = "sme.referral"
    _description = "Referral"
    _order = "date desc, id desc"
    _rec_name = "referred_id"

    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    referrer_id = fields.Many2one("res.partner", string="Referrer", required=True,
                                  readonly=True, index=True, ondelete="restrict")
    referred_id = fields.Many2one("res.partner", string="Referred customer", required=True,
                                  readonly=True, index=True, ondelete="restrict")
    code = fields.Char(readonly=True)
    date = fields.Date(default=fields.Date.context_today, required=True, readonly=True)
    status = fields.Selection(STATUSES, default="pending", required=True, readonly=True, index=True)
    reason = fields.Char(readonly=True, help="Why the referral was rejected.")
    qualified_date = fields.Date(readonly=True)
    first_invoice_id = fields.Many2one("account.invoice", readonly=True)
    reward_ids = fields.One2many("sme.referral.reward", "referral_id", readonly=True)

    @api.model_cr
    def init(self):
        # A customer is referred once: rejected attempts stay for the record.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_referral_referred_once"
            " ON sme_referral (company_id, referred_id) WHERE status != 'rejected'")

    @api.model
    def _sme_process_code(self, referred, code, is_new):
        """Record that ``referred`` arrived with ``code``. Returns
        ``{'status', 'reason', 'referral_id'}``; refusals are kept as
        rejected referrals when the code names a referrer."""
        company = referred.company_id
        normalized = normalize_referral_code(code)
        referrer_profile = normalized and self.env["sme.customer.health"].sudo().search(
            [("company_id", "=", company.id), ("referral_code", "=", normalized)], limit=1)
        if not referrer_profile:
            return {"status": "rejected", "reason": _("Unknown referral code '%s'.") % code,
                    "referral_id": False}
        referrer = referrer_profile.partner_id
        earlier = self.sudo().search([("company_id", "=", company.id),
                                      ("referred_id", "=", referred.id),
                                      ("status", "!=", "rejected")], limit=1)
        reason = None
        if referrer == referred:
            reason = _("A customer cannot refer themselves.")
        elif earlier:
            reason = _("%s was already referred by %s.") % (referred.name, earlier.referrer_id.name)
        elif not is_new:
            reason = _("%s was already a customer.") % referred.name
        referral = self.sudo().create({
            "company_id": company.id, "referrer_id": referrer.id, "referred_id": referred.id,
            "code": normalized, "status": "rejected" if reason else "pending", "reason": reason,
        })
        return {"status": referral.status, "reason": reason or False, "referral_id": referral.id}

    @api.model
    def _sme_on_invoice_paid(self, invoice):
        """Qualify the pending referral of the invoice's customer when this
        is the customer's first invoice, and create the referrer's reward."""
        customer = invoice.commercial_partner_id
        referral = self.sudo().search([("company_id", "=", invoice.company_id.id),
                                       ("referred_id", "=", customer.id),
                                       ("status", "=", "pending")], limit=1)
        if not referral:
            return
        first = self.env["account.invoice"].sudo().search([
            ("commercial_partner_id", "=", customer.id), ("company_id", "=", invoice.company_id.id),
            ("type", "=", "out_invoice"), ("state", "in", ("open", "paid")),
        ], order="date_invoice, id", limit=1)
        if first != invoice:
            return
        company = invoice.company_id
        amount = reward_amount(company.sme_referral_reward_type, company.sme_referral_reward_amount,
                               company.sme_referral_reward_percent, company.sme_referral_reward_cap,
                               invoice.amount_total)
        referral.write({"status": "qualified", "first_invoice_id": invoice.id,
                        "qualified_date": fields.Date.context_today(self)})
        self.env["sme.referral.reward"].sudo().create({
            "referral_id": referral.id, "amount": amount})

    @api.model
    def _cron_sme_expire_referrals(self, today=None):
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        expired = self.browse()
        for company in self.env["res.company"].search([]):
            limit = today - timedelta(days=company.sme_referral_expiry_days or 0)
            expired |= self.search([("company_id", "=", company.id), ("status", "=", "pending"),
                                    ("date", "<", fields.Date.to_string(limit))])
        expired.write({"status": "expired"})
        return expired

    @api.multi
    def unlink(self):
        if self.filtered(lambda r: r.status in ("qualified", "rewarded")):
            raise UserError(_("Qualified and rewarded referrals are kept for the record."))
        return super(SmeReferral, self).unlink()
