# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import sme_accounting_message
from . import sme_accounting_backend
from . import sme_accounting_backend_connectors
from . import sme_accounting_settings
from . import sme_accounting_settings_ledgers
from . import sme_accounting_settings_oauth
from . import sme_accounting_settings_tally
from . import sme_accounting_settings_zoho
from . import sme_accounting_settings_quickbooks
from . import sme_accounting_settings_busy
from . import sme_accounting_settings_marg
from . import sme_accounting_cursor
from . import sme_accounting_backend_jobs
from . import sme_accounting_credential
from . import sme_accounting_binding_mixin
from . import sme_accounting_partner_binding
from . import sme_accounting_invoice_binding
from . import sme_accounting_payment_binding
from . import sme_accounting_move_binding
from . import sme_accounting_account_binding
from . import sme_accounting_binding  # the view over the typed tables: after them
from . import account_invoice
from . import account_payment
from . import account_move
from . import sme_accounting_sync_log
from . import sme_accounting_sync_log_line
from . import sme_accounting_conflict
from . import sme_accounting_trial_balance
from . import sme_accounting_trial_balance_line
from . import sme_accounting_backend_dry_run
from . import res_partner
from . import queue_job
