# The two commands a newcomer needs: `make run` and `make test`. Each installs what it lacks.
.PHONY: run test lint bench bench-desktop package test-package

run:
	scripts/install-deps.sh run
	cargo build --release  # both binaries: the window and the background agent (cargo run builds one)
	cargo run --release

test:
	scripts/install-deps.sh test
	cargo build --tests --workspace
	scripts/with-display.sh cargo test --workspace

lint:
	scripts/install-deps.sh run
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

bench:
	scripts/install-deps.sh run
	cargo bench -p recert-core

# Start-up time and memory of the window vs a bare Tauri window (prints figures).
bench-desktop:
	scripts/install-deps.sh test
	cargo build --release
	cargo build --release --manifest-path scripts/bare-window/Cargo.toml --target-dir target
	scripts/with-display.sh python3 scripts/bench-desktop.py

# Linux installers (.deb, .rpm) with Tauri's bundler and the prebuilt CLI from npm (package.json);
# copied to target/package/. Windows and macOS installers: .github/workflows/release.yml.
package:
	scripts/install-deps.sh package
	scripts/package.sh

# Installs the .deb here (root or sudo), checks it, opens the installed app, then removes it.
test-package: package
	scripts/with-display.sh python3 scripts/test-package.py
