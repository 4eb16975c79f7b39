from .client import BusyClient  # noqa: F401
