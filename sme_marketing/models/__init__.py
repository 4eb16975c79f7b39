# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import res_company
from . import res_config_settings
from . import sme_customer_health
from . import sme_customer_health_history
from . import sme_referral
from . import sme_referral_reward
from . import sme_onboarding_template
from . import sme_onboarding_template_step
from . import sme_onboarding
from . import sme_onboarding_step
from . import res_partner
from . import sme_marketing_campaign
from . import sme_marketing_audience
from . import sme_marketing_recipient
from . import sme_marketing_sms_gateway
from . import sme_marketing_performance
from . import sme_marketing_campaign_performance
from . import link_tracker_click
from . import sme_customer_group
from . import crm_stage
from . import crm_lead
from . import crm_lead_lost
from . import crm_partner_binding
from . import sme_customer_event
from . import account_invoice
from . import account_invoice_line
