#!/bin/sh
# Checks that the shared library exports exactly its API: the functions and
# objects declared in the public headers (src/include/pcf/*.h), each marked
# PCF_EXTERN, and nothing else.
#
#   scripts/check_exports.sh BUILD_DIR [SOURCE_DIR]
#
# The headers are run through the C preprocessor (so comments, macros and
# conditionals are resolved as a user's compiler resolves them) and every
# file-scope declaration that is not a typedef is read: a name followed by
# "(" is a function, an "extern" declaration without one is an object.
# A declaration without PCF_EXTERN, a declared name the library does not
# export and an exported name no header declares are each reported.
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	echo "usage: $0 BUILD_DIR [SOURCE_DIR]" >&2
	exit 2
fi
build_dir=$1
src_dir=${2:-$(dirname "$0")/..}
include_dir=$(cd "$src_dir/src/include" && pwd)
lib=$build_dir/libpcf.so
cc=${CC:-cc}

if [ ! -f "$lib" ]; then
	echo "check_exports: $lib not found; build the pcf_shared target first" >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cflags=$(pkg-config --cflags libcjson 2>/dev/null || true)
for header in "$include_dir"/pcf/*.h; do
	# shellcheck disable=SC2086 # cflags is a list of flags
	if ! "$cc" -E $cflags -I"$include_dir" -x c "$header" >"$tmp/pp"; then
		echo "check_exports: $header does not preprocess" >&2
		exit 1
	fi
	# Keep only the text that came from the public headers themselves.
	awk -v dir="$include_dir/pcf/" '
		/^# [0-9]+ "/ {
			file = $3
			gsub(/"/, "", file)
			keep = (index(file, dir) == 1)
			next
		}
		keep { print }
	' "$tmp/pp" >>"$tmp/public.i"
done

# One line per declaration: "marked NAME" or "unmarked NAME".
awk '
	function finish(stmt,    marked, name, rest) {
		marked = (stmt ~ /visibility *\( *"default" *\)/)
		gsub(/__attribute__ *\(\([^()]*(\([^()]*\)[^()]*)*\)\)/, " ", stmt)
		sub(/^[ \t]+/, "", stmt)
		if (stmt == "" || stmt ~ /^(typedef|static)[ \t]/)
			return
		if (match(stmt, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
			name = substr(stmt, RSTART, RLENGTH)
			sub(/[ \t]*\($/, "", name)
		} else if (stmt ~ /^extern[ \t]/) {
			rest = stmt
			sub(/[ \t]*(\[[^]]*\][ \t]*)*$/, "", rest)
			if (!match(rest, /[A-Za-z_][A-Za-z0-9_]*$/))
				return
			name = substr(rest, RSTART, RLENGTH)
		} else {
			return # a struct, union or enum declaration
		}
		print (marked ? "marked " : "unmarked ") name
	}
	{ text = text " " $0 }
	END {
		depth = 0
		stmt = ""
		n = length(text)
		for (i = 1; i <= n; i++) {
			c = substr(text, i, 1)
			if (c == "{") {
				depth++
			} else if (c == "}") {
				depth--
				# a function defined in a header ends at its brace
				if (depth == 0 && stmt ~ /^[ \t]*static[ \t]/)
					stmt = ""
			} else if (depth > 0) {
				continue
			} else if (c == ";") {
				finish(stmt)
				stmt = ""
			} else {
				stmt = stmt c
			}
		}
	}
' "$tmp/public.i" | sort -u >"$tmp/decls"

status=0
unmarked=$(awk '$1 == "unmarked" { print $2 }' "$tmp/decls")
if [ -n "$unmarked" ]; then
	echo "declared in src/include/pcf without PCF_EXTERN:"
	echo "$unmarked" | sed 's/^/  /'
	status=1
fi

awk '{ print $2 }' "$tmp/decls" | sort -u >"$tmp/declared"
# Linker-made symbols (_init, __bss_start, ...) start with "_"; none is API.
nm -D --defined-only "$lib" | awk 'NF == 3 && $3 !~ /^_/ { print $3 }' |
	sed 's/@.*//' | sort -u >"$tmp/exported"

missing=$(comm -23 "$tmp/declared" "$tmp/exported")
extra=$(comm -13 "$tmp/declared" "$tmp/exported")
if [ -n "$missing" ]; then
	echo "declared in src/include/pcf but not exported by $lib:"
	echo "$missing" | sed 's/^/  /'
	status=1
fi
if [ -n "$extra" ]; then
	echo "exported by $lib but declared in no public header:"
	echo "$extra" | sed 's/^/  /'
	status=1
fi
if [ "$status" -eq 0 ]; then
	echo "check_exports: $(wc -l <"$tmp/exported") symbols, exactly the public API"
fi
exit "$status"
