# The few commands a newcomer needs. See README.md.
.PHONY: dev stop test build deploy lint bench

## dev: start the API locally on http://127.0.0.1:9000 (moto, tables, bucket, demo credentials)
dev:
	@scripts/dev.sh

## stop: stop a `make dev` running in the background
stop:
	@if [ -f .local/dev.pid ]; then kill $$(cat .local/dev.pid) 2>/dev/null || true; rm -f .local/dev.pid; echo stopped; else echo "not running"; fi

## test: run every test (starts its own moto)
test:
	@scripts/test.sh

lint:
	cargo clippy --workspace --all-targets --all-features -- -D warnings

## bench: cold-start table (time to first answer, peak memory, size) of the release binaries
bench:
	@scripts/bench.sh
