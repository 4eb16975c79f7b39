# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from ..tools import InvalidPhone, normalize_phone


class ResPartner(models.Model):
    """What the customer form tells as the user types: a phone another
    customer already has, and why a name became the placeholder."""

    _inherit = "res.partner"

    sme_name_is_placeholder = fields.Boolean(
        compute="_compute_sme_name_is_placeholder",
        help="The name is the company's placeholder for names shorter than two characters.",
    )

    @api.depends("name", "company_id", "customer", "parent_id")
    def _compute_sme_name_is_placeholder(self):
        for partner in self:
            company = partner.company_id or self.env.user.company_id
            partner.sme_name_is_placeholder = bool(
                partner.customer
                and not partner.parent_id
                and partner.name
                and partner.name == company.sme_customer_placeholder_name
            )

    @api.onchange("phone", "mobile")
    def _onchange_sme_phone_taken(self):
        """Warn while typing, not only on Save, that another customer of the
        company has this number (as phone or as mobile)."""
        if not (self.customer and not self.parent_id):
            return
        company = self.company_id or self.env.user.company_id
        # Only look where the user works: the answer names a customer.
        if company not in self.env.user.company_ids:
            return
        for label, number in ((_("phone"), self.phone), (_("mobile"), self.mobile)):
            other = self._sme_customer_with_number(number, company)
            if other:
                return {
                    "warning": {
                        "title": _("Phone already taken"),
                        "message": _(
                            "The %s %s already belongs to customer '%s'%s. One phone "
                            "number is one customer: open that customer instead."
                        )
                        % (
                            label,
                            number,
                            other.name,
                            "" if other.active else _(" (archived)"),
                        ),
                    }
                }

    @api.multi
    def _sme_customer_with_number(self, number, company):
        """Another customer of ``company`` whose phone is ``number`` (any
        spelling), archived ones included."""
        if not number or not number.strip():
            return self.browse()
        try:
            normalized = normalize_phone(number, company._sme_phone_region())
        except InvalidPhone:
            return self.browse()
        # In the form, ``self`` is a new record; ``_origin`` the one edited.
        own_id = getattr(self, "_origin", self.browse()).id or 0
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("sme_phone_normalized", "=", normalized),
                    ("company_id", "=", company.id),
                    ("customer", "=", True),
                    ("id", "!=", own_id),
                ],
                limit=1,
            )
        )
