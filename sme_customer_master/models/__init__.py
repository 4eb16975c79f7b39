from . import res_company
from . import res_config_settings
from . import sme_customer_event
from . import res_partner
from . import res_partner_upsert_values
from . import res_partner_upsert
from . import res_users
from . import account_invoice
