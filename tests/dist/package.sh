#!/bin/bash
# The Debian package, built as a packager builds it: dpkg-buildpackage
# -us -uc -b on a copy of this tree (the files git knows, as a clean clone
# has them). Checks its contents (both programs, the manual pages, the
# completion files), its relations (libsqlite3-0 and libpq5, which
# dpkg-shlibdeps cannot see behind dlopen), the .note.dlopen ELF notes
# that name them, that lintian finds nothing, and that the programs it
# installs run on the demo.
. "$TOP_SRCDIR/tests/lib.sh"

# CI builds with gcc and again with the sanitizers: the package, built
# with Debian's own flags either way, is checked in the first.
if [ -n "${RETORT_SKIP_PACKAGE:-}" ]; then
	echo "1..0 # SKIP RETORT_SKIP_PACKAGE is set: $RETORT_SKIP_PACKAGE"
	exit 0
fi

for tool in git dpkg-buildpackage dh dpkg-deb objcopy python3; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "1..0 # SKIP $tool is not installed (apt-get install debhelper dpkg-dev binutils git python3)"
		exit 0
	fi
done

src="$T_DIR/build/retort"
mkdir -p "$src"
(cd "$TOP_SRCDIR" && git ls-files -co --exclude-standard -z | grep -zv '^_' |
	tar --null -cf - -T -) | tar -xf - -C "$src"
is "$(cd "$src" && ls LICENSE debian/control debian/rules 2>&1)" "LICENSE
debian/control
debian/rules" "a clean copy of the tree, with debian/ and LICENSE"

(cd "$src" && dpkg-buildpackage -us -uc -b) >"$T_DIR/build.log" 2>&1
RC=$?
ok_rc 0 "dpkg-buildpackage -us -uc -b builds"
[ "$RC" -eq 0 ] || diag "$(tail -n 30 "$T_DIR/build.log")"
deb=$(ls "$T_DIR"/build/retort_*_*.deb 2>/dev/null | head -1)
like "$deb" 'retort_[0-9.]+_[a-z0-9]+\.deb$' "it makes retort_VERSION_ARCH.deb"
[ -n "$deb" ] || { done_testing; exit; }

run dpkg-deb -c "$deb"
files=$(printf '%s\n' "$OUT" | awk '{print $6}')
for f in ./usr/bin/retort ./usr/libexec/retort/retort-console \
	./usr/share/man/man1/retort.1.gz ./usr/share/man/man5/retort.ini.5.gz \
	./usr/share/man/man5/retort-script.5.gz \
	./usr/share/bash-completion/completions/retort \
	./usr/share/zsh/vendor-completions/_retort \
	./usr/share/doc/retort/copyright; do
	like "$files" "^$(printf '%s' "$f" | sed 's/\./\\./g')\$" "the package holds $f"
done

run dpkg-deb -f "$deb" Depends
like "$OUT" '(^|, )libsqlite3-0 \(>= 3\.35\)(,|$)' "Depends: libsqlite3-0, opened with dlopen"
like "$OUT" 'libncursesw6|libtinfo6' "Depends: what dpkg-shlibdeps found (ncurses)"
like "$OUT" 'libedit2' "and libedit"
run dpkg-deb -f "$deb" Recommends
is "$OUT" "libpq5" "Recommends: libpq5 (PostgreSQL databases only)"

x="$T_DIR/x"
dpkg-deb -x "$deb" "$x"
# The notes of the installed program, read as a tool reads them.
notes() { # BINARY: "owner type json" per note
	objcopy -O binary --only-section=.note.dlopen "$1" "$T_DIR/note.bin" &&
	python3 - "$T_DIR/note.bin" <<'PY'
import json, struct, sys
b = open(sys.argv[1], 'rb').read()
off = 0
while off + 12 <= len(b):
    nsz, dsz, typ = struct.unpack_from('<III', b, off)
    off += 12
    name = b[off:off + nsz].rstrip(b'\0').decode()
    off += (nsz + 3) & ~3
    desc = json.loads(b[off:off + dsz].rstrip(b'\0'))
    off += (dsz + 3) & ~3
    for d in desc:
        print(name, hex(typ), d['feature'], d['priority'], ','.join(d['soname']))
PY
}
run notes "$x/usr/bin/retort"
is "$OUT" "FDO 0x407c0c0a sqlite required libsqlite3.so.0
FDO 0x407c0c0a postgresql recommended libpq.so.5" ".note.dlopen: both libraries, by soname"
if command -v readelf >/dev/null 2>&1; then
	run readelf --notes "$x/usr/bin/retort"
	like "$OUT" 'Displaying notes found in: \.note\.dlopen' "readelf sees the .note.dlopen section"
	like "$OUT" 'FDO +0x[0-9a-f]+[[:space:]]+.*0x407c0c0a' "with FDO notes of type 0x407c0c0a"
fi

if command -v lintian >/dev/null 2>&1; then
	run lintian -I --pedantic "$deb"
	ok_rc 0 "lintian passes"
	is "$(printf '%s\n' "$OUT" | grep -E '^[EWIPX]:')" "" "lintian: no tag, even pedantic"
else
	t_result 1 "lintian is not installed"
fi

# The installed files run: the version, and the demo's heads.
run "$x/usr/bin/retort" --version
like "$OUT" '^retort [0-9]+\.[0-9]+' "the packaged retort runs"
cd "$TOP_SRCDIR" || exit 1
run "$x/usr/bin/retort" heads
like "$OUT" '^453fe4207322 \(notifications\) \(head\)$' "and reads the demo's heads"
cd "$T_DIR" || exit 1
if command -v apt-get >/dev/null 2>&1; then
	run apt-get install -s -y "$deb"
	ok_rc 0 "apt-get would install it (dependencies resolve)"
	[ "$RC" -eq 0 ] || diag "$OUT" "$ERR"
fi

done_testing
