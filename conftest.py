# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Root pytest configuration shared by the addon tests and tests/.

pytest-odoo 1.0.1 looks for an addon manifest above every collected path and,
when there is none (tests/, bench/), returns the path '/__manifest__.py'
instead of nothing, which makes collection fail. Treat a missing manifest as
'not an addon' so addon tests and end-to-end tests run in one session.
"""
import pytest_odoo

_find_manifest_path = pytest_odoo._find_manifest_path


def _find_existing_manifest_path(collection_path):
    manifest = _find_manifest_path(collection_path)
    return manifest if manifest.is_file() else None


pytest_odoo._find_manifest_path = _find_existing_manifest_path
