#!/usr/bin/env bash
# Builds the Linux installers (.deb and .rpm) with Tauri's bundler, using the prebuilt Tauri CLI
# from npm (pinned in package.json / package-lock.json, installed into node_modules/, git-ignored):
# compiling the CLI from crates.io would take ~13 minutes here.
# The packages are copied to target/package/ as recert_VERSION_ARCH.deb and recert-VERSION-1.ARCH.rpm.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/tauri ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "package: installing the pinned Tauri CLI from npm (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi

target_dir="${CARGO_TARGET_DIR:-target}"
bundle_dir="$target_dir/release/bundle"
rm -rf "$bundle_dir/deb" "$bundle_dir/rpm"
started=$(date +%s)
# The background agent is a crate of its own (no Tauri in it), so Tauri's bundler, which packs the
# app crate's binaries, is told where to find it.
cargo build --release -p recert-background --bin recert-agent
agent="$(cd "$target_dir" && pwd)/release/recert-agent"
agent_files="{\"/usr/bin/recert-agent\": \"$agent\"}"
node_modules/.bin/tauri build --ci --bundles deb,rpm \
  --config "{\"bundle\": {\"linux\": {\"deb\": {\"files\": $agent_files}, \"rpm\": {\"files\": $agent_files}}}}"
echo "package: release build and bundling took $(( $(date +%s) - started )) s"

out="$target_dir/package"
rm -rf "$out"
mkdir -p "$out"
# Tauri's bundler compresses the .deb with gzip; xz packs the same files about a third smaller, and
# every dpkg since Debian 6 reads it.
recompress_xz() {
  local deb="$1" target="$2" work
  work=$(mktemp -d)
  dpkg-deb -R "$deb" "$work/root"
  dpkg-deb -Zxz -z9 --root-owner-group -b "$work/root" "$target" >/dev/null
  rm -rf "$work"
}
for deb in "$bundle_dir"/deb/*.deb; do
  recompress_xz "$deb" "$out/$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)_$(dpkg-deb -f "$deb" Architecture).deb"
done
for rpm in "$bundle_dir"/rpm/*.rpm; do
  base=$(basename "$rpm")
  cp "$rpm" "$out/$(echo "${base%%-*}" | tr '[:upper:]' '[:lower:]')-${base#*-}"
done
echo "package: built"
ls -l "$out" | awk 'NR > 1 { printf "  %-40s %6.1f MiB (%d bytes)\n", $9, $5 / 1048576, $5 }'
