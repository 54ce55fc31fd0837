/*
 * Progress while the engine works, on stderr.
 *
 * The engine reports events from its worker threads; this turns them into
 * lines a person can follow. Every action (CreateTable, UpdateTable, ...)
 * gets a line of its own as it starts, so a log shows what was done and
 * when. On a terminal, waiting is shown on one status line that is
 * redrawn in place ("waiting for orders (CREATING) 12s") and erased before
 * any other line is written; off a terminal waits are only logged with
 * -v, so CI logs do not fill with ticks. -q silences all of it. A mutex
 * keeps lines from different workers whole.
 */
#include "src/cli/cli.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct pcf_cli_progress {
	const pcf_cli_context *ctx;
	pthread_mutex_t lock;
	int status_line_shown; /* a transient line is on the terminal */
};

int pcf_cli_progress_new(pcf_cli_progress **out, const pcf_cli_context *ctx)
{
	pcf_cli_progress *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return PCF_ENOMEM;
	if (pthread_mutex_init(&p->lock, NULL) != 0) {
		free(p);
		return PCF_ENOMEM;
	}
	p->ctx = ctx;
	*out = p;
	return 0;
}

/* The particle's name without its "flavor:" prefix. */
static const char *short_name(const char *id)
{
	const char *colon = id ? strchr(id, ':') : NULL;

	if (!id)
		return "?";
	return colon ? colon + 1 : id;
}

static void clear_status_line(pcf_cli_progress *p)
{
	if (p->status_line_shown) {
		fputs("\r\033[K", p->ctx->err);
		p->status_line_shown = 0;
	}
}

static void print_action(pcf_cli_progress *p, const pcf_event *ev)
{
	const pcf_cli_context *ctx = p->ctx;

	clear_status_line(p);
	fprintf(ctx->err, "%s%s:%s %s\n", pcf_cli_color_code(ctx, PCF_CLI_COLOR_CYAN),
	        short_name(ev->particle), pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET),
	        ev->detail ? ev->detail : "working");
}

static void print_waiting(pcf_cli_progress *p, const pcf_event *ev)
{
	const pcf_cli_context *ctx = p->ctx;
	const char *what = ev->detail && ev->detail[0] ? ev->detail : pcf_state_name(ev->state);

	if (ctx->progress) {
		fprintf(ctx->err, "\r\033[K%swaiting for %s (%s) %lds%s",
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_DIM), short_name(ev->particle), what,
		        ev->elapsed_ms / 1000, pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET));
		p->status_line_shown = 1;
	} else if (ctx->verbosity > 0) {
		fprintf(ctx->err, "%s: waiting (%s) %lds\n", short_name(ev->particle), what,
		        ev->elapsed_ms / 1000);
	}
}

void pcf_cli_progress_event(const pcf_event *ev, void *payload)
{
	pcf_cli_progress *p = payload;

	if (!p || !ev || p->ctx->verbosity < 0)
		return;
	pthread_mutex_lock(&p->lock);
	switch (ev->kind) {
	case PCF_EVENT_ACTION:
		print_action(p, ev);
		break;
	case PCF_EVENT_WAITING:
		print_waiting(p, ev);
		break;
	case PCF_EVENT_DONE:
		clear_status_line(p);
		break;
	case PCF_EVENT_STATE:
		if (p->ctx->verbosity > 0 && !p->ctx->progress)
			fprintf(p->ctx->err, "%s: %s\n", short_name(ev->particle),
			        pcf_state_name(ev->state));
		break;
	}
	fflush(p->ctx->err);
	pthread_mutex_unlock(&p->lock);
}

void pcf_cli_progress_free(pcf_cli_progress *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	clear_status_line(p);
	fflush(p->ctx->err);
	pthread_mutex_unlock(&p->lock);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
