# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every sync unit has: the connection it works for and its environment."""


class SyncUnit(object):
    """One entity of one connection, both directions (``pull(run)``,
    ``push(record, run)`` where the system allows)."""

    entity = None
    model = None

    def __init__(self, backend):
        self.backend = backend
        self.env = backend.env
