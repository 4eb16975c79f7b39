#!/usr/bin/env bash
# The lint, as OCA's addons repositories have it (.pre-commit-config.yaml):
# isort, black, flake8 with bugbear, pylint with pylint-odoo, OCA's module
# checks, pre-commit-hooks' checks and the licence headers. It only checks
# (bash scripts/lint-fix.sh applies the mechanical fixes).
#
# Makes .venv-lint/ (scripts/lint-venv.sh: the machine's python3 and the
# pinned tools of requirements-lint.txt; at once when it is there), then
# runs pre-commit over every file git tracks or would add (so new files are
# linted before `git add`). Every hook is local: nothing is fetched but the
# tools from PyPI.
#
# Usage: bash scripts/lint.sh [HOOK_ID] [pre-commit run options]
#   bash scripts/lint.sh              # every hook
#   bash scripts/lint.sh flake8       # one hook
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/lib.sh"
LINT_VENV="$ROOT/.venv-lint"

bash "$ROOT/scripts/lint-venv.sh"
cd "$ROOT"
git rev-parse --is-inside-work-tree >/dev/null 2>&1 \
    || die "the lint runs in a git checkout (pre-commit lists the files with git)"

# The hooks find the tools on PATH; pre-commit keeps its state beside them.
export PATH="$LINT_VENV/bin:$PATH"
export PRE_COMMIT_HOME="$LINT_VENV/pre-commit-home"
# Tracked files and new ones not yet added (not the git-ignored), that exist.
mapfile -d '' files < <(git ls-files -z --cached --others --exclude-standard)
existing=()
for file in "${files[@]}"; do
    [ -e "$file" ] || [ -L "$file" ] && existing+=("$file")
done
say "Linting ${#existing[@]} files (pre-commit, .pre-commit-config.yaml)"
status=0
pre-commit run "$@" --files "${existing[@]}" || status=$?
if [ "$status" -ne 0 ]; then
    warn "the lint failed (above); bash scripts/lint-fix.sh fixes the import order, formatting, whitespace and headers"
fi
exit "$status"
