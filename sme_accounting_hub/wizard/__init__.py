from . import sme_accounting_oauth_code  # noqa: F401
