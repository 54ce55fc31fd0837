/*
 * pcf apply | run | stop | terminate [NAME...]: converge.
 *
 * apply takes each particle to the desired_state of its definition; run,
 * stop and terminate first override the desired state of the selected
 * particles, as in PCF. The engine does the work (parents first, waits
 * bounded by --timeout, --yes and --allow-replace honoured); this prints
 * progress while it runs and a report when it is done. Exit 0 converged,
 * 1 error or refused, 3 timed out, 130 interrupted.
 *
 * PCF's own spellings are accepted with PCF's meaning: `--state S` (-s)
 * sets the desired state as run/stop/terminate do (on those it may only
 * repeat their own state), and `--cascade` (-c) also acts on the family: a
 * particle being stopped or terminated takes its children (and theirs)
 * with it, children first, as PCF's apply_cascade("child") does; towards
 * running PCF cascades to the parents, which pcf converges first anyway.
 *
 * SIGINT and SIGTERM while it runs cancel the engine: every particle stops
 * after the request in flight, the report shows what was done, and the exit
 * is 130. The handlers reset themselves, so a second Ctrl-C kills at once.
 */
#include "src/cli/cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

/* The command's own options once parsed. */
struct apply_args {
	int desired; /* the state to set, or -1: each definition's own */
	int cascade;
	char **names;
	size_t count;
};

/* The engine (and lock waits) the signal handler cancels; set only while apply runs. */
static pcf_engine *volatile cancel_target;
static pcf_lock_client *volatile cancel_locks;
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
	pcf_engine_cancel(cancel_target);
	pcf_lock_client_cancel(cancel_locks);
}

/* Installs (old != NULL: saving the previous) or restores the handlers. */
static void catch_signals(pcf_engine *engine, pcf_lock_client *locks, struct sigaction *old)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = (int)SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	cancel_target = engine;
	cancel_locks = locks;
	interrupted = 0;
	sigaction(SIGINT, &sa, &old[0]);
	sigaction(SIGTERM, &sa, &old[1]);
}

static void release_signals(const struct sigaction *old)
{
	sigaction(SIGINT, &old[0], NULL);
	sigaction(SIGTERM, &old[1], NULL);
	cancel_target = NULL;
	cancel_locks = NULL;
}

/* The state a verb asks for, or -1 for apply (each definition's own). */
static int verb_state(const char *verb)
{
	if (!strcmp(verb, "run"))
		return PCF_DESIRED_RUNNING;
	if (!strcmp(verb, "stop"))
		return PCF_DESIRED_STOPPED;
	if (!strcmp(verb, "terminate"))
		return PCF_DESIRED_TERMINATED;
	return -1;
}

static int parse_state(int *out, const char *text)
{
	static const char *const names[] = {"running", "stopped", "terminated"};
	static const int states[] = {PCF_DESIRED_RUNNING, PCF_DESIRED_STOPPED,
	                             PCF_DESIRED_TERMINATED};

	for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (!strcmp(text, names[k])) {
			*out = states[k];
			return 0;
		}
	}
	return -1;
}

/* Takes --state/-s and --cascade/-c out of argv; the rest are names. Exit status. */
static int parse_args(struct apply_args *a, const pcf_cli_context *ctx, int argc, char **argv)
{
	const char *value = NULL;
	int verb = verb_state(argv[0]), state, i, taken;

	memset(a, 0, sizeof(*a));
	a->desired = verb;
	a->names = argv + 1;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cascade") || !strcmp(argv[i], "-c")) {
			a->cascade = 1;
			continue;
		}
		taken = pcf_cli_take_option(ctx, "--state", &i, argc, argv, &value);
		if (!taken)
			taken = pcf_cli_take_option(ctx, "-s", &i, argc, argv, &value);
		if (taken < 0)
			return PCF_CLI_EXIT_ERROR;
		if (!taken && argv[i][0] == '-' && argv[i][1])
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
		if (!taken) {
			argv[1 + a->count++] = argv[i];
			continue;
		}
		if (parse_state(&state, value) != 0)
			return pcf_cli_usage_error(
			    ctx, "--state: expected running, stopped or terminated, found '%s'",
			    value);
		if (verb >= 0 && state != verb)
			return pcf_cli_usage_error(ctx,
			                           "--state %s contradicts '%s'; use 'pcf apply "
			                           "--state %s' (or run, stop, terminate)",
			                           value, argv[0], value);
		a->desired = state;
	}
	return PCF_CLI_EXIT_OK;
}

static int desired_of(const pcf_particle_def *def, int desired)
{
	return desired >= 0 ? desired : (int)def->desired_state;
}

/* 1 when one of def's parents is marked and leaving running (so def goes with it). */
static int follows_a_parent(const pcf_definitions *defs, const pcf_particle_def *def,
                            const unsigned char *marked, int desired)
{
	/* PCF leaves a protected child (and its own family) out of a cascading terminate. */
	if (def->persist_on_termination && desired_of(def, desired) == PCF_DESIRED_TERMINATED)
		return 0;
	for (size_t k = 0; k < def->parent_count; k++) {
		const pcf_particle_def *parent = pcf_definitions_find(defs, def->parents[k]);
		size_t j = parent ? (size_t)(parent - defs->particles) : 0;

		if (parent && marked[j] && desired_of(parent, desired) != PCF_DESIRED_RUNNING)
			return 1;
	}
	return 0;
}

