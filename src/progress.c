/* progress.c: see progress.h. */
#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "termout.h"
#include "util.h"

#define BAR_WIDTH 24

void progress_init(struct progress_line *p, const struct cli_ctx *c, const char *what)
{
	memset(p, 0, sizeof(*p));
	/* with --json, standard error stays for errors alone */
	p->shown = !c->quiet && !c->json && isatty(STDERR_FILENO) &&
	           /* a fleet's target: its lines are prefixed, others run beside it */
	           !c->fleet_member;
	p->color = p->shown && cli_color(c, STDERR_FILENO);
	p->what = what;
}

static size_t term_cols(void)
{
	struct winsize ws;
	return ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 8 ? ws.ws_col : 80;
}

/* Draws "WHAT [bar] COUNT LABEL" over the line before. */
static void draw(struct progress_line *p, double fraction, const char *count,
                 const char *label)
{
	if (!p->shown)
		return;
	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	int fill = (int)(fraction * BAR_WIDTH);
	struct strbuf text = STRBUF_INIT;
	sb_addf(&text, " %s", count);
	if (label && *label) {
		int pending = 0;
		sb_addc(&text, ' ');
		termout_show(&text, label, strlen(label), &pending);
		termout_show(&text, "", 0, &pending);
	}
	/* what, " [", the bar, "]" and the text fit the width: the text is cut
	 * (whole characters) so that the carriage return finds the line's start */
	size_t cols = term_cols(), fixed = strlen(p->what) + 3 + BAR_WIDTH;
	size_t room = cols - 1 > fixed ? cols - 1 - fixed : 0;
	if (text.len > room) {
		size_t cut = room;
		while (cut > 0 && ((unsigned char)text.buf[cut] & 0xc0) == 0x80)
			cut--;
		text.len = cut;
		text.buf[cut] = '\0';
	}
	struct strbuf sb = STRBUF_INIT;
	sb_addf(&sb, "\r%s [%s", p->what, p->color ? "\033[32m" : "");
	for (int i = 0; i < BAR_WIDTH; i++)
		sb_addc(&sb, i < fill ? '=' : i == fill && fill < BAR_WIDTH ? '>' : ' ');
	sb_addf(&sb, "%s]%s\033[K", p->color ? "\033[0m" : "", sb_str(&text));
	write_all(STDERR_FILENO, sb_str(&sb), sb.len);
	p->drawn = true;
	sb_free(&sb);
	sb_free(&text);
}

void progress_update(struct progress_line *p, uint64_t done, uint64_t total,
                     const char *label)
{
	char count[48];
	if (total)
		snprintf(count, sizeof count, "%llu/%llu", (unsigned long long)done,
		         (unsigned long long)total);
	else
		snprintf(count, sizeof count, "%llu", (unsigned long long)done);
	draw(p, total ? (double)done / (double)total : 0, count, label);
}

void progress_fraction(struct progress_line *p, double fraction, const char *label)
{
	char count[16];
	snprintf(count, sizeof count, "%3d%%", (int)(fraction * 100 + 0.5));
	draw(p, fraction, count, label);
}

void progress_clear(struct progress_line *p)
{
	if (!p->drawn)
		return;
	write_all(STDERR_FILENO, "\r\033[K", 4);
	p->drawn = false;
}
