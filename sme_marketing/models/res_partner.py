# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.sme_customer_master.tools import arguments as check

# Longer than any code, spelled with dashes and spaces ("K7QX - M2PA").
MAX_CODE_LENGTH = 32


class ResPartner(models.Model):
    """Marketing data hangs off the customer by id; nothing of the customer
    is copied here."""

    _inherit = "res.partner"

    sme_health_ids = fields.One2many(
        "sme.customer.health", "partner_id", string="Health"
    )
    sme_referral_ids = fields.One2many(
        "sme.referral", "referrer_id", string="Referrals made"
    )
    sme_referred_by_ids = fields.One2many(
        "sme.referral", "referred_id", string="Referred by"
    )
    sme_onboarding_ids = fields.One2many(
        "sme.onboarding", "partner_id", string="Onboarding"
    )
    sme_referred_by_code = fields.Char(
        string="Referred with code",
        compute="_compute_sme_referred_by_code",
        inverse="_inverse_sme_referred_by_code",
        help="Referral code the customer arrived with. Only counts for a new customer.",
    )
    sme_referral_rejection = fields.Char(
        string="Referral refused",
        compute="_compute_sme_referred_by_code",
        help="Why the referral code entered for this customer was refused.",
    )

    sme_customer_group_id = fields.Many2one(
        "sme.customer.group",
        string="Customer group",
        index=True,
        ondelete="restrict",
        track_visibility="onchange",
        help="The group's discount applies to the customer's new invoices; "
        "campaign audiences can choose customers by group.",
    )

    # Loyalty points (sme.loyalty.move): the ledger of the user's company.
    sme_loyalty_move_ids = fields.One2many(
        "sme.loyalty.move", "partner_id", string="Loyalty points moves"
    )
    sme_loyalty_balance = fields.Integer(
        "Loyalty points",
        compute="_compute_sme_loyalty_balance",
        help="Balance of the customer's loyalty points in the current company.",
    )

    @api.multi
    def _compute_sme_loyalty_balance(self):
        company = self.env.user.company_id
        balances = self.env["sme.loyalty.move"]._sme_balances(
            self.filtered("id").ids, company.id
        )
        for partner in self:
            partner.sme_loyalty_balance = balances.get(partner.id, 0)

    @api.model
    def _commercial_fields(self):
        # A company's contacts share its group, as they share its VAT number.
        return super(ResPartner, self)._commercial_fields() + ["sme_customer_group_id"]

    @api.constrains("sme_customer_group_id", "company_id", "parent_id")
    def _check_sme_customer_group_company(self):
        # Contacts follow their company's group (a commercial field).
        for partner in self.filtered(lambda p: not p.parent_id):
            group = partner.sme_customer_group_id
            if (
                group.company_id
                and partner.company_id
                and group.company_id != partner.company_id
            ):
                raise ValidationError(
                    _("The customer group %s belongs to %s, not to %s (customer %s).")
                    % (
                        group.name,
                        group.company_id.name,
                        partner.company_id.name,
                        partner.name,
                    )
                )

    @api.model
    def sme_upsert_customer(self, values, company_id=None, referral_code=None):
        """The customer master's upsert, plus an optional ``referral_code``
        (argument, or key of ``values``; a text of at most 32 characters):
        when given, the answer also holds ``'referral': {'status', 'reason',
        'referral_id'}``."""
        # Checked in Python only: the master's upsert must be the first to
        # use the cursor to be able to retry in a fresh transaction.
        referral_code = check.text("referral_code", referral_code, MAX_CODE_LENGTH)
        if isinstance(values, dict) and "referral_code" in values:
            values = dict(values)
            referral_code = (
                check.text(
                    "referral_code", values.pop("referral_code"), MAX_CODE_LENGTH
                )
                or referral_code
            )
        result = super(ResPartner, self).sme_upsert_customer(values, company_id)
        if referral_code:
            partner = self.browse(result["id"])
            result["referral"] = self.env["sme.referral"]._sme_process_code(
                partner, referral_code, result["is_new"]
            )
        return result

    @api.multi
    def _compute_sme_referred_by_code(self):
        for partner in self:
            referrals = partner.sudo().sme_referred_by_ids
            accepted = referrals.filtered(lambda r: r.status != "rejected")[:1]
            # Without an accepted referral, the refused code stays on show
            # with its reason: what was typed is not lost from sight.
            shown = accepted or referrals[:1]
            partner.sme_referred_by_code = shown.code or False
            partner.sme_referral_rejection = (
                False if accepted else (shown.reason or False)
            )

    @api.multi
    def _inverse_sme_referred_by_code(self):
        for partner in self.filtered("sme_referred_by_code"):
            # Entered on the form of a customer being created: a new customer.
            is_new = bool(self.env.context.get("sme_creating"))
            result = self.env["sme.referral"]._sme_process_code(
                partner, partner.sme_referred_by_code, is_new
            )
            if result["status"] == "rejected":
                partner.message_post(
                    body=_("Referral code refused: %s") % result["reason"]
                )

    @api.onchange("sme_referred_by_code", "company_id")
    def _onchange_sme_referred_by_code(self):
        """Say at once on the form when the code names no referrer of the
        customer's company; it is still kept, as a rejected referral."""
        code = self.sme_referred_by_code
        if not code:
            return {}
        company = self.company_id or self.env.user.company_id
        problem, _profile = self.env["sme.referral"]._sme_code_problem(code, company)
        if not problem:
            return {}
        return {
            "warning": {
                "title": _("Referral code refused"),
                "message": _(
                    "%s\nIf you save, the referral is kept as rejected with this reason."
                )
                % problem,
            }
        }

    @api.multi
    def _sme_has_history(self):
        partner = self.sudo()  # whoever deletes, all marketing history counts
        return super(ResPartner, self)._sme_has_history() or bool(
            partner.sme_referral_ids
            or partner.sme_referred_by_ids
            or partner.sme_health_ids.mapped("history_ids")
            or partner.sme_onboarding_ids.mapped("step_ids").filtered("done")
        )
