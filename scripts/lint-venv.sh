#!/usr/bin/env bash
# Makes .venv-lint/, the lint's own venv (scripts/lint.sh, scripts/lint-fix.sh),
# with the machine's python3 (3.9 or newer; $SME_LINT_PYTHON to choose another)
# and the pinned tools of requirements-lint.txt, when it is missing or the pins
# changed; a rerun with nothing changed returns at once. The addons' Python 3.7
# venv (.venv/) is not used: the linters only read the code.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
LINT_VENV="$ROOT/.venv-lint"
LINT_REQUIREMENTS="$ROOT/requirements-lint.txt"

stamp="$LINT_VENV/.requirements.sha256"
want="$(sha256sum "$LINT_REQUIREMENTS" | cut -d' ' -f1)"
if [ -x "$LINT_VENV/bin/pre-commit" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    exit 0
fi
if [ ! -x "$LINT_VENV/bin/python" ]; then
    python="${SME_LINT_PYTHON:-python3}"
    command -v "$python" >/dev/null \
        || die "the lint needs Python 3.9 or newer: '$python' is not on PATH (set SME_LINT_PYTHON)"
    "$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' \
        || die "the lint needs Python 3.9 or newer: '$python' is $("$python" --version 2>&1) (set SME_LINT_PYTHON)"
    say "Creating .venv-lint/ with $("$python" --version 2>&1)"
    "$python" -m venv "$LINT_VENV"
fi
say "Installing the lint's tools (requirements-lint.txt) into .venv-lint/"
"$LINT_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$LINT_REQUIREMENTS" \
    || die "installing requirements-lint.txt into .venv-lint/ failed (output above)"
echo "$want" >"$stamp"
