#!/usr/bin/env bash
# Applies the lint's mechanical fixes in place, on every file git tracks or
# would add (the files scripts/lint.sh checks, less the same exclusions):
#   1. text files: trailing whitespace removed, exactly one newline at the
#      end, LF line endings (pre-commit-hooks' fixers);
#   2. Python files: the missing licence header added (the licence of the
#      file's addon: scripts/check_license_headers.py --fix);
#   3. isort (not __init__.py: Odoo loads an addon's modules in the order
#      its __init__.py imports them), then black for Python 3.7.
# What they cannot fix (long strings and comments, pylint's findings, ...)
# scripts/lint.sh still reports afterwards. Review the diff before committing.
#
# Usage: bash scripts/lint-fix.sh [FOLDER]   (default: this repository)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
LINT_VENV="$ROOT/.venv-lint"
TARGET="$(cd "${1:-$ROOT}" && pwd)"

bash "$ROOT/scripts/lint-venv.sh"
cd "$TARGET"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 \
    || die "$TARGET is not a git checkout (the files to fix are listed with git)"
export PATH="$LINT_VENV/bin:$PATH"

# The files by kind, as pre-commit would pick them: identify's tags and the
# top-level exclude of .pre-commit-config.yaml, one NUL-separated list each.
lists="$(mktemp -d)"
trap 'rm -rf "$lists"' EXIT
python - "$lists" <<'PY'
import os
import re
import subprocess
import sys

import yaml
from identify import identify

out = sys.argv[1]
with open(".pre-commit-config.yaml", encoding="utf-8") as handle:
    exclude = re.compile(yaml.safe_load(handle).get("exclude", "^$"))
# Generated or legal texts that OCA's whitespace hooks leave alone too.
text_exclude = re.compile(r"/README\.rst$|\.pot?$")
names = subprocess.check_output(
    ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"]
).decode().split("\0")
kinds = {"text": [], "python": [], "isort": []}
for name in sorted(set(names)):
    if not name or exclude.search(name) or os.path.islink(name):
        continue
    if not os.path.isfile(name):
        continue
    tags = identify.tags_from_path(name)
    if "text" in tags and not text_exclude.search(name):
        kinds["text"].append(name)
    if "python" in tags:
        kinds["python"].append(name)
        if not re.search(r"(^|/)__init__\.py$", name):
            kinds["isort"].append(name)
for kind, files in kinds.items():
    with open(os.path.join(out, kind), "w", encoding="utf-8") as handle:
        handle.write("\0".join(files))
PY

# fix LIST OK_CODES COMMAND...: runs a fixer over one of the lists; the
# whitespace fixers exit 1 when they changed a file, the header fixer when a
# header needs a person (it says which); any other code is a failure.
fix() {
    local list="$lists/$1" ok="$2" rc=0
    shift 2
    local -a files=()
    mapfile -d '' files <"$list"
    [ "${#files[@]}" -gt 0 ] || return 0
    "$@" "${files[@]}" || rc=$?
    [[ " $ok " == *" $rc "* ]] || die "$1 failed (exit $rc)"
}
say "Whitespace and line endings (text files)"
fix text "0 1" trailing-whitespace-fixer
fix text "0 1" end-of-file-fixer
fix text "0 1" mixed-line-ending --fix=lf
say "Licence headers (Python files)"
fix python "0 1" python "$ROOT/scripts/check_license_headers.py" --fix --root "$TARGET"
say "isort (Python files, not __init__.py)"
fix isort "0" isort --settings-path="$TARGET" --quiet
say "black (Python files, for Python 3.7)"
fix python "0" black --quiet --target-version=py37
say "Done: review the diff (git diff), then bash scripts/lint.sh for what is left"
