from . import sme_accounting_settings_madeup
