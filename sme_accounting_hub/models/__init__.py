from . import sme_accounting_message
from . import sme_accounting_backend
from . import sme_accounting_backend_jobs
from . import sme_accounting_credential
from . import sme_accounting_binding
from . import sme_accounting_sync_log
from . import sme_accounting_sync_log_line
from . import sme_accounting_conflict
