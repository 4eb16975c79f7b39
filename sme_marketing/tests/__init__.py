from . import test_install
from . import test_formulas
from . import test_health
from . import test_referrals
from . import test_onboarding
from . import test_rpc_arguments
from . import test_referral_rejections
from . import test_onboarding_race
