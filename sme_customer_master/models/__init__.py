# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import res_company
from . import res_config_settings
from . import sme_customer_event
from . import res_partner
from . import res_partner_form
from . import res_partner_upsert_values
from . import res_partner_upsert
from . import res_partner_create_many
from . import res_users
from . import account_invoice
from . import ir_attachment
from . import sme_secret_key_mixin
