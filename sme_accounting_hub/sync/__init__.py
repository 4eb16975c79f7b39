# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sync machinery shared by every entity: the run (log and counts) and the
batch import loop."""
