from . import test_install
from . import test_tally_responses
from . import test_tally_connector
from . import test_credentials
from . import test_hub_tally
