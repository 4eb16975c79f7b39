# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import customer_event_listener
from . import invoice_event_listener