/*
 * --cascade: the named particles and every descendant of one that is
 * leaving running, as "flavor:name" selectors in *out (free the array,
 * not the strings, which the definitions own). Returns 0 or PCF_ENOMEM.
 */
static int cascade_selectors(const char ***out, size_t *count, const pcf_definitions *defs,
                             const struct apply_args *a)
{
	unsigned char *marked = calloc(defs->count ? defs->count : 1, 1);
	const char **list = calloc(defs->count ? defs->count : 1, sizeof(*list));
	int grew = 1;

	*out = NULL;
	*count = 0;
	if (!marked || !list) {
		free(marked);
		free(list);
		return PCF_ENOMEM;
	}
	for (size_t k = 0; k < a->count; k++) {
		const pcf_particle_def *def = pcf_definitions_find(defs, a->names[k]);

		if (def)
			marked[def - defs->particles] = 1;
	}
	while (grew) {
		grew = 0;
		for (size_t j = 0; j < defs->count; j++) {
			if (!marked[j] &&
			    follows_a_parent(defs, &defs->particles[j], marked, a->desired))
				marked[j] = grew = 1;
		}
	}
	for (size_t j = 0; j < defs->count; j++)
		if (marked[j])
			list[(*count)++] = defs->particles[j].id;
	free(marked);
	*out = list;
	return 0;
}

/* Widens the session's selection to the family --cascade takes along. */
static int select_cascade(pcf_cli_session *session, const pcf_cli_context *ctx,
                          const struct apply_args *a)
{
	const char **selectors = NULL;
	pcf_error err = PCF_ERROR_INIT;
	size_t count = 0;
	int rc;

	if (!a->cascade || a->count == 0)
		return 0;
	if (cascade_selectors(&selectors, &count, session->defs, a) != 0)
		return pcf_cli_fail(ctx, "out of memory");
	rc = pcf_engine_select(session->engine, selectors, count, &err);
	free(selectors);
	return rc ? pcf_cli_error(ctx, &err, "selecting the cascade") : 0;
}

int pcf_cli_apply_converge(pcf_run_report **out, pcf_cli_session *session, int *was_interrupted,
                           pcf_error *err)
{
	struct sigaction old[2];
	int rc;

	catch_signals(session->engine, session->locks, old);
	rc = pcf_engine_apply(out, session->engine, err);
	release_signals(old);
	*was_interrupted = interrupted;
	return rc;
}

static int print_report(const pcf_cli_context *ctx, const pcf_run_report *report, int desired)
{
	if (ctx->format == PCF_CLI_FORMAT_JSON)
		return pcf_cli_json_emit_take(
		    ctx, pcf_cli_report_json(report, PCF_CLI_REPORT_APPLY, desired));
	pcf_cli_report_text(ctx, report, PCF_CLI_REPORT_APPLY, desired);
	return 0;
}

int pcf_cli_apply(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_cli_session session;
	pcf_run_report *report = NULL;
	pcf_error err = PCF_ERROR_INIT;
	struct apply_args a;
	int desired, rc, exit_code, was_interrupted;

	if (parse_args(&a, ctx, argc, argv) != PCF_CLI_EXIT_OK)
		return PCF_CLI_EXIT_ERROR;
	desired = a.desired;
	if (pcf_cli_session_open(&session, ctx, a.names, a.count) != 0)
		return PCF_CLI_EXIT_ERROR;
	if (select_cascade(&session, ctx, &a) != 0) {
		pcf_cli_session_close(&session);
		return PCF_CLI_EXIT_ERROR;
	}
	if (desired >= 0)
		pcf_engine_set_desired(session.engine, (pcf_desired_state)desired);
	rc = pcf_cli_apply_converge(&report, &session, &was_interrupted, &err);
	pcf_cli_progress_free(session.progress);
	session.progress = NULL;
	if (!report) {
		exit_code = pcf_cli_error(ctx, &err, "%s", argv[0]);
		if (rc == PCF_ETIMEDOUT)
			exit_code = PCF_CLI_EXIT_TIMEOUT;
		if (rc == PCF_ELOCKED || rc == PCF_ELOCK_LOST)
			exit_code = PCF_CLI_EXIT_LOCKED;
		goto out;
	}
	exit_code = pcf_cli_report_exit(report, PCF_CLI_REPORT_APPLY, rc);
	if (was_interrupted)
		exit_code = PCF_CLI_EXIT_CANCELLED;
	if (print_report(ctx, report, desired) != 0)
		exit_code = pcf_cli_fail(ctx, "could not write the JSON output");
	if (exit_code == PCF_CLI_EXIT_CANCELLED)
		pcf_cli_fail(ctx, "interrupted: stopped after the request in flight (the report "
		                  "above shows what was done); rerun to continue");
	else if (exit_code == PCF_CLI_EXIT_TIMEOUT)
		pcf_cli_fail(ctx, "timed out waiting; rerun to continue, or raise --timeout");
	else if (exit_code == PCF_CLI_EXIT_LOCKED)
		pcf_cli_fail(ctx,
		             "some particles are locked by another run (see 'pcf locks'); rerun "
		             "later, or wait with --lock-timeout");
	else if (exit_code != PCF_CLI_EXIT_OK)
		pcf_cli_fail(ctx, "not every particle reached its desired state");
out:
	pcf_run_report_free(report);
	pcf_cli_session_close(&session);
	return exit_code;
}
