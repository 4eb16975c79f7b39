from . import oauth  # noqa: F401
