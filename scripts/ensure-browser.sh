#!/usr/bin/env bash
# Make sure the browser tests and the PDF writers can run: Chromium at $CHROMIUM_PATH (default
# /usr/bin/chromium); Noto CJK so Chinese pages render in the browser and in LibreOffice; and LibreOffice's
# headless Writer, which turns the 总结 and 简报 into PDF and which their tests use to prove they open.
# As root, installs what is missing with apt-get; otherwise stops with the one command to run.
# The browser tests are never skipped: a missing browser is an error.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
packages=(chromium chromium-driver fonts-noto-cjk libreoffice-writer-nogui)

missing=()
[[ -x "$chromium" ]] || missing+=(chromium chromium-driver)
compgen -G "/usr/share/fonts/opentype/noto/NotoSansCJK*" >/dev/null || missing+=(fonts-noto-cjk)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
    echo "The browser tests and PDFs need ${missing[*]}, which are missing. Run once:" >&2
    echo "    sudo apt-get install -y ${packages[*]}" >&2
    exit 1
fi

echo "Installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
if [[ ! -x "$chromium" ]]; then
    echo "apt-get installed chromium, but $chromium is still missing (is CHROMIUM_PATH right?)" >&2
    exit 1
fi
