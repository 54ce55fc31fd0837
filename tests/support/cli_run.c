/*
 * Running the built pcf binary from the CLI integration tests (cli_run.h).
 */
#include "cli_run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

void cli_buf_append(cli_buf *b, const char *data, size_t n)
{
	char *grown = realloc(b->data, b->len + n + 1);

	cr_assert_not_null(grown);
	b->data = grown;
	memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void cli_child(int out_fd, int err_fd, char **argv)
{
	int devnull = open("/dev/null", O_RDONLY);

	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out_fd, 1);
	dup2(err_fd, 2);
	execv(argv[0], argv);
	_exit(127);
}

void cli_drain(int out_fd, int err_fd, cli_buf *out, cli_buf *err)
{
	struct pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
	cli_buf *bufs[2] = {out, err};
	int open_count = 2;
	char chunk[4096];

	while (open_count > 0) {
		int k;

		if (poll(fds, 2, -1) < 0) {
			cr_assert_eq(errno, EINTR);
			continue;
		}
		for (k = 0; k < 2; k++) {
			ssize_t n;

			if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(fds[k].fd, chunk, sizeof(chunk));
			if (n > 0) {
				cli_buf_append(bufs[k], chunk, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(fds[k].fd);
				fds[k].fd = -1;
				open_count--;
			}
		}
	}
}

void cli_start(cli_process *p, char **argv)
{
	int out_pipe[2], err_pipe[2];

	cr_assert_eq(pipe(out_pipe), 0);
	cr_assert_eq(pipe(err_pipe), 0);
	p->pid = fork();
	cr_assert_neq(p->pid, -1);
	if (p->pid == 0) {
		close(out_pipe[0]);
		close(err_pipe[0]);
		cli_child(out_pipe[1], err_pipe[1], argv);
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	p->out_fd = out_pipe[0];
	p->err_fd = err_pipe[0];
}

void cli_finish(cli_result *r, cli_process *p)
{
	cli_buf out = {NULL, 0}, err = {NULL, 0};
	int wstatus = 0;

	cli_drain(p->out_fd, p->err_fd, &out, &err);
	while (waitpid(p->pid, &wstatus, 0) < 0)
		cr_assert_eq(errno, EINTR);
	cli_buf_append(&out, "", 0);
	cli_buf_append(&err, "", 0);
	r->out = out.data;
	r->err = err.data;
	r->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}

void cli_run_program(cli_result *r, const char *program, const char *const *args)
{
	char *argv[64];
	int n = 0;
	cli_process p;

	argv[n++] = (char *)program;
	while (*args && n < 63)
		argv[n++] = (char *)*args++;
	argv[n] = NULL;
	cli_start(&p, argv);
	cli_finish(r, &p);
}

void cli_result_free(cli_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}

/* Runs pcf with the NULL-terminated args (without the program name). */
void cli_run(cli_result *r, const char *const *args)
{
	cli_run_program(r, PCF_CLI_PATH, args);
}

/* Runs and checks the exit status, showing both streams when it differs. */
void cli_expect(cli_result *r, int status, const char *const *args)
{
	cli_run(r, args);
	cr_assert_eq(r->status, status,
	             "pcf %s ... exited %d, expected %d\nstdout:\n%s\nstderr:\n%s",
	             args[0] ? args[0] : "", r->status, status, r->out, r->err);
}

/* stdout as the one JSON document it must be; the caller frees it. */
cJSON *cli_json(const cli_result *r)
{
	const char *end = NULL;
	/* The length counts the NUL: cJSON looks for it to refuse trailing text. */
	cJSON *doc = cJSON_ParseWithLengthOpts(r->out, strlen(r->out) + 1, &end, 1);

	cr_assert_not_null(doc, "stdout is not one JSON document:\n%s", r->out);
	return doc;
}

/* A new empty directory under TMPDIR; the caller removes it with cli_rmdir. */
void cli_tempdir(char *buf, size_t size)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(buf, size, "%s/pcf-cli-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(buf));
}

/* Writes dir/name with text; returns the path in path (size bytes). */
void cli_write(char *path, size_t size, const char *dir, const char *name, const char *text)
{
	FILE *f;

	snprintf(path, size, "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

/* Removes the files of a flat directory and the directory. */
void cli_rmdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		char path[2048];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}
