#!/bin/bash
# backup on PostgreSQL verifies pg_dump's file as a stream, in a small,
# fixed amount of memory: a dump far larger than the memory retort may
# use is written and verified. The verification still refuses what it
# refused: a dump cut short, a version table that differs; and it reads
# the dump's structure, not its text (a table's data that looks like the
# version table's COPY header or like the closing comment fools nothing).
. "$TOP_SRCDIR/tests/lib.sh"
. "$TOP_SRCDIR/tests/cli/dbenv.sh"
db_backend pg

d="$T_DIR/big"
mkrev "$d" g1 "" <<'EOF'

-- migrate:upgrade
CREATE TABLE big (id integer, pad text);
INSERT INTO big SELECT g, repeat(md5(g::text), 30) FROM generate_series(1, 70000) g;

-- migrate:downgrade
DROP TABLE big;
EOF
project_of "$d"

# The limit on retort's address space (and pg_dump's, which inherits it):
# what a backup of a small database needs and some, far less than the
# dump below. A build whose sanitizers reserve more than that cannot run
# under any such limit: that part is skipped there.
LIMIT_KB=48000
under_limit() { # retort ARGS… under ulimit -v LIMIT_KB; sets OUT, ERR, RC
	run bash -c 'ulimit -v "$1" && shift && exec "$@"' sh $LIMIT_KB "$RETORT" "$@"
}
newdb probe
rtd stamp g1 -q
under_limit -q -d "$URL" backup "$T_DIR/probe.sql"
if [ "$RC" = 0 ]; then
	newdb big
	rtd upgrade g1 -q
	ok_rc 0 "a table of 70,000 rows of 960 bytes"
	under_limit -d "$URL" backup "$T_DIR/big.sql"
	ok_rc 0 "backup under ulimit -v $LIMIT_KB KiB: exit 0"
	like "$OUT" "written to $T_DIR/big.sql and verified" "... verified"
	size=$(stat -c %s "$T_DIR/big.sql")
	[ "$size" -gt $((LIMIT_KB * 1024)) ]
	t_result $? "... a dump of $size bytes, more than the limit"
	is "$(grep -c '^-- PostgreSQL database dump complete$' "$T_DIR/big.sql")" 1 "... and complete"
else
	t_result 0 "a dump larger than ulimit -v $LIMIT_KB KiB # SKIP this build cannot run under such a limit (sanitizers?)"
fi

# ---- what the verification refuses, and what cannot fool it ----
# A stand-in pg_dump writes a prepared file where --file says.
newdb small
rtd stamp g1 -q
rtd backup "$T_DIR/small.sql" -q
ok_rc 0 "a real dump of a small database, to make the stand-ins' files from"
mkdir -p "$T_DIR/bin"
cat >"$T_DIR/bin/pg_dump" <<EOF
#!/bin/sh
while [ \$# -gt 0 ]; do [ "\$1" = --file ] && dest=\$2; shift; done
cat "$T_DIR/fake.sql" >"\$dest"
EOF
chmod +x "$T_DIR/bin/pg_dump"
fake_backup() { # description: backup through the stand-in
	rm -f "$T_DIR/out.sql"
	run env PATH="$T_DIR/bin:$PATH" "$RETORT" -d "$URL" backup "$T_DIR/out.sql"
}

grep -v '^-- PostgreSQL database dump complete$' "$T_DIR/small.sql" >"$T_DIR/fake.sql"
fake_backup
ok_rc 1 "a dump without its closing comment: exit 1"
like "$ERR" "out\\.sql: the dump is incomplete" "... the dump is incomplete"

sed 's/^g1$/zz9/' "$T_DIR/small.sql" >"$T_DIR/fake.sql"
fake_backup
ok_rc 1 "a dump whose version table holds another revision: exit 1"
like "$ERR" "verification failed: the copy's version table differs" "... verification failed"

# Another table's data before the version table's: one row that reads as
# its COPY header, one as the closing comment; the real closing comment
# is missing, so only structure can tell.
awk '
	/^COPY public\.retort_version / {
		print "COPY public.aaa (t) FROM stdin;"
		print "COPY public.retort_version (version_num) FROM stdin;"
		print "-- PostgreSQL database dump complete"
		print "\\."
	}
	$0 != "-- PostgreSQL database dump complete" { print }
' "$T_DIR/small.sql" >"$T_DIR/fake.sql"
fake_backup
ok_rc 1 "the closing comment only inside a table's data: incomplete"
like "$ERR" "the dump is incomplete" "... the dump is incomplete"
printf '%s\n' "-- PostgreSQL database dump complete" >>"$T_DIR/fake.sql"
fake_backup
ok_rc 0 "a table's row that reads as the version table's COPY header: verified all the same"

# A dump whose lines are longer than the verifier keeps (a 3 MB value).
awk '
	/^COPY public\.retort_version / {
		print "COPY public.aaa (t) FROM stdin;"
		s = "x"; while (length(s) < 3000000) s = s s
		print s
		print "\\."
	}
	{ print }
' "$T_DIR/small.sql" >"$T_DIR/fake.sql"
fake_backup
ok_rc 0 "a row of 3 MB before the version table: verified"
done_testing
