# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import os

from odoo import api, models


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    @api.model
    def _get_path(self, bin_data, sha):
        # Odoo 11 checks for the filestore directory, then creates it: two
        # requests storing files at the same moment (many clients creating
        # customers at once) race, and one fails with FileExistsError.
        os.makedirs(
            os.path.dirname(self._full_path(sha[:2] + "/" + sha)), exist_ok=True
        )
        return super(IrAttachment, self)._get_path(bin_data, sha)
