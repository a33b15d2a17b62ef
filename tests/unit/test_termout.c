/* Unit tests for termout.c: what a terminal is sent instead of control
 * characters. */

#include "tap.h"
#include "termout.h"
#include "util.h"

/* The shown form of s, written in one piece or split at every byte. */
static char *shown(const char *s, size_t len, bool bytewise)
{
	struct strbuf sb = STRBUF_INIT;
	int pending = 0;
	if (bytewise) {
		for (size_t i = 0; i < len; i++)
			termout_show(&sb, s + i, 1, &pending);
	} else {
		termout_show(&sb, s, len, &pending);
	}
	termout_show(&sb, "", 0, &pending);
	return sb_detach(&sb);
}

static void check(const char *in, size_t len, const char *want, const char *what)
{
	char *a = shown(in, len, false), *b = shown(in, len, true);
	is_str(a, want, "%s", what);
	is_str(b, want, "%s, written a byte at a time", what);
	free(a);
	free(b);
}

int main(void)
{
	check("plain text", 10, "plain text", "plain text is unchanged");
	check("a\tb\nc", 5, "a\tb\nc", "tab and newline are kept");
	check("\033[2J", 4, "^[[2J", "ESC in caret notation");
	check("x\ry", 3, "x^My", "carriage return");
	check("\a\b\x7f", 3, "^G^H^?", "bell, backspace, DEL");
	check("\001\037", 2, "^A^_", "the ends of the C0 range");
	check("caf\xc3\xa9 \xe2\x94\x80", 9, "caf\xc3\xa9 \xe2\x94\x80", "UTF-8 letters and box drawing are unchanged");
	check("\xc2\xa9", 2, "\xc2\xa9", "a character after U+00A0 (C2 A9, the copyright sign) is unchanged");
	check("\xc2\x9b" "2J", 4, "M-^[2J", "the C1 control U+009B (CSI)");
	check("\xc2\x80\xc2\x9f", 4, "M-^@M-^_", "the ends of the C1 range");
	check("a\xc2", 2, "a\xc2", "a lead byte at the very end is flushed as it was");
	check("\xc2\xc2\x9b", 3, "\xc2M-^[", "a lead byte before another");
	check("", 0, "", "nothing");
	return done_testing();
}
