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

## build: cross-build every function for AWS Lambda (arm64, release); prints each bootstrap's size
build:
	@scripts/build.sh

## deploy: build and deploy a stage with the SAM CLI (STAGE=dev by default; needs AWS credentials)
STAGE ?= dev
deploy:
	@scripts/deploy.sh $(STAGE)

## lint: clippy on every crate and test, warnings as errors
lint:
	cargo clippy --workspace --all-targets --all-features -- -D warnings

## bench: cold-start table (time to first answer, peak memory, size) of the release binaries
bench:
	@scripts/bench.sh
