# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_install
from . import test_formulas
from . import test_health
from . import test_referrals
from . import test_onboarding
from . import test_rpc_arguments
from . import test_referral_rejections
from . import test_onboarding_race
from . import test_customers_created_together
from . import test_campaigns
from . import test_audiences
from . import test_email_campaign
from . import test_journeys
from . import test_sms_gateway
from . import test_performance
from . import test_budget_caps
from . import test_attribution
from . import test_banners
from . import test_sms_campaign
from . import test_leads
from . import test_customer_groups
