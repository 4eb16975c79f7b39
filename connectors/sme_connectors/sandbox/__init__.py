# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Local servers that behave like the accounting systems, for tests and the demo."""
