#!/usr/bin/env bash
# Install the Debian packages the tests use, if missing: pandoc (an independent DOCX reader),
# chromium (the real browser Playwright drives; browser downloads are not possible here),
# LibreOffice Writer (a second DOCX consumer, headless; the full build: the -nogui one crashes
# on files with comments) with python3-uno (the tests drive it through tests/office_accept.py
# and tests/office_edit.py), poppler-utils (PDF pages to PNG), npm (to install axe-core, the
# accessibility checker), and PostgreSQL with its contrib extensions (the tests start a
# private server: tests/pg_server.py).
# Idempotent; uses sudo when not root.  Without apt (not Debian), it says what to install.
set -euo pipefail
needed=()
command -v pandoc >/dev/null 2>&1 || needed+=(pandoc)
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
dpkg -s libreoffice-writer >/dev/null 2>&1 || needed+=(libreoffice-writer)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || needed+=(python3-uno)
command -v pdftoppm >/dev/null 2>&1 || needed+=(poppler-utils)
command -v npm >/dev/null 2>&1 || needed+=(npm)
# Liberation Serif 2 is metric-compatible with Times New Roman: page counts are the same on
# every machine.
[ -e /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || needed+=(fonts-liberation2)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || needed+=(postgresql postgresql-contrib)
[ ${#needed[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Please install: ${needed[*]} (the tests use them)" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "Installing Debian packages: ${needed[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
