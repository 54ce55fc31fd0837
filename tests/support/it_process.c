#include "it_process.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <criterion/criterion.h>

int it_signal_and_collect(cli_process *p, int sig, cli_buf *out, cli_buf *err)
{
	cli_buf o = {NULL, 0}, e = {NULL, 0};
	int wstatus = 0;

	cr_assert_eq(kill(p->pid, sig), 0);
	cli_drain(p->out_fd, p->err_fd, &o, &e);
	while (waitpid(p->pid, &wstatus, 0) < 0)
		;
	if (o.len)
		cli_buf_append(out, o.data, o.len);
	if (e.len)
		cli_buf_append(err, e.data, e.len);
	free(o.data);
	free(e.data);
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}
