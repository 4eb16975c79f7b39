# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The connectors and their sandboxes are plain Python: importing every
module of the distribution must not import Odoo (the hub imports them, never
the other way round)."""
import subprocess
import sys
import unittest

CHECK = """
import importlib, pkgutil, sys
import sme_connectors
names = [
    info.name
    for info in pkgutil.walk_packages(sme_connectors.__path__, "sme_connectors.")
]
for name in names + ["busy_agent"]:
    importlib.import_module(name)
print(len(names))
sys.exit(3 if any(m == "odoo" or m.startswith("odoo.") for m in sys.modules) else 0)
"""


class TestNoOdoo(unittest.TestCase):
    def test_every_module_imports_without_odoo(self):
        # A fresh interpreter: this test session may have loaded other plugins.
        done = subprocess.run(
            [sys.executable, "-W", "ignore", "-c", CHECK],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
        )
        self.assertNotEqual(
            done.returncode, 3, "a module of sme_connectors imports odoo"
        )
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertGreater(
            int(done.stdout), 20, "every subpackage and the sandboxes were imported"
        )

    def test_the_sandbox_seed_files_are_installed(self):
        from sme_connectors.sandbox import testing

        for seed in (
            testing.DEMO_TALLY_SEED,
            testing.DEMO_MARG_SEED,
            testing.DEMO_BUSY_SEED,
            testing.DEMO_ZOHO_SEED,
            testing.DEMO_QUICKBOOKS_SEED,
        ):
            with open(seed) as handle:
                self.assertTrue(handle.read(1), seed)


if __name__ == "__main__":
    unittest.main()
