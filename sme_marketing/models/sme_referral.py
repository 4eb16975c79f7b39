# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.referral_codes import normalize_referral_code, reward_amount

STATUSES = [
    ("pending", "Pending"),
    ("qualified", "Qualified"),
    ("rewarded", "Rewarded"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
]


class SmeReferral(models.Model):
    """A customer who arrived with another customer's referral code.

    pending → qualified (the referred customer's first invoice is paid; the
    referrer's reward is created) → rewarded (the reward is settled), or
    rejected (with the reason) / expired.

    A code that names no referrer of the company (mistyped, or another
    company's) is kept too: a rejected referral without referrer, with the
    code as typed and the reason. Marketing users also record referrals by
    hand (the referrer and the referred customer, of the same company)."""

    _name = "sme.referral"
    _description = "Referral"
    _order = "date desc, id desc"
    _rec_name = "referred_id"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env["res.company"]._company_default_get(
            "sme.referral"
        ),
    )
    # Empty only on a rejected referral whose code named nobody.
    referrer_id = fields.Many2one(
        "res.partner", string="Referrer", index=True, ondelete="restrict"
    )
    referred_id = fields.Many2one(
        "res.partner",
        string="Referred customer",
        required=True,
        index=True,
        ondelete="restrict",
    )
    code = fields.Char(
        help="The referrer's code, or the text typed when it named nobody."
    )
    date = fields.Date(default=fields.Date.context_today, required=True, readonly=True)
    status = fields.Selection(
        STATUSES, default="pending", required=True, readonly=True, index=True
    )
    reason = fields.Char(readonly=True, help="Why the referral was rejected.")
    qualified_date = fields.Date(readonly=True)
    first_invoice_id = fields.Many2one("account.invoice", readonly=True)
    reward_ids = fields.One2many("sme.referral.reward", "referral_id", readonly=True)

    @api.model_cr
    def init(self):
        # A customer is referred once: rejected attempts stay for the record.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS sme_referral_referred_once"
            " ON sme_referral (company_id, referred_id) WHERE status != 'rejected'"
        )

    _sql_constraints = [
        (
            "referrer_unless_rejected",
            "CHECK(status = 'rejected' OR referrer_id IS NOT NULL)",
            "Only a rejected referral can be without a referrer.",
        ),
    ]

    @api.constrains("company_id", "referrer_id", "referred_id", "status")
    def _check_referral(self):
        for referral in self:
            for partner in referral.referrer_id | referral.referred_id:
                if partner.company_id and partner.company_id != referral.company_id:
                    raise ValidationError(
                        _("%s is a customer of %s, not of %s.")
                        % (
                            partner.name,
                            partner.company_id.name,
                            referral.company_id.name,
                        )
                    )
            if referral.status == "rejected":
                continue
            if referral.referrer_id == referral.referred_id:
                raise ValidationError(_("A customer cannot refer themselves."))
            self._sme_check_not_referred(
                referral.company_id, referral.referred_id, referral
            )

    @api.model
    def _sme_check_not_referred(self, company, referred, this=None):
        earlier = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("id", "not in", (this or self.browse()).ids),
                ("referred_id", "=", referred.id),
                ("status", "!=", "rejected"),
            ],
            limit=1,
        )
        if earlier:
            raise ValidationError(
                _("%s was already referred by %s.")
                % (referred.name, earlier.referrer_id.name)
            )

    @api.model
    def create(self, vals):
        """By hand (form, XML-RPC ``create``): the referral carries the
        referrer's code, made when missing."""
        if vals.get("referred_id") and vals.get("status", "pending") != "rejected":
            # Before the insert: the partial unique index would only say
            # "duplicate key".
            company = (
                self.env["res.company"].browse(vals.get("company_id"))
                if vals.get("company_id")
                else self.env["res.company"]._company_default_get("sme.referral")
            )
            self._sme_check_not_referred(
                company, self.env["res.partner"].browse(vals["referred_id"])
            )
        referral = super(SmeReferral, self).create(vals)
        if referral.referrer_id and not referral.code:
            profile = self.env["sme.customer.health"]._sme_profile_for(
                referral.referrer_id, referral.company_id
            )
            profile.action_generate_referral_code()
            referral.sudo().code = profile.referral_code
        return referral

    @api.model
    def _sme_code_problem(self, code, company):
        """Why ``code`` names no referrer of ``company`` (None when it does):
        ``(reason, referrer_profile)``."""
        normalized = normalize_referral_code(code)
        if not normalized:
            return (
                _(
                    "'%s' is not a referral code: a code has 8 letters and digits, "
                    "like K7QX-M2PA."
                )
                % code,
                None,
            )
        Health = self.env["sme.customer.health"].sudo()
        profile = Health.search(
            [("company_id", "=", company.id), ("referral_code", "=", normalized)],
            limit=1,
        )
        if profile:
            return None, profile
        if Health.search_count([("referral_code", "=", normalized)]):
            # Not naming the other company or customer: that is not ours to show.
            return (
                _(
                    "Referral code '%s' belongs to a customer of another company, "
                    "not of %s."
                )
                % (code, company.name),
                None,
            )
        return (
            _("Unknown referral code '%s': no customer of %s has it (mistyped?).")
            % (code, company.name),
            None,
        )

    @api.model
    def _sme_process_code(self, referred, code, is_new):
        """Record that ``referred`` arrived with ``code``. Returns
        ``{'status', 'reason', 'referral_id'}``; every refusal is kept as a
        rejected referral with its reason, even when the code names nobody."""
        company = referred.company_id
        normalized = normalize_referral_code(code)
        problem, referrer_profile = self._sme_code_problem(code, company)
        if problem:
            referral = self.sudo().create(
                {
                    "company_id": company.id,
                    "referred_id": referred.id,
                    "code": code,
                    "status": "rejected",
                    "reason": problem,
                }
            )
            return {"status": "rejected", "reason": problem, "referral_id": referral.id}
        referrer = referrer_profile.partner_id
        earlier = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("referred_id", "=", referred.id),
                ("status", "!=", "rejected"),
            ],
            limit=1,
        )
        reason = None
        if referrer == referred:
            reason = _("A customer cannot refer themselves.")
        elif earlier:
            reason = _("%s was already referred by %s.") % (
                referred.name,
                earlier.referrer_id.name,
            )
        elif not is_new:
            reason = _("%s was already a customer.") % referred.name
        referral = self.sudo().create(
            {
                "company_id": company.id,
                "referrer_id": referrer.id,
                "referred_id": referred.id,
                "code": normalized,
                "status": "rejected" if reason else "pending",
                "reason": reason,
            }
        )
        return {
            "status": referral.status,
            "reason": reason or False,
            "referral_id": referral.id,
        }

    @api.model
    def _sme_on_invoice_paid(self, invoice):
        """Qualify the pending referral of the invoice's customer when this
        is the customer's first invoice, and create the referrer's reward."""
        customer = invoice.commercial_partner_id
        referral = self.sudo().search(
            [
                ("company_id", "=", invoice.company_id.id),
                ("referred_id", "=", customer.id),
                ("status", "=", "pending"),
            ],
            limit=1,
        )
        if not referral:
            return
        first = (
            self.env["account.invoice"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("company_id", "=", invoice.company_id.id),
                    ("type", "=", "out_invoice"),
                    ("state", "in", ("open", "paid")),
                ],
                order="date_invoice, id",
                limit=1,
            )
        )
        if first != invoice:
            return
        company = invoice.company_id
        amount = reward_amount(
            company.sme_referral_reward_type,
            company.sme_referral_reward_amount,
            company.sme_referral_reward_percent,
            company.sme_referral_reward_cap,
            invoice.amount_total,
        )
        referral.write(
            {
                "status": "qualified",
                "first_invoice_id": invoice.id,
                "qualified_date": fields.Date.context_today(self),
            }
        )
        self.env["sme.referral.reward"].sudo().create(
            {"referral_id": referral.id, "amount": amount}
        )

    @api.model
    def _cron_sme_expire_referrals(self, today=None):
        today = fields.Date.from_string(today or fields.Date.context_today(self))
        expired = self.browse()
        for company in self.env["res.company"].search([]):
            limit = today - timedelta(days=company.sme_referral_expiry_days or 0)
            expired |= self.search(
                [
                    ("company_id", "=", company.id),
                    ("status", "=", "pending"),
                    ("date", "<", fields.Date.to_string(limit)),
                ]
            )
        expired.write({"status": "expired"})
        return expired

    @api.multi
    def unlink(self):
        if self.filtered(lambda r: r.status in ("qualified", "rewarded")):
            raise UserError(
                _("Qualified and rewarded referrals are kept for the record.")
            )
        return super(SmeReferral, self).unlink()
