# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import components
from . import models
from . import controllers
from .hooks import post_init_hook
