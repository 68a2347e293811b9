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

step "tools: gcc (C API example, vendored Lua of the benches), cbindgen (C header check)"
export PATH="$HOME/.cargo/bin:$PATH"
command -v gcc >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq gcc; }
command -v cbindgen >/dev/null 2>&1 || cargo install cbindgen --locked --version 0.29.4

step "tools: cmake and libclang (unicorn, which runs emitted Thumb code in the tests), Rust targets"
for pkg in cmake libclang-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$pkg"; }
done
rustup target list --installed | grep -q '^thumbv7em-none-eabihf$' || rustup target add thumbv7em-none-eabihf

step "tools: Xtensa binutils (call0 encodings), qemu-user (simulator cross-check), capstone 6 in a venv (windowed encodings)"
if ! command -v xtensa-lx106-elf-objdump >/dev/null 2>&1 || ! command -v qemu-xtensa >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils-xtensa-lx106 qemu-user
fi
if [ ! -x "$HOME/.cache/ferropy-capstone/bin/python" ]; then
  python3 -m venv --help >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3 python3-venv; }
  python3 -m venv "$HOME/.cache/ferropy-capstone" && "$HOME/.cache/ferropy-capstone/bin/pip" install -q --pre capstone
fi

step "tools: python3 with venv (pty relay of the REPL tests) and mpremote in a venv (tests/repl_mpremote.rs)"
python3 -m venv --help >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq python3 python3-venv python3-pip; }
[ -x target/mpremote-venv/bin/mpremote ] || { python3 -m venv target/mpremote-venv && target/mpremote-venv/bin/pip install -q mpremote; }

step "format and lints"
cargo fmt --all -- --check
rustfmt --check --edition 2021 --config-path rustfmt.toml examples/no_std_host/src/main.rs
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p ferropy --features cranelift --all-targets -- -D warnings

step "no_std builds of the core crates"
cargo build -p ferropy-frontend -p ferropy-bytecode -p ferropy-runtime -p ferropy-emit-native -p ferropy-emit-xtensa -p ferropy-repl --no-default-features
# The compiler's own tests without std: constant folding takes the libm path there.
cargo test -p ferropy-frontend --no-default-features --lib

step "32-bit layouts: bytecode and runtime tests on i686"
rustup target list --installed | grep -q '^i686-unknown-linux-gnu$' || rustup target add i686-unknown-linux-gnu
if ! dpkg -s gcc-multilib >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq gcc-multilib
fi
cargo test -p ferropy-bytecode -p ferropy-runtime --target i686-unknown-linux-gnu
# Emitted Xtensa code on the simulator, calling the real runtime (addresses map 1:1 on 32 bits).
cargo test -p ferropy-xtensa-sim --target i686-unknown-linux-gnu --test corpus

step "Thumb-2 backend without std, for Cortex-M"
cargo build -p ferropy-emit-thumb --no-default-features --target thumbv7em-none-eabihf

step "Cortex-M firmware: QEMU, format and lints (tests/cortex_m.rs runs it)"
if ! command -v qemu-system-arm >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq --no-install-recommends qemu-system-arm
fi
(cd ports/cortex-m && cargo fmt -- --check && CARGO_TARGET_DIR=../../target/cortex-m cargo clippy --release -- -D warnings)

step "unit, golden, end-to-end and doc tests (the C example is built with gcc by capi/tests)"
cargo test --workspace --no-fail-fast
# ferropy-bench's Thumb instruction counts (unicorn, as the Thumb tests use it).
cargo test -p ferropy-benches --features isa-emulators --lib

step "optimizing viper tier (cargo feature cranelift): corpus, differential tests, tier-up"
cargo test --features cranelift --test viper_opt

step "no_std embedding: a #![no_std]/#![no_main] host program with a static heap"
no_std_out=$(CARGO_TARGET_DIR=target/no_std cargo run --quiet --manifest-path examples/no_std_host/Cargo.toml)
printf '%s\n' "$no_std_out"
grep -q '^no_std ferropy: 12586269025 285$' <<<"$no_std_out"
grep -q '^caught ZeroDivisionError$' <<<"$no_std_out"

step "fuzz campaign: 100,000 mutated sources through the compiler (release)"
cargo test --release --test fuzz_compile -- --ignored

step "start-up layout: the functions ferropy -c pass runs lie in src/startup.ld's .text.startup (release-debug, callgrind)"
command -v valgrind >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq --no-install-recommends valgrind; }
python3 scripts/startup-order.py --check

echo
echo "all checks passed"
