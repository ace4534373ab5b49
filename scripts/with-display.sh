#!/usr/bin/env bash
# Runs a command inside a private X server (Xvfb) and a private D-Bus session bus, so tests that
# open the real window or raise notifications work in a plain terminal or on CI.
set -euo pipefail
exec xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- "$@"
