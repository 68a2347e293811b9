#!/bin/sh
# Regenerates tests/mpy_fixtures/: for every snippet of tests/compile/ that MicroPython
# runs successfully, MicroPython's mpy-cross output for it
# (NAME.mpy, compiled with `-s NAME.py`) and what MicroPython prints running it (NAME.exp).
#
# usage: MPY_CROSS=.../mpy-cross MICROPY_MICROPYTHON=.../micropython scripts/make-mpy-fixtures.sh
set -eu
: "${MPY_CROSS:?set MPY_CROSS to an mpy-cross binary}"
: "${MICROPY_MICROPYTHON:?set MICROPY_MICROPYTHON to a MicroPython unix-port binary}"
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/tests/mpy_fixtures"
rm -rf "$out"
mkdir -p "$out"
cd "$root/tests/compile"
for py in *.py; do
    name=${py%.py}
    if timeout 10 "$MICROPY_MICROPYTHON" "$py" > "$out/$name.exp" 2>&1; then
        "$MPY_CROSS" -s "$py" -o "$out/$name.mpy" "$py"
    else
        rm -f "$out/$name.exp"
    fi
done
cat > "$out/README.md" <<'TXT'
Files made by `scripts/make-mpy-fixtures.sh` from the snippets of `tests/compile/` that
MicroPython runs without error (sources: `tests/compile/NAME.py`): `NAME.mpy` (MicroPython's
`mpy-cross -s NAME.py` output) and `NAME.exp` (stdout and stderr of MicroPython running
`NAME.py`). `tests/mpy_fixtures.rs` loads every `.mpy`, checks it round-trips and
disassembles like ferropy's own compilation, and runs it: it must print `NAME.exp`.
TXT
