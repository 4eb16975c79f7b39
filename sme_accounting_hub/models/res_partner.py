# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sme_accounting_binding_ids = fields.One2many(
        "sme.accounting.partner.binding",
        "odoo_id",
        string="In accounting systems",
        readonly=True,
        groups="sme_accounting_hub.group_sme_accounting_hub_user",
        help="The records this customer is linked to in the company's accounting systems.",
    )
    sme_accounting_where = fields.Char(
        "Where it lives",
        compute="_compute_sme_accounting_where",
        groups="sme_accounting_hub.group_sme_accounting_hub_user",
        help="The customer's name (else id) in each accounting system it is linked to.",
    )

    @api.multi
    @api.depends(
        "sme_accounting_binding_ids.external_name",
        "sme_accounting_binding_ids.external_id",
    )
    def _compute_sme_accounting_where(self):
        for partner in self:
            bindings = partner.sudo().sme_accounting_binding_ids
            systems = bindings.mapped("system")
            places = []
            for binding in bindings:
                place = binding.backend_id._client_class().label
                if (
                    systems.count(binding.system) > 1
                ):  # two connections to one system: say which
                    place = "%s (%s)" % (place, binding.backend_id.name)
                places.append(
                    _("in %s as %s")
                    % (place, binding.external_name or binding.external_id)
                )
            partner.sme_accounting_where = ", ".join(places) if places else False

    @api.multi
    def _sme_has_history(self):
        """A customer linked to an accounting system is archived, not
        deleted (its binding refuses the deletion: ondelete restrict)."""
        return super(ResPartner, self)._sme_has_history() or bool(
            self.env["sme.accounting.partner.binding"]
            .sudo()
            .search_count([("odoo_id", "=", self.id)])
        )

    @api.multi
    def unlink(self):
        # Customers the customer master archives (above) never get here; any
        # other bound partner is refused in words before the foreign key does.
        self.env["sme.accounting.binding"]._check_unbound(
            self.filtered(lambda partner: not partner._sme_is_master_customer()),
            _("archive it instead of deleting it."),
        )
        return super(ResPartner, self).unlink()

    @api.model
    def _get_default_image(self, partner_type, is_company, parent_id):
        # Customers pulled from an accounting system get no generated avatar:
        # Odoo draws one per partner (three resized images stored as
        # attachments, about a sixth of the cost of creating a customer), and
        # a first import of a large ledger book would write hundreds of
        # thousands of files for pictures nobody chose. The form shows Odoo's
        # placeholder instead.
        if self.env.context.get("sme_hub_importing"):
            return False
        return super(ResPartner, self)._get_default_image(
            partner_type, is_company, parent_id
        )
