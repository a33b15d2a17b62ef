/* termout.h: standard output and standard error as a terminal shows them.
 *
 * retort prints text it does not control: values from a database (the
 * ledger's users, hosts and errors, the version table, a server's
 * messages), a lock file's holder line, the scripts' own SQL. A control
 * character in it (an escape sequence, a carriage return) would be obeyed
 * by the terminal: it could move the cursor, rewrite what was printed
 * before, retitle the window or worse. On a terminal, then, every C0
 * control character but tab and newline, DEL, and the C1 controls
 * U+0080..U+009F are shown in caret notation as `cat -v` does (ESC is
 * "^[", CR "^M", DEL "^?", U+009B "M-^[") instead of being sent. A file
 * or a pipe gets the bytes unchanged, and JSON escapes them anyway. */
#ifndef RT_TERMOUT_H
#define RT_TERMOUT_H

#include <stdio.h>

/* The stream to print on for descriptor fd (1 or 2): when fd is a
 * terminal, a new stream that writes the shown form to fd (line-buffered
 * when std is, unbuffered when std is: the same interleaving as std);
 * otherwise std itself. Close a new stream with fclose (which flushes). */
FILE *termout_open(int fd, FILE *std);

/* The shown form of buf[0..len) appended to out (caller frees out->buf
 * as with sb_free), for tests and for the stream above. *pending carries
 * a lead byte 0xC2 split from its continuation across two calls: start
 * at 0, and end with a call of len 0 to flush it. */
struct strbuf;
void termout_show(struct strbuf *out, const char *buf, size_t len, int *pending);

#endif
