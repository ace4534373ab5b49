#!/usr/bin/env bash
# Installs what building, running and testing Recert needs and this machine lacks.
# Idempotent: it checks before it installs, so `make run` and `make test` can call it every time.
#   scripts/install-deps.sh run    system packages to build and open the app
#   scripts/install-deps.sh test   also Xvfb, D-Bus, a notification server, WebKitWebDriver, tauri-driver,
#                                  Syncthing (make test-sync), and axe-core from npm (the window tests'
#                                  accessibility check)
#   scripts/install-deps.sh package  also Node.js + npm (the prebuilt Tauri CLI) and the tools that
#                                    check the packages (desktop-file-validate, appstreamcli, rpm)
set -euo pipefail

mode="${1:-test}"

run_packages=(libwebkit2gtk-4.1-dev build-essential libssl-dev libayatana-appindicator3-dev
  librsvg2-dev pkg-config curl)
test_packages=(xvfb xauth dbus-x11 webkit2gtk-driver dunst imagemagick sqlite3
  tesseract-ocr tesseract-ocr-eng python3-reportlab python3-pil fonts-dejavu-core  # certificates: OCR, the corpus generator
  syncthing)  # make test-sync: two daemons carry the shared folder
package_packages=(desktop-file-utils appstream rpm binutils)

packages=("${run_packages[@]}")
case "$mode" in
  test) packages+=("${test_packages[@]}") ;;
  package) packages+=("${test_packages[@]}" "${package_packages[@]}") ;;
esac
# Node.js may come from elsewhere than Debian (NodeSource, nvm): only its commands matter.
if [ "$mode" != run ]; then
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing system packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
    echo "install-deps: install them with your package manager, then run this again." >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: no apt-get here; install the equivalents of: ${missing[*]}" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "install-deps: no cargo found; install Rust from https://rustup.rs and run this again." >&2
  exit 1
fi

if [ "$mode" != run ] && ! command -v tauri-driver >/dev/null 2>&1; then
  echo "install-deps: installing tauri-driver (WebDriver bridge for the end-to-end tests)"
  cargo install tauri-driver --locked --version '^2'
fi

# axe-core (package.json, pinned): the window tests inject it to check each screen's accessibility.
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ "$mode" != run ] && [ ! -f "$root/node_modules/axe-core/axe.min.js" ]; then
  echo "install-deps: installing axe-core from npm (accessibility checks in the window tests)"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi
