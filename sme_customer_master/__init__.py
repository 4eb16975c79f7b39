from . import models
from . import rpc_errors
