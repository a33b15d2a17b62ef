/* status.h: the closed set of results every engine call returns. */
#ifndef RT_STATUS_H
#define RT_STATUS_H

/* X(name, exit status, description) */
#define RT_STATUS_LIST(X)                                              \
	X(RT_OK, 0, "success")                                             \
	X(RT_EFAIL, 1, "the operation failed")                             \
	X(RT_EFOUND, 1, "problems were found")                             \
	X(RT_EDB, 1, "database error")                                     \
	X(RT_ELOCK, 1, "the migration lock could not be taken")            \
	X(RT_EINTR, 1, "interrupted")                                      \
	X(RT_EINPUT, 2, "bad input")                                       \
	X(RT_EUSAGE, 2, "bad usage")

enum rt_status {
#define RT_X(name, code, text) name,
	RT_STATUS_LIST(RT_X)
#undef RT_X
};

/* Exit status for a status code (0, 1 or 2): the one conversion from a
 * status to an exit code (cli_exit adds the signal that stopped a
 * command). */
int rt_status_exit(enum rt_status status);
const char *rt_status_text(enum rt_status status);

#endif
