# Sourced by the README commands: makes .venv, installs the pinned requirements when they change,
# puts the project root and platform/ on sys.path (a .pth file, so python, pytest, celery, gunicorn
# and import-linter all see the same paths) and compiles the zh-hans message catalogue.
# Usage: . deploy/bootstrap.sh base|test
set -euo pipefail
JZ_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JZ_PROFILE="${1:-base}"
JZ_VENV="$JZ_ROOT/.venv"
JZ_PY="$(command -v python3.11 || command -v python3)"

if [ ! -x "$JZ_VENV/bin/python" ]; then
  echo "[bootstrap] creating virtual environment in .venv"
  "$JZ_PY" -m venv "$JZ_VENV"
fi
stamp="$JZ_VENV/.requirements-$JZ_PROFILE"
want="$(cat "$JZ_ROOT"/requirements/*.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[bootstrap] installing requirements/$JZ_PROFILE.txt"
  "$JZ_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$JZ_ROOT/requirements/$JZ_PROFILE.txt"
  echo "$want" > "$stamp"
fi
site="$("$JZ_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
printf '%s\n%s\n' "$JZ_ROOT" "$JZ_ROOT/platform" > "$site/jiazhan.pth"
"$JZ_VENV/bin/python" "$JZ_ROOT/deploy/compilemessages.py"
export PATH="$JZ_VENV/bin:$PATH"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings}"
cd "$JZ_ROOT"
