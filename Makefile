# The two commands a newcomer needs: `make run` and `make test`. Each installs what it lacks.
.PHONY: run test lint bench build

run:
	scripts/install-deps.sh run
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
