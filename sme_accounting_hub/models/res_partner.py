from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

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
