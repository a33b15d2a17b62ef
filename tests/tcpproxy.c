/* tcpproxy: forwards TCP connections from a port on 127.0.0.1 to another
 * port on 127.0.0.1, for the fault tests. Stopping it (SIGSTOP) looks to
 * both ends like a network that stopped carrying packets: the kernel still
 * accepts and acknowledges, nothing arrives. SIGCONT resumes it; killing
 * it closes every connection.
 *
 *   tcpproxy TARGET_PORT [LIFETIME_SECONDS]
 *
 * Prints the port it listens on, then serves until killed, or until the
 * lifetime (default 120 s) ends, so that a test that dies leaves nothing
 * running for long. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PAIRS 32

static int pairs[MAX_PAIRS][2];
static int npairs;

static int connect_to(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

static void drop(int i)
{
	close(pairs[i][0]);
	close(pairs[i][1]);
	pairs[i][0] = pairs[--npairs][0];
	pairs[i][1] = pairs[npairs][1];
}

/* Copies what from has to to; false at the end of either. */
static int pump(int from, int to)
{
	char buf[65536];
	ssize_t n = read(from, buf, sizeof buf);
	if (n <= 0)
		return 0;
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(to, buf + off, (size_t)(n - off));
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 0;
		off += w;
	}
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: tcpproxy TARGET_PORT [LIFETIME_SECONDS]\n");
		return 2;
	}
	int target = atoi(argv[1]);
	alarm(argc == 3 ? (unsigned)atoi(argv[2]) : 120);

	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 16) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &len) != 0) {
		perror("tcpproxy");
		return 1;
	}
	printf("%d\n", ntohs(a.sin_port));
	fflush(stdout);

	for (;;) {
		struct pollfd p[1 + 2 * MAX_PAIRS];
		p[0].fd = lfd;
		p[0].events = POLLIN;
		for (int i = 0; i < npairs; i++)
			for (int k = 0; k < 2; k++) {
				p[1 + 2 * i + k].fd = pairs[i][k];
				p[1 + 2 * i + k].events = POLLIN;
			}
		int n = poll(p, (nfds_t)(1 + 2 * npairs), -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("tcpproxy: poll");
			return 1;
		}
		/* pairs first (indices shift when one is dropped), newest last */
		for (int i = npairs - 1; i >= 0; i--) {
			for (int k = 0; k < 2; k++) {
				short ev = p[1 + 2 * i + k].revents;
				if (ev && !pump(pairs[i][k], pairs[i][1 - k])) {
					drop(i);
					break;
				}
			}
		}
		if (p[0].revents & POLLIN) {
			int c = accept(lfd, NULL, NULL);
			if (c < 0)
				continue;
			int s = npairs < MAX_PAIRS ? connect_to(target) : -1;
			if (s < 0) {
				close(c);
				continue;
			}
			pairs[npairs][0] = c;
			pairs[npairs][1] = s;
			npairs++;
		}
	}
}
