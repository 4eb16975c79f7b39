from .client import MargClient  # noqa: F401
from .codec import MargDecodeError, decode_payload  # noqa: F401
