from . import test_install
from . import test_tools
from . import test_phone_identity
from . import test_upsert
from . import test_required_fields
from . import test_invoice
from . import test_events
from . import test_concurrency
