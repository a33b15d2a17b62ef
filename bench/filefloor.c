/* bench/filefloor: the least work a tool can do that answers from a cache
 * of a history only after making sure that no revision file changed: start
 * (a dynamically linked C program, as retort is), list the versions
 * directory, and stat each of its files. It prints nothing.
 *
 *   filefloor DIR
 *
 * bench/run times it beside retort and Alembic on an Alembic project, so
 * that the report can say how much of retort's time is this floor. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: filefloor DIR\n");
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		perror(argv[1]);
		return 1;
	}
	int dfd = dirfd(d);
	unsigned long files = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (fstatat(dfd, e->d_name, &st, 0) == 0 && S_ISREG(st.st_mode))
			files++;
	}
	closedir(d);
	return files ? 0 : 1;
}
