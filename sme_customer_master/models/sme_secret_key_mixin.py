# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import config

from ..tools import secrets

_logger = logging.getLogger(__name__)


class SmeSecretKeyMixin(models.AbstractModel):
    """Models that store secrets encrypted with the SME Hub key
    (``tools/secrets.py``): the key made at install, and found or refused in
    words when a secret is stored or read."""

    _name = "sme.secret.key.mixin"
    _description = "Secrets encrypted with the SME Hub key"

    @api.model_cr
    def init(self):
        # At install and update: with no key configured, make the data
        # directory's key now (and log where it is), not on the first secret
        # stored. An install never fails for it: storing a secret would then
        # tell the user what is wrong.
        try:
            secrets.load_key(config)
        except secrets.SecretKeyError as error:
            _logger.warning("%s", error)

    @api.model
    def _sme_secret_key(self):
        try:
            return secrets.load_key(config)
        except secrets.SecretKeyError as error:
            raise UserError(str(error)) from None
