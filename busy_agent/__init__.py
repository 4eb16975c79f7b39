# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The SME Hub agent for Busy: runs on the Windows PC that runs Busy, wraps
Busy's COM DLL and gives the hub a narrow, token-protected HTTP API.

Plain Python 3 and its standard library; only ``com_windows.py`` needs
Windows and pywin32. See README.md for installing it on the PC.
"""
__version__ = "1.0.0"
