#!/usr/bin/env bash
# Set up (or bring up to date) everything the app needs; safe to run again and again.
#
#   scripts/setup.sh          the virtualenv .venv with the project and its dev tools, plus the Debian
#                             packages the app needs (fonts-noto-cjk libharfbuzz-subset0, for PDFs)
#   scripts/setup.sh --test   also the Debian packages the tests need (chromium poppler-utils, and
#                             postgresql-client-15: the backup tests run pg_dump / pg_restore; redis-server and
#                             rabbitmq-server: the shared cache's and the job queue's tests; libreoffice-calc-nogui
#                             and unzip: every exported .xlsx is read by LibreOffice headless and `unzip -t`)
#
# As root, missing Debian packages are installed with apt-get; otherwise the script says what to install.
# Under CI=true a missing chromium or LibreOffice is an error, since the browser tests and the strict
# file checks cannot run without them.
# pip runs again only when pyproject.toml has changed since the last successful install
# (SETUP_FORCE=1 forces it).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    -h | --help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

say() { echo "[setup] $*"; }
is_installed() { dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'; }

# --- Debian packages ---------------------------------------------------------------------------
packages=(fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
# libreoffice-calc-nogui: the smallest Debian package whose soffice converts .xlsx (Calc without the GUI);
# libreoffice-writer-nogui: the same for the duty report's .docx (tests/reports/duty/test_narrative_files.py)
[ "$want_test" = 1 ] && packages+=(chromium poppler-utils postgresql-client-15 redis-server rabbitmq-server
  libreoffice-calc-nogui libreoffice-writer-nogui unzip)

# The interpreter: python3.11, or python3 when that is 3.11.
find_python() {
  PY=""
  local candidate
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      PY=$(command -v "$candidate")
      return
    fi
  done
}
find_python
if [ -z "$PY" ] && [ ! -x .venv/bin/python ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    packages+=(python3.11 python3.11-venv)
  else
    echo "[setup] ERROR: Python 3.11 is needed (python3.11 or python3 = 3.11). On Debian 12: apt-get install python3 python3-venv" >&2
    exit 1
  fi
fi
# Debian's own Python creates virtualenvs only with python3.11-venv (ensurepip) installed.
if [ ! -x .venv/bin/python ] && [ -n "$PY" ] && ! "$PY" -c 'import ensurepip' >/dev/null 2>&1; then
  packages+=(python3.11-venv)
fi

if command -v dpkg >/dev/null 2>&1; then
  missing=()
  for p in "${packages[@]}"; do
    is_installed "$p" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      say "installing Debian packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
      say "installed: ${missing[*]}"
    else
      echo "[setup] 缺少系统软件包 / missing Debian packages: ${missing[*]}" >&2
      echo "[setup] 请安装 / please install them:  sudo apt-get install ${missing[*]}" >&2
      for p in "${missing[@]}"; do
        if [ "$p" = chromium ] && [ "${CI:-}" = true ]; then
          echo "[setup] ERROR: chromium is required for the browser tests under CI" >&2
          exit 1
        fi
        if [ "$p" = libreoffice-calc-nogui ] && [ "${CI:-}" = true ] && ! command -v soffice >/dev/null; then
          echo "[setup] ERROR: LibreOffice (soffice) is required for the strict .xlsx checks under CI" >&2
          exit 1
        fi
      done
    fi
  fi
else
  say "dpkg not found (not Debian?): make sure these are installed: ${packages[*]}"
fi

[ -n "$PY" ] || find_python

# --- virtualenv --------------------------------------------------------------------------------
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $PY"
  "$PY" -m venv .venv
fi
if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "[setup] ERROR: .venv is not Python 3.11 ($(.venv/bin/python --version 2>&1)); remove .venv and run again" >&2
  exit 1
fi

stamp=.venv/.kexie-setup-stamp
want_stamp="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "${SETUP_FORCE:-0}" = 1 ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_stamp" ]; then
  say "installing Python packages into .venv (pip install -e \".[dev]\")"
  rm -f "$stamp"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"
  echo "$want_stamp" >"$stamp"
else
  say "Python packages up to date (pyproject.toml unchanged; SETUP_FORCE=1 to reinstall)"
fi
say "ready"
