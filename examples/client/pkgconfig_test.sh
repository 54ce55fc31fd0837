#!/bin/sh
# The example against an installed libpcf: installs the build into a
# temporary prefix, builds the example there with the Makefile and
# pkg-config, and runs it against a dynalite started for it.
#
#   pkgconfig_test.sh BUILD_DIR SOURCE_DIR PCF_WITH_SERVER [EXTRA_CFLAGS]
#
# EXTRA_CFLAGS carries -fsanitize=... when the library was built with
# sanitizers, whose runtime the program must then link as well.
set -eu
build=$1
src=$2
with_server=$3
extra=${4:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
pc=$(find "$tmp/prefix" -name pcf.pc | head -n 1)
[ -n "$pc" ] || { echo "pcf.pc was not installed" >&2; exit 1; }
pcdir=$(dirname "$pc")
libdir=$(dirname "$pcdir")

# pcf.pc names the configured prefix; point it at the temporary one.
mkdir "$tmp/work"
PKG_CONFIG_PATH="$pcdir" make -s -C "$tmp/work" -f "$src/Makefile" SRCDIR="$src" \
  PKG_CONFIG="pkg-config --define-variable=prefix=$tmp/prefix" \
  CFLAGS="-Wall -Wextra -Werror $extra"

LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
  "$with_server" --dynalite -- "$tmp/work/pcf-example-client" --drop example-table > "$tmp/out"
cat "$tmp/out"
grep -q '"id":"a1"' "$tmp/out"
grep -q '"balance":{"\$N":"123456789012345678901234567890"}' "$tmp/out"
grep -q 'items in example-table: 1' "$tmp/out"
