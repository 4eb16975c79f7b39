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
