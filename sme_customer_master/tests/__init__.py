# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_install
from . import test_tools
from . import test_phone_identity
from . import test_upsert
from . import test_upsert_arguments
from . import test_company_move
from . import test_gst_fields
from . import test_required_fields
from . import test_invoice
from . import test_events
from . import test_concurrency
from . import test_credit_override
from . import test_customer_form
from . import test_demo_owners
from . import test_create_many
