from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    sme_accounting_binding_ids = fields.One2many(
        "sme.accounting.binding", compute="_compute_sme_accounting_bindings", string="In accounting systems",
        help="The records this customer is linked to in the company's accounting systems.")

    @api.multi
    def _compute_sme_accounting_bindings(self):
        # Bindings name their record by model and id (no foreign key yet):
        # one search for all partners shown.
        bindings = self.env["sme.accounting.binding"].search(
            [("model", "=", "res.partner"), ("res_id", "in", [p.id for p in self if isinstance(p.id, int)])])
        for partner in self:
            partner.sme_accounting_binding_ids = bindings.filtered(lambda b: b.res_id == partner.id)

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
        return super(ResPartner, self)._get_default_image(partner_type, is_company, parent_id)
