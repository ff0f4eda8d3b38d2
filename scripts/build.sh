#!/usr/bin/env bash
# `make build`: cross-builds every action function for AWS Lambda (arm64, release) with
# `cargo lambda build` and prints the size of each target/lambda/<action>/bootstrap.
# Needs only Rust (rustup) and Python 3: cargo-lambda and zig (the cross linker, also used to
# compile the C of aws-lc-sys for aarch64) come from PyPI into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/venv.sh
export PATH="$PWD/.venv/bin:$PATH"

TARGET=aarch64-unknown-linux-gnu
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx "$TARGET"; then
  echo "==> rustup target add $TARGET (the Rust standard library for arm64 Linux)"
  rustup target add "$TARGET"
fi

# The functions are the binaries of the `functions` package (src/bin/<action>.rs); the admin
# tool and the test binaries are not deployed and not built here. They are named with --bin from
# the workspace root, exactly as `sam build` (make deploy) names each one, so both resolve the same
# features and `sam build` finds every binary already built.
actions=()
bins=()
for f in functions/src/bin/*.rs; do
  actions+=("$(basename "$f" .rs)")
  bins+=(--bin "$(basename "$f" .rs)")
done
count=${#actions[@]}
echo "==> cargo lambda build --release --arm64 --bin <action> ($count functions)"
start=$(date +%s)
cargo lambda build --release --arm64 "${bins[@]}" "$@"
elapsed=$(( $(date +%s) - start ))

echo "==> bootstrap files (target/lambda/<action>/bootstrap)"
missing=0
total=0
for a in "${actions[@]}"; do
  f="target/lambda/$a/bootstrap"
  if [ ! -f "$f" ]; then echo "MISSING $f" >&2; missing=1; continue; fi
  bytes=$(stat -c %s "$f")
  total=$((total + bytes))
  arch=$(od -An -tx1 -j18 -N2 "$f" | tr -d ' ')   # ELF e_machine: b700 = aarch64
  [ "$arch" = "b700" ] || { echo "$f is not an aarch64 ELF (e_machine $arch)" >&2; missing=1; }
  awk -v a="$a" -v b="$bytes" 'BEGIN { printf "%-34s %6.2f MiB  %10d bytes\n", a, b / 1048576, b }'
done
awk -v c="$count" -v t="$total" -v e="$elapsed" \
  'BEGIN { printf "==> %d functions, %.1f MiB in all, built in %d s\n", c, t / 1048576, e }'
exit $missing
