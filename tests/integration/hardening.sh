#!/bin/bash
# Checks the hardening of the built binaries (STYLE.md section 4, "Build &
# test"): PIE, full RELRO (GNU_RELRO + BIND_NOW), non-executable stack,
# stack protector, and in non-sanitizer builds FORTIFY_SOURCE.
set -euo pipefail

pass=0
fail=0
check() {
	local what=$1; shift
	if "$@"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $what" >&2
		fail=$((fail + 1))
	fi
}

lib="$SK_BINARY_DIR/sealkit/libsealkit.so"
for bin in "$SEALKIT" "$lib"; do
	[ -f "$bin" ] || { echo "missing $bin" >&2; exit 1; }
	hdr=$(readelf -h "$bin")
	prog=$(readelf -lW "$bin")
	dyn=$(readelf -dW "$bin")
	syms=$(readelf -sW --dyn-syms "$bin")
	check "$bin is position independent (ELF type DYN)" \
	    grep -q 'Type:.*DYN' <<<"$hdr"
	check "$bin has GNU_RELRO" grep -q 'GNU_RELRO' <<<"$prog"
	check "$bin is linked with BIND_NOW" \
	    grep -qE 'BIND_NOW|FLAGS_1.*NOW' <<<"$dyn"
	check "$bin has a non-executable stack" \
	    grep -qE 'GNU_STACK +0x0+ 0x0+ 0x0+ 0x0+ 0x0+ RW ' <<<"$prog"
	check "$bin uses the stack protector" \
	    grep -q '__stack_chk_fail' <<<"$syms"
	if [ "${SK_SANITIZE:-0}" != 1 ]; then
		check "$bin is built with FORTIFY_SOURCE (_chk functions)" \
		    grep -qE '__[a-z_]+_chk' <<<"$syms"
	fi
done
# The shared library exports only the public API.
check "libsealkit.so exports only sk_* symbols" \
    bash -c "! nm -D --defined-only '$lib' | awk '{print \$3}' | grep -v '^sk_' | grep -v '^_' | grep -q ."
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
