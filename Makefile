# The two commands a newcomer needs: `make run` and `make test`. Each installs what it lacks.
.PHONY: run test test-sync lint bench bench-certificates bench-desktop package test-package reliability reliability-quick

TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)

run:
	scripts/install-deps.sh run
	cargo build --release  # both binaries: the window and the background agent (its own crate)
	cargo run --release -p recert

test:
	scripts/install-deps.sh test
	cargo build --workspace --bins --tests  # the tests start recert-agent, which no test target builds
	scripts/with-display.sh cargo test --workspace

# Sync (issue 22) end to end: two Syncthing daemons on 127.0.0.1 (no discovery, relays or NAT
# traversal) carry the shared folder between two Recert data folders.
test-sync:
	scripts/install-deps.sh test
	cargo build --bin recert
	python3 scripts/sync-e2e.py --recert $(TARGET_DIR)/debug/recert

lint:
	scripts/install-deps.sh run
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

bench:
	scripts/install-deps.sh run
	cargo bench -p recert-core

# Certificates (issue 21): generates the corpus, then prints per kind the share of fields read right,
# fields filled wrongly and the time per page (release).
bench-certificates:
	scripts/install-deps.sh test
	/usr/bin/python3 scripts/certificate-corpus/generate.py $(TARGET_DIR)/certificate-corpus
	cargo bench -p recert-core --bench certificates -- $(abspath $(TARGET_DIR))/certificate-corpus

# Start-up time and memory of the window vs a bare Tauri window (prints figures).
bench-desktop:
	scripts/install-deps.sh test
	cargo build --release
	cargo build --release --manifest-path scripts/bare-window/Cargo.toml --target-dir $(TARGET_DIR)
	scripts/with-display.sh python3 scripts/bench-desktop.py

# Linux installers (.deb, .rpm) with Tauri's bundler and the prebuilt CLI from npm (package.json);
# copied to target/package/. Windows and macOS installers: .github/workflows/release.yml.
package:
	scripts/install-deps.sh package
	scripts/package.sh

# Installs the .deb here (root or sudo), checks it, opens the installed app, then removes it.
test-package: package
	scripts/with-display.sh python3 scripts/test-package.py

# Kill -9 trials, racing processes, bad values for every option, damaged files (prints figures;
# exits 1 on a lost write, an integrity failure, a panic or a race). Sizes:
# make reliability RELIABILITY_ARGS="--crash-trials 1000 --concurrent-runs 1000"
reliability:
	scripts/install-deps.sh test
	cargo build --release --bin recert --example fake_notifier
	python3 scripts/reliability --recert $(TARGET_DIR)/release/recert \
		--notifier $(TARGET_DIR)/release/examples/fake_notifier $(RELIABILITY_ARGS)

# The short version for CI, on the debug build `make test` already made.
reliability-quick:
	scripts/install-deps.sh test
	cargo build --bin recert --example fake_notifier
	python3 scripts/reliability --quick --recert $(TARGET_DIR)/debug/recert \
		--notifier $(TARGET_DIR)/debug/examples/fake_notifier
