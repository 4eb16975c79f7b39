from . import customer_event_listener
from . import invoice_event_listener
