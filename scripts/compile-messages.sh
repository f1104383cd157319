#!/usr/bin/env bash
# Compile the translations (src/chuangyou/locale/<lang>/LC_MESSAGES/django.po → .mo) when gettext's
# msgfmt is installed and there is something to compile. Without msgfmt the pages show the Chinese source
# strings, so this warns instead of failing.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
locale="$root/src/chuangyou/locale"

if [[ -z "$(find "$locale" -name '*.po' 2>/dev/null | head -n 1)" ]]; then
    exit 0
fi
if ! command -v msgfmt >/dev/null 2>&1; then
    echo "msgfmt not found: translations not compiled (apt-get install gettext)" >&2
    exit 0
fi
# compilemessages walks the current directory for locale/ folders: start inside the package so it
# never walks into .venv. It needs settings but no database or data folder.
cd "$root/src/chuangyou"
DEBUG=1 CHUANGYOU_DATA_DIR="$root/var" "$root/.venv/bin/chuangyou" compilemessages --verbosity 0
