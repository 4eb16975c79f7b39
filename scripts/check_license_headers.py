#!/usr/bin/env python3
# Copyright 2026 SME Hub
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Check (or, with --fix, add) the licence header of Python files.

Every Python file with content starts, after an optional shebang and
coding line, with OCA's header: one or more copyright lines and the licence
line of the licence its addon declares:

    # Copyright 2026 SME Hub
    # License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).

The licence is the "license" of the nearest __manifest__.py above the file
(an addon), else of the nearest setup.py (the connectors' distribution),
else the repository's, LGPL-3. Empty files (an empty __init__.py) need none.

Usage: check_license_headers.py [--fix] [FILE...]; without files, every
Python file git knows or would add (tracked and untracked, not ignored).
Exits 1 when a header is missing or wrong (with --fix: when one could not
be fixed by adding lines, e.g. a licence line that names another licence).
Standard library only: runs on any Python 3.6+.
"""
import argparse
import ast
import datetime
import os
import re
import subprocess
import sys

DEFAULT_LICENSE = "LGPL-3"
DEFAULT_HOLDER = "SME Hub"
# The manifest's licence key -> the header's licence line (OCA's wording).
LICENSE_LINES = {
    "LGPL-3": "# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).",
    "AGPL-3": "# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).",
    "GPL-3": "# License GPL-3.0 or later (https://www.gnu.org/licenses/gpl).",
    "GPL-3 or any later version": (
        "# License GPL-3.0 or later (https://www.gnu.org/licenses/gpl)."
    ),
}
COPYRIGHT_RE = re.compile(r"^# Copyright \d{4}(-\d{4})?(, \d{4})* \S")
LICENSE_RE = re.compile(r"^# License ")
PREAMBLE_RE = re.compile(r"^#!|^# -\*- coding|^# coding[:=]")

_license_cache = {}


def _manifest_license(path):
    """The "license" of a manifest (a dict literal), or None."""
    with open(path, encoding="utf-8") as handle:
        manifest = ast.literal_eval(handle.read())
    return manifest.get("license")


def _setup_license(path):
    """The license= keyword of the setup() call in a setup.py, or None."""
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg == "license":
                    return ast.literal_eval(keyword.value)
    return None


def license_of(path, root):
    """The licence that governs a file: its addon's, its distribution's,
    else the repository's."""
    folder = os.path.dirname(os.path.abspath(path))
    root = os.path.abspath(root)
    seen = []
    found = None
    while True:
        if folder in _license_cache:
            found = _license_cache[folder]
            break
        seen.append(folder)
        manifest = os.path.join(folder, "__manifest__.py")
        setup = os.path.join(folder, "setup.py")
        if os.path.isfile(manifest):
            found = _manifest_license(manifest) or DEFAULT_LICENSE
            break
        if os.path.isfile(setup) and folder != root:
            found = _setup_license(setup) or DEFAULT_LICENSE
            break
        parent = os.path.dirname(folder)
        if folder == root or parent == folder:
            found = DEFAULT_LICENSE
            break
        folder = parent
    for folder in seen:
        _license_cache[folder] = found
    return found


def split_header(lines):
    """(preamble, header comment lines, rest): the shebang/coding lines, the
    comment block right after them, and everything else."""
    index = 0
    while index < len(lines) and index < 2 and PREAMBLE_RE.match(lines[index]):
        index += 1
    start = index
    while index < len(lines) and lines[index].startswith("#"):
        index += 1
    return lines[:start], lines[start:index], lines[index:]


def check_file(path, root, fix=False):
    """A list of problems with the file's header (after fixing what can be
    fixed by adding lines, when fix is set)."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if not text.strip():
        return []
    expected_license = license_of(path, root)
    license_line = LICENSE_LINES.get(expected_license)
    if license_line is None:
        return [
            "licence %r has no header line known to %s"
            % (expected_license, os.path.basename(__file__))
        ]
    lines = text.splitlines(True)
    preamble, header, rest = split_header(lines)
    stripped = [line.rstrip("\r\n") for line in header]
    copyrights = [i for i, line in enumerate(stripped) if COPYRIGHT_RE.match(line)]
    licences = [i for i, line in enumerate(stripped) if LICENSE_RE.match(line)]
    problems = []
    if licences and any(stripped[i] != license_line for i in licences):
        problems.append("licence line is not %r" % license_line)
    missing_copyright = not copyrights
    missing_licence = not licences
    if not (missing_copyright or missing_licence):
        return problems
    if not fix or problems:
        if missing_copyright:
            problems.append("no '# Copyright <year> <holder>' line at the top")
        if missing_licence:
            problems.append("no licence line (%s)" % license_line)
        return problems
    newline = "\r\n" if lines[0].endswith("\r\n") else "\n"
    added = []
    if missing_copyright:
        added.append(
            "# Copyright %d %s%s"
            % (datetime.date.today().year, DEFAULT_HOLDER, newline)
        )
        if missing_licence:
            added.append(license_line + newline)
        header = added + header
    else:
        # A copyright line without the licence line: add it after the last.
        last = copyrights[-1] + 1
        header = header[:last] + [license_line + newline] + header[last:]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("".join(preamble + header + rest))
    return []


def _is_python(path):
    if path.endswith(".py"):
        return True
    if not os.path.isfile(path) or os.path.islink(path):
        return False
    try:
        with open(path, "rb") as handle:
            first = handle.readline(200)
    except OSError:
        return False
    return first.startswith(b"#!") and b"python" in first


def git_python_files(root):
    """Every Python file git tracks or would add under root."""
    output = subprocess.check_output(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root,
    )
    names = sorted(set(name for name in output.decode().split("\0") if name))
    return [
        os.path.join(root, name)
        for name in names
        if os.path.exists(os.path.join(root, name))
        and _is_python(os.path.join(root, name))
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--fix", action="store_true", help="add the missing copyright and licence lines"
    )
    parser.add_argument(
        "--root",
        default=os.getcwd(),
        help="the repository's top folder (default: here)",
    )
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    files = args.files or git_python_files(args.root)
    failed = 0
    for path in files:
        problems = check_file(path, args.root, fix=args.fix)
        for problem in problems:
            print("%s: %s" % (os.path.relpath(path, args.root), problem))
        failed += bool(problems)
    if failed:
        print(
            "%d file(s) with a missing or wrong licence header%s"
            % (failed, "" if args.fix else " (bash scripts/lint-fix.sh adds it)"),
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
