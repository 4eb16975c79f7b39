from . import sme_credit_override_wizard
