#!/usr/bin/env bash
# Runs every check and test of ferropy. This is the README's test command and what CI runs.
# It installs what it needs when missing (rustup components and targets, Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
done

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings

step "no_std builds of the core crates"
cargo build -p ferropy-frontend -p ferropy-bytecode --no-default-features

step "unit, golden and end-to-end tests"
cargo test --workspace

step "fuzz campaign: 100,000 mutated sources through the compiler (release)"
cargo test --release --test fuzz_compile -- --ignored

echo
echo "all checks passed"
