/*
 * pcf watch [--interval SECONDS] [--metrics-addr HOST:PORT] [NAME...]:
 * keep the selected particles converged.
 *
 * A round is exactly apply's converge (pcf_cli_apply_converge on a session
 * built from the same context, so --yes, --allow-replace, --strict,
 * --timeout and --parallel mean what they mean to apply: nothing is
 * deleted without --yes). After a round the loop sleeps until the next
 * interval, measured from the start of the previous round, and converges
 * again whatever drifted meanwhile.
 *
 * Signals: SIGINT and SIGTERM stop the watch. Between rounds that is
 * immediate; during a round apply's own handlers cancel the engine, which
 * stops every particle before its next mutating call or wait (a request in
 * flight completes), and the watch exits 0: a clean stop. SIGHUP reloads
 * the definitions after the current round; a reload that fails (problems
 * printed as file:line:col, or a NAME no longer defined) keeps the
 * definitions in use. The handlers only set flags and write to a pipe that
 * the sleeping loop polls, which is all a handler may safely do.
 *
 * One DynamoDB client serves every round and reload, so its request count
 * is the process's; it has no run deadline (the --timeout of each round
 * bounds that round's waits in the engine instead).
 */
#include "src/cli/watch_log.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_INTERVAL_S 60.0
#define MAX_INTERVAL_S     (24.0 * 3600)

struct watch_args {
	long interval_ms;
	const char *metrics_addr; /* NULL: no metrics endpoint */
	char **names;
	size_t count;
};

struct watch {
	const pcf_cli_context *ctx;
	struct watch_args args;
	pcf_cli_metrics metrics;
	pcf_services *services;
	pcf_cli_session session;
	pcf_cli_metrics_server *server;
	uint64_t round;
	pcf_cli_watch_round previous;
	pthread_mutex_t busy_lock;
	const char **busy; /* particles changed so far this round (ids the definitions own) */
	size_t busy_count;
	size_t busy_capacity;
};

static volatile sig_atomic_t stop_asked, reload_asked;
static int wake_pipe[2] = {-1, -1};

static void wake(void)
{
	int saved = errno;
	ssize_t n = write(wake_pipe[1], "x", 1);

	(void)n; /* a full pipe already holds a wake-up */
	errno = saved;
}

static void on_stop(int sig)
{
	(void)sig;
	stop_asked = 1;
	wake();
}

static void on_reload(int sig)
{
	(void)sig;
	reload_asked = 1;
	wake();
}

/* Installs the watch's handlers (saving the old ones in old[3]) or, with install 0, restores. */
static void handle_signals(struct sigaction *old, int install)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	for (size_t k = 0; k < 3; k++) {
		if (!install) {
			sigaction(sigs[k], &old[k], NULL);
			continue;
		}
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = sigs[k] == SIGHUP ? on_reload : on_stop;
		sigemptyset(&sa.sa_mask);
		sigaction(sigs[k], &sa, &old[k]);
	}
}

