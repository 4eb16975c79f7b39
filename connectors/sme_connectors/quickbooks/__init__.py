from .client import HOSTS, QuickBooksClient, oauth_client  # noqa: F401
