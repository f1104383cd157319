#!/usr/bin/env bash
# Make sure the browser tests can run: Chromium at $CHROMIUM_PATH (default /usr/bin/chromium) and a CJK
# font, so Chinese pages render (and screenshots of failures are readable).
# As root, installs what is missing with apt-get; otherwise stops with the one command to run.
# The browser tests are never skipped: a missing browser is an error.
set -euo pipefail

chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
packages=(chromium chromium-driver fonts-noto-cjk)

has_cjk_font() {
    if command -v fc-list >/dev/null 2>&1; then
        [[ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]]
    else
        compgen -G "/usr/share/fonts/opentype/noto/NotoSansCJK*" >/dev/null
    fi
}

if [[ -x "$chromium" ]] && has_cjk_font; then
    exit 0
fi

if [[ "$(id -u)" != 0 ]]; then
    echo "The browser tests need Chromium and a CJK font, and they are missing. Run once:" >&2
    echo "    sudo apt-get install -y ${packages[*]}" >&2
    exit 1
fi

echo "Installing ${packages[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
if [[ ! -x "$chromium" ]]; then
    echo "apt-get installed chromium, but $chromium is still missing (is CHROMIUM_PATH right?)" >&2
    exit 1
fi
