/* pq.h: libpq, loaded with dlopen the first time PostgreSQL is used.
 *
 * retort is not linked against libpq: the library and the twenty or so
 * it needs (TLS, Kerberos, LDAP, …) would cost every command a few
 * milliseconds of start-up, SQLite-only ones included. pq_load opens it
 * (RETORT_LIBPQ names another file) and fills the table `pq` with the
 * functions below; libpq-fe.h is included for its types and constants.
 * Call sites read pq.PQexec(...) and run only after pq_load succeeded:
 * every connection is opened through it, so a PGcancel that a signal
 * handler hands to pq.PQcancel implies a filled table. */
#ifndef RT_PQ_H
#define RT_PQ_H

#include <libpq-fe.h>

/* The file opened, and the Debian package that provides it. */
#define PQ_LIBRARY "libpq.so.5"
#define PQ_PACKAGE "libpq5"

#define PQ_FUNCTIONS(X) \
	X(PQcancel) \
	X(PQclear) \
	X(PQcmdStatus) \
	X(PQcmdTuples) \
	X(PQconnectdbParams) \
	X(PQconninfoFree) \
	X(PQconninfoParse) \
	X(PQconsumeInput) \
	X(PQerrorMessage) \
	X(PQfinish) \
	X(PQfreeCancel) \
	X(PQfreemem) \
	X(PQgetCancel) \
	X(PQgetCopyData) \
	X(PQgetResult) \
	X(PQgetisnull) \
	X(PQgetvalue) \
	X(PQisBusy) \
	X(PQnfields) \
	X(PQntuples) \
	X(PQputCopyEnd) \
	X(PQreset) \
	X(PQresultErrorField) \
	X(PQresultErrorMessage) \
	X(PQresultStatus) \
	X(PQsendQuery) \
	X(PQsendQueryParams) \
	X(PQserverVersion) \
	X(PQsetNoticeReceiver) \
	X(PQsocket) \
	X(PQstatus) \
	X(PQtransactionStatus)

struct pq_api {
#define PQ_MEMBER(name) __typeof__(name) *name;
	PQ_FUNCTIONS(PQ_MEMBER)
#undef PQ_MEMBER
};

/* All NULL until pq_load succeeds; never emptied after. */
extern struct pq_api pq;

/* Loads libpq and fills pq, once (later calls return at once). RT_OK,
 * or RT_EDB with a message that names the library and the package; the
 * table is then left as it was, and a later call tries again. */
int pq_load(char **err);

#endif
