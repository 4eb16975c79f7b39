# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
# Odoo's test runner runs only the test modules imported here
# (test_suite_complete checks that none is left out). The connectors' own
# tests, which need no Odoo, are in the repository's connectors/tests.
from . import test_credentials
from . import test_hub_bindings
from . import test_hub_busy_marg
from . import test_hub_faults
from . import test_hub_long_pulls
from . import test_hub_created_together
from . import test_hub_precedence
from . import test_hub_quickbooks
from . import test_hub_real_shapes
from . import test_hub_sixth_system
from . import test_hub_tally
from . import test_hub_zoho
from . import test_install
from . import test_migration_settings
from . import test_suite_complete
