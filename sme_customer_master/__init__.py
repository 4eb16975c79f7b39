from . import models
from . import wizard
from . import rpc_errors
