# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Odoo's own test runner runs only the test modules that tests/__init__.py
imports; pytest finds every file. A module left out of __init__.py would
pass under pytest and never run under Odoo."""
import os
import unittest

from odoo.addons.sme_accounting_hub import tests

HERE = os.path.dirname(os.path.abspath(__file__))


class TestEveryModuleIsImported(unittest.TestCase):
    def test_init_imports_every_test_module(self):
        on_disk = {
            name[:-3]
            for name in os.listdir(HERE)
            if name.startswith("test_") and name.endswith(".py")
        }
        imported = {name for name in vars(tests) if name.startswith("test_")}
        self.assertEqual(
            on_disk - imported, set(), "test modules missing from tests/__init__.py"
        )
