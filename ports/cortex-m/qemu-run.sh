#!/usr/bin/env bash
# Runs the firmware in QEMU (mps2-an386, Cortex-M4F): qemu-run.sh FIRMWARE [ARGS...]
# ARGS reach the firmware as its command line (`-X ...` options, a script and
# its arguments); the console (UART0) is this terminal; the exit status is the
# program's. Used as the cargo runner, so `cargo run --release -- script.py` works.
set -euo pipefail
firmware=$1
shift
exec qemu-system-arm -M mps2-an386 -cpu cortex-m4 -display none -monitor none -serial stdio \
  -semihosting-config enable=on,target=native -kernel "$firmware" -append "$*"
