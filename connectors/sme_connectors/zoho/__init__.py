from .client import REGIONS, DailyLimitReached, ZohoClient, oauth_client  # noqa: F401