static int open_wake_pipe(void)
{
	if (pipe(wake_pipe) != 0)
		return -1;
	for (int k = 0; k < 2; k++) {
		fcntl(wake_pipe[k], F_SETFL, O_NONBLOCK);
		fcntl(wake_pipe[k], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

static void close_wake_pipe(void)
{
	for (int k = 0; k < 2; k++) {
		if (wake_pipe[k] >= 0)
			close(wake_pipe[k]);
		wake_pipe[k] = -1;
	}
}

static int parse_interval(const pcf_cli_context *ctx, const char *text, long *out_ms)
{
	char *end = NULL;
	double seconds;

	errno = 0;
	seconds = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(seconds) || seconds < 0.1 ||
	    seconds > MAX_INTERVAL_S)
		return pcf_cli_usage_error(ctx,
		                           "--interval: expected a number of seconds from 0.1 to "
		                           "%.0f, found '%s'",
		                           MAX_INTERVAL_S, text);
	*out_ms = (long)ceil(seconds * 1000.0);
	return PCF_CLI_EXIT_OK;
}

/* --interval and --metrics-addr; the rest are names. An exit status. */
static int parse_args(struct watch_args *a, const pcf_cli_context *ctx, int argc, char **argv)
{
	const char *value = NULL;
	int taken;

	memset(a, 0, sizeof(*a));
	a->interval_ms = (long)(DEFAULT_INTERVAL_S * 1000);
	a->names = argv + 1;
	for (int i = 1; i < argc; i++) {
		taken = pcf_cli_take_option(ctx, "--interval", &i, argc, argv, &value);
		if (taken > 0 && parse_interval(ctx, value, &a->interval_ms) != PCF_CLI_EXIT_OK)
			return PCF_CLI_EXIT_ERROR;
		if (!taken) {
			taken = pcf_cli_take_option(ctx, "--metrics-addr", &i, argc, argv, &value);
			if (taken > 0)
				a->metrics_addr = value;
		}
		if (taken < 0)
			return PCF_CLI_EXIT_ERROR;
		if (taken)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
		argv[1 + a->count++] = argv[i];
	}
	return PCF_CLI_EXIT_OK;
}

/* The particle's name without its "flavor:" prefix. */
static const char *short_name(const char *id)
{
	const char *colon = id ? strchr(id, ':') : NULL;

	return colon ? colon + 1 : id ? id : "?";
}

/* Counts id among this round's busy particles the first time it changes. */
static void mark_busy(struct watch *w, const char *id)
{
	pthread_mutex_lock(&w->busy_lock);
	for (size_t k = 0; k < w->busy_count; k++) {
		if (!strcmp(w->busy[k], id)) {
			pthread_mutex_unlock(&w->busy_lock);
			return;
		}
	}
	if (pcf_util_grow((void **)&w->busy, &w->busy_capacity, w->busy_count, sizeof(*w->busy)) ==
	    0) {
		w->busy[w->busy_count++] = id;
		pcf_cli_metrics_add_busy(&w->metrics, 1);
	}
	pthread_mutex_unlock(&w->busy_lock);
}

/* The engine's events, from its workers: every change is logged as it starts. */
static void on_event(const pcf_event *ev, void *payload)
{
	struct watch *w = payload;
	cJSON *line;

	if (ev->kind != PCF_EVENT_ACTION || !ev->particle)
		return;
	mark_busy(w, ev->particle);
	line = pcf_cli_watch_event_json("change");
	if (line) {
		cJSON_AddNumberToObject(line, "round", (double)w->round);
		cJSON_AddStringToObject(line, "particle", short_name(ev->particle));
		cJSON_AddStringToObject(line, "action", ev->detail ? ev->detail : "");
	}
	pcf_cli_watch_say(w->ctx, line, 1, "%s: %s", short_name(ev->particle),
	                  ev->detail ? ev->detail : "changing");
}

/* Adds one particle's outcome to the round's counts. */
static void count_outcome(pcf_cli_watch_round *r, const pcf_particle_report *p)
{
	r->changes += (long)p->action_count;
	switch (p->outcome) {
	case PCF_OUTCOME_CONVERGED:
		if (p->action_count)
			r->repaired++;
		else if (p->drift.count)
			r->drifted++;
		else
			r->in_sync++;
		break;
	case PCF_OUTCOME_IN_SYNC:
	case PCF_OUTCOME_CHANGES:
	case PCF_OUTCOME_KEPT:
		r->in_sync++;
		break;
	case PCF_OUTCOME_REFUSED:
		r->drifted++;
		break;
	case PCF_OUTCOME_TIMED_OUT:
		r->converging++;
		break;
	case PCF_OUTCOME_FAILED:
	case PCF_OUTCOME_SKIPPED:
	case PCF_OUTCOME_CANCELLED:
		r->failed++;
		break;
	}
}

/* Why each particle that did not converge did not, as one line each. */
static void say_problems(const struct watch *w, const pcf_run_report *report)
{
	for (size_t k = 0; k < report->count; k++) {
		const pcf_particle_report *p = &report->particles[k];
		const char *name = p->def ? p->def->name : "?";
		cJSON *line;

		if (!p->error.code)
			continue;
		line = pcf_cli_watch_event_json("problem");
		if (line) {
			cJSON_AddNumberToObject(line, "round", (double)w->round);
			cJSON_AddStringToObject(line, "particle", name);
			cJSON_AddStringToObject(line, "outcome", pcf_outcome_name(p->outcome));
			cJSON_AddItemToObject(line, "error", pcf_cli_error_json(&p->error));
		}
		pcf_cli_watch_say(w->ctx, line, 1, "%s: %s: %s", name, pcf_outcome_name(p->outcome),
		                  p->error.message[0] ? p->error.message
		                                      : pcf_error_code_describe(p->error.code));
	}
}

/* One converge of the selection; returns 1 when a signal interrupted it. */
static int run_round(struct watch *w)
{
	pcf_run_report *report = NULL;
	pcf_error err = PCF_ERROR_INIT;
	pcf_cli_watch_round r;
	double started = pcf_cli_watch_unix_now(), seconds;
	int64_t t0 = pcf_util_now_ms();
	int interrupted = 0, noteworthy;

	memset(&r, 0, sizeof(r));
	w->round++;
	w->busy_count = 0;
	pcf_cli_apply_converge(&report, &w->session, &interrupted, &err);
	seconds = (double)(pcf_util_now_ms() - t0) / 1000.0;
	if (!report) {
		r.failed = 1;
		pcf_cli_error(w->ctx, &err, "round %llu", (unsigned long long)w->round);
	}
	for (size_t k = 0; report && k < report->count; k++)
		count_outcome(&r, &report->particles[k]);
	pcf_cli_metrics_round(&w->metrics, &r, started, seconds);
	/* A round like the one before, with nothing done, is not news: text logs stay quiet. */
	noteworthy = w->round == 1 || r.changes || w->ctx->verbosity > 0 ||
	             memcmp(&r, &w->previous, sizeof(r)) != 0;
	if (report && noteworthy)
		say_problems(w, report);
	pcf_cli_watch_say_round(w->ctx, w->round, &r, seconds, noteworthy);
	w->previous = r;
	pcf_run_report_free(report);
	return interrupted;
}

/* Sleeps until due_ms (pcf_util_now_ms's clock) or a signal's wake-up. */
static void wait_until(int64_t due_ms)
{
	struct pollfd pfd = {wake_pipe[0], POLLIN, 0};
	char drain[64];

	while (!stop_asked && !reload_asked) {
		int64_t left = due_ms - pcf_util_now_ms();

		if (left <= 0)
			return;
		if (poll(&pfd, 1, left > 60000 ? 60000 : (int)left) > 0)
			while (read(wake_pipe[0], drain, sizeof(drain)) > 0)
				;
	}
}

/* SIGHUP: the definitions again; the old ones stay when the new ones fail. */
static void reload(struct watch *w)
{
	pcf_cli_session fresh;
	cJSON *line = pcf_cli_watch_event_json("reload");
	pcf_cli_record *record = w->ctx->record;

	if (pcf_cli_session_open_on(&fresh, w->ctx, w->args.names, w->args.count, w->services,
	                            on_event, w) != 0) {
		pcf_cli_metrics_reload(&w->metrics, 0);
		if (line) {
			cJSON_AddBoolToObject(line, "ok", 0);
			cJSON_AddStringToObject(line, "error",
			                        record && record->message
			                            ? record->message
			                            : "the definitions did not load");
			if (record && record->problems)
				cJSON_AddItemReferenceToObject(line, "problems", record->problems);
		}
		pcf_cli_watch_say(w->ctx, line, 1,
		                  "reload failed (see above); still watching the definitions "
		                  "loaded before");
		/* The next failure is recorded afresh, not behind this one. */
		if (record) {
			int emitted = record->json_emitted;

			pcf_cli_record_cleanup(record);
			record->json_emitted = emitted;
		}
		return;
	}
	pcf_cli_session_close(&w->session);
	w->session = fresh;
	pcf_cli_metrics_reload(&w->metrics, 1);
	if (line) {
		cJSON_AddBoolToObject(line, "ok", 1);
		cJSON_AddNumberToObject(line, "particles", (double)fresh.defs->count);
	}
	pcf_cli_watch_say(w->ctx, line, 1, "reloaded the definitions (%zu particle%s)",
	                  fresh.defs->count, fresh.defs->count == 1 ? "" : "s");
}

/* The client of every round: the context's transport, counted, with no run deadline. */
static int open_services(struct watch *w)
{
	pcf_aws_options options;
	pcf_error err = PCF_ERROR_INIT;

	pcf_cli_aws_options(&options, w->ctx);
	options.deadline_us = 0;
	options.on_request = pcf_cli_metrics_count_request;
	options.payload = &w->metrics;
	if (pcf_services_new(&w->services, &options, &err) != 0)
		return pcf_cli_error(w->ctx, &err, "setting up the DynamoDB client");
	return 0;
}

/* Everything the loop needs, in order; an exit status. */
static int start(struct watch *w)
{
	cJSON *line;

	/* The endpoint first: a bad address is refused before anything is read or sent. */
	if (w->args.metrics_addr) {
		if (pcf_cli_metrics_server_start(&w->server, w->ctx, w->args.metrics_addr,
		                                 &w->metrics) != 0)
			return PCF_CLI_EXIT_ERROR;
		line = pcf_cli_watch_event_json("listening");
		if (line)
			cJSON_AddStringToObject(line, "metrics_url",
			                        pcf_cli_metrics_server_url(w->server));
		pcf_cli_watch_say(w->ctx, line, 1, "serving metrics on %s",
		                  pcf_cli_metrics_server_url(w->server));
	}
	if (open_services(w) != 0)
		return PCF_CLI_EXIT_ERROR;
	if (pcf_cli_session_open_on(&w->session, w->ctx, w->args.names, w->args.count, w->services,
	                            on_event, w) != 0)
		return PCF_CLI_EXIT_ERROR;
	return PCF_CLI_EXIT_OK;
}

static void loop(struct watch *w)
{
	for (;;) {
		int64_t started = pcf_util_now_ms();

		if (stop_asked || run_round(w))
			break;
		wait_until(started + w->args.interval_ms);
		if (stop_asked)
			break;
		if (reload_asked) {
			reload_asked = 0;
			reload(w);
		}
	}
}

int pcf_cli_watch(const pcf_cli_context *ctx, int argc, char **argv)
{
	struct sigaction old[3];
	struct watch w;
	int exit_code;

	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	if (parse_args(&w.args, ctx, argc, argv) != PCF_CLI_EXIT_OK)
		return PCF_CLI_EXIT_ERROR;
	if (pcf_cli_metrics_init(&w.metrics) != 0 || pthread_mutex_init(&w.busy_lock, NULL) != 0 ||
	    open_wake_pipe() != 0)
		return pcf_cli_fail(ctx, "out of resources: %s", strerror(errno));
	stop_asked = reload_asked = 0;
	handle_signals(old, 1);
	exit_code = start(&w);
	if (exit_code == PCF_CLI_EXIT_OK) {
		loop(&w);
		pcf_cli_watch_say(ctx, pcf_cli_watch_event_json("stopped"), 1,
		                  "stopped after %llu round%s", (unsigned long long)w.round,
		                  w.round == 1 ? "" : "s");
	}
	pcf_cli_metrics_server_stop(w.server);
	pcf_cli_session_close(&w.session);
	pcf_services_free(w.services);
	handle_signals(old, 0);
	close_wake_pipe();
	free(w.busy);
	pthread_mutex_destroy(&w.busy_lock);
	pcf_cli_metrics_cleanup(&w.metrics);
	return exit_code;
}
