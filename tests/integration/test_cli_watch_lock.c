/*
 * pcf watch with --lock-table, through the pcf binary, against a dynalite
 * of the suite's own that holds tables CREATING and UPDATING for seconds,
 * so that a watcher still holds a table's lock while the other one's next
 * round (every second) reaches that table.
 *
 * Covered: two watchers on the same definitions never both change a table
 * (each watcher talks through its own counting proxy, and every create and
 * every repair of a drift goes out exactly once in all), they share the
 * work or one is refused, and the locks are released between rounds;
 * SIGTERM to a watcher in the middle of a change leaves no lock held; a
 * watcher whose particle is locked by another holder says "locked by ..."
 * and keeps watching the others, then takes the particle over once it is
 * free; with --lock-timeout, a particle waiting for its lock holds up no
 * other particle, and SIGTERM ends the wait and the watch with exit 0.
 */
#include "cli_run.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pcf/pcf.h>

#include "fault_proxy.h"
#include "it_holding.h"
#include "it_process.h"
#include "servers.h"

#define CREATE_MS 4000
#define UPDATE_MS 2000
/* How long a test waits for a condition it expects, in seconds: a loaded machine is slow. */
#define PATIENCE_S 90.0
#define TABLES     3

static void up(void)
{
	it_holding_up(CREATE_MS, UPDATE_MS);
}

TestSuite(cli_watch_lock, .init = up, .fini = it_holding_down, .timeout = 600);

/* A watch process, the proxy it talks through (or none) and what it printed. */
typedef struct watcher {
	pcf_fault_proxy *proxy;
	cli_process p;
	cli_buf err;
	cli_buf out;
	int status;
	int exited;
} watcher;

/* One test's files and names: TABLES tables in one definitions file, a lock table. */
typedef struct watch_case {
	char dir[256];
	char path[600];
	char tables[TABLES][96];
	char locks[96];
	pcf_ddb *db; /* straight to the server: the out-of-band client */
} watch_case;

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void case_init(watch_case *wc)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	char yaml[4096];
	size_t used = 0;

	memset(wc, 0, sizeof(*wc));
	cli_tempdir(wc->dir, sizeof(wc->dir));
	pcf_test_table_name(wc->locks, sizeof(wc->locks), "wlocks");
	for (int k = 0; k < TABLES; k++) {
		pcf_test_table_name(wc->tables[k], sizeof(wc->tables[k]), "watched");
		used += (size_t)snprintf(yaml + used, sizeof(yaml) - used,
		                         "%spcf_name: t%d\nflavor: dynamodb_table\naws_resource:\n"
		                         "  TableName: %s\n" CLI_TABLE_KEY
		                         "  BillingMode: PROVISIONED\n"
		                         "  ProvisionedThroughput: {ReadCapacityUnits: 5, "
		                         "WriteCapacityUnits: 5}\n",
		                         k ? "---\n" : "", k, wc->tables[k]);
	}
	cli_write(wc->path, sizeof(wc->path), wc->dir, "pcf.yml", yaml);
	o.endpoint = it_holding_endpoint();
	cr_assert_eq(pcf_ddb_new(&wc->db, &o, &err), 0, "%s", err.message);
}

static void case_cleanup(watch_case *wc)
{
	pcf_ddb_free(wc->db);
	cli_rmdir(wc->dir);
}

/* Starts `pcf --endpoint E -f PATH watch --interval 1 --lock-table L [--lock-timeout S]`. */
static void watcher_start_waiting(watcher *w, const watch_case *wc, int proxied,
                                  const char *lock_timeout)
{
	const char *endpoint = it_holding_endpoint();
	char *argv[] = {(char *)PCF_CLI_PATH,
	                "--endpoint",
	                NULL,
	                "-f",
	                (char *)wc->path,
	                "watch",
	                "--interval",
	                "1",
	                "--lock-table",
	                (char *)wc->locks,
	                lock_timeout ? "--lock-timeout" : NULL,
	                (char *)lock_timeout,
	                NULL};

	memset(w, 0, sizeof(*w));
	if (proxied) {
		cr_assert_eq(pcf_fault_proxy_start(&w->proxy, it_holding_endpoint(), 1, 0, 0), 0);
		endpoint = pcf_fault_proxy_url(w->proxy);
	}
	argv[2] = (char *)endpoint;
	cli_start(&w->p, argv);
}

/* The same, through its own counting proxy (proxied 1) or straight to the server. */
static void watcher_start(watcher *w, const watch_case *wc, int proxied)
{
	watcher_start_waiting(w, wc, proxied, NULL);
}

/* Reads what the watcher printed meanwhile, without blocking; notes an exit. */
static void watcher_read(watcher *w)
{
	struct pollfd fds[2] = {{w->p.out_fd, POLLIN, 0}, {w->p.err_fd, POLLIN, 0}};
	char chunk[4096];
	int wstatus;

	while (poll(fds, 2, 0) > 0) {
		ssize_t got = 0;

		for (int k = 0; k < 2; k++) {
			ssize_t n =
			    fds[k].revents & POLLIN ? read(fds[k].fd, chunk, sizeof(chunk)) : 0;

			if (n > 0)
				cli_buf_append(k ? &w->err : &w->out, chunk, (size_t)n);
			got += n > 0 ? n : 0;
		}
		if (!got)
			break;
	}
	if (!w->exited && waitpid(w->p.pid, &wstatus, WNOHANG) == w->p.pid) {
		w->exited = 1;
		w->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
	}
}

/* What a buffer holds, "" when nothing yet. */
static const char *text(const cli_buf *b)
{
	return b->data ? b->data : "";
}

static size_t count_of(const cli_buf *b, const char *needle)
{
	size_t n = 0;

	for (const char *at = b->data; at && (at = strstr(at, needle)) != NULL; at++)
		n++;
	return n;
}

/* Sends sig, collects the rest of the output and the exit status. */
static void watcher_stop(watcher *w, int sig)
{
	if (!w->exited) {
		w->status = it_signal_and_collect(&w->p, sig, &w->out, &w->err);
		w->exited = 1;
	}
}

static void watcher_cleanup(watcher *w)
{
	pcf_fault_proxy_stop(w->proxy);
	free(w->out.data);
	free(w->err.data);
}

/* The table's read units when it is ACTIVE; 0 while it is not; -1 when it does not exist. */
static int active_read_units(const watch_case *wc, const char *table)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *desc = NULL;
	int n = -1;

	if (pcf_ddb_describe_table(&desc, wc->db, table, &err) == 0) {
		const cJSON *units = cJSON_GetObjectItem(
		    cJSON_GetObjectItem(desc, "ProvisionedThroughput"), "ReadCapacityUnits");
		const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(desc, "TableStatus"));

		n = status && !strcmp(status, "ACTIVE") && cJSON_IsNumber(units) ? units->valueint
		                                                                 : 0;
	}
	cJSON_Delete(desc);
	return n;
}

/* Drift made with another client: the table's read units set to units. */
static void set_read_units(const watch_case *wc, const char *table, int units)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *out = NULL, *req;
	char json[256];

	snprintf(json, sizeof(json),
	         "{\"TableName\":\"%s\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":%d,"
	         "\"WriteCapacityUnits\":5}}",
	         table, units);
	req = cJSON_Parse(json);
	cr_assert_eq(pcf_ddb_update_table(&out, wc->db, req, &err), 0, "%s", err.message);
	cJSON_Delete(req);
	cJSON_Delete(out);
}

/* How many locks the lock table holds now (none when it does not exist yet). */
static size_t locks_held(const watch_case *wc)
{
	pcf_lock_options lo = PCF_LOCK_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_info *infos = NULL;
	pcf_lock_client *c;
	size_t count = 0;
	int rc;

	lo.table = wc->locks;
	cr_assert_eq(pcf_lock_client_new(&c, wc->db, &lo, &err), 0, "%s", err.message);
	rc = pcf_lock_list(&infos, &count, c, &err);
	cr_assert(rc == 0 || rc == PCF_ERESOURCE_NOT_FOUND, "listing the locks: %s", err.message);
	pcf_lock_info_free(infos, count);
	pcf_lock_client_free(c);
	return count;
}

/* The mutating requests of one table's converge, by action. */
static const char *const mutating[] = {"CreateTable",
                                       "UpdateTable",
                                       "DeleteTable",
                                       "TagResource",
                                       "UntagResource",
                                       "UpdateTimeToLive",
                                       "UpdateContinuousBackups"};
#define MUTATING_COUNT (sizeof(mutating) / sizeof(mutating[0]))

/* How many requests for action on table w's proxy forwarded. */
static int sent(const watcher *w, const char *action, const char *table)
{
	char needle[128];

	/* "NAME\"" matches "TableName":"NAME" and an ARN ending in table/NAME. */
	snprintf(needle, sizeof(needle), "%s\"", table);
	return pcf_fault_proxy_count(w->proxy, action, needle);
}

static int sent_all(const watcher *w, const char *table)
{
	int n = 0;

	for (size_t k = 0; k < MUTATING_COUNT; k++)
		n += sent(w, mutating[k], table);
	return n;
}

/* Polls until every table reads ACTIVE with units and both watchers sent `updates` UpdateTables for
 * each. */
static void await_converged(watcher *w, const watch_case *wc, int units, int updates)
{
	double t0 = now_s();

	for (;;) {
		int done = 1;

		for (int k = 0; k < TABLES && done; k++)
			done = active_read_units(wc, wc->tables[k]) == units &&
			       sent(&w[0], "UpdateTable", wc->tables[k]) +
			               sent(&w[1], "UpdateTable", wc->tables[k]) >=
			           updates;
		watcher_read(&w[0]);
		watcher_read(&w[1]);
		cr_assert(!w[0].exited && !w[1].exited, "a watcher exited; stderr:\n%s\n---\n%s",
		          text(&w[0].err), text(&w[1].err));
		if (done)
			return;
		cr_assert_lt(now_s() - t0, PATIENCE_S,
		             "not converged to %d read units after %.0f s; stderr:\n%s\n---\n%s",
		             units, PATIENCE_S, text(&w[0].err), text(&w[1].err));
		usleep(100000);
	}
}

/* Lets both watchers run rounds for seconds, reading what they say. */
static void let_run(watcher *w, size_t count, double seconds)
{
	double t0 = now_s();

	while (now_s() - t0 < seconds) {
		for (size_t k = 0; k < count; k++)
			watcher_read(&w[k]);
		usleep(100000);
	}
}

/* Each table got exactly one create and `updates` repairs in all, whoever sent them. */
static void assert_sent_once(watcher *w, const watch_case *wc, int updates)
{
	for (int k = 0; k < TABLES; k++) {
		const char *t = wc->tables[k];
		int creates = sent(&w[0], "CreateTable", t) + sent(&w[1], "CreateTable", t);
		int repairs = sent(&w[0], "UpdateTable", t) + sent(&w[1], "UpdateTable", t);

		cr_expect_eq(creates, 1, "%s: %d CreateTable (watcher a %d, b %d)", t, creates,
		             sent(&w[0], "CreateTable", t), sent(&w[1], "CreateTable", t));
		cr_expect_eq(repairs, updates, "%s: %d UpdateTable for %d drifts (a %d, b %d)", t,
		             repairs, updates, sent(&w[0], "UpdateTable", t),
		             sent(&w[1], "UpdateTable", t));
		cr_expect_eq(sent_all(&w[0], t) + sent_all(&w[1], t), 1 + updates,
		             "%s: mutating requests other than one per change", t);
	}
}

Test(cli_watch_lock, two_watchers_never_both_change_a_table)
{
	watch_case wc;
	watcher w[2];
	size_t refused;
	int drifts = 2, a_total = 0, b_total = 0;
	double t0;

	case_init(&wc);
	watcher_start(&w[0], &wc, 1);
	watcher_start(&w[1], &wc, 1);
	await_converged(w, &wc, 5, 0);
	let_run(w, 2, 3.0); /* a duplicate create would go out meanwhile */
	assert_sent_once(w, &wc, 0);
	for (int d = 1; d <= drifts; d++) {
		for (int k = 0; k < TABLES; k++)
			set_read_units(&wc, wc.tables[k], 7);
		await_converged(w, &wc, 5, d);
		let_run(w, 2, 3.0); /* likewise a duplicate repair */
		assert_sent_once(w, &wc, d);
	}
	/* Shared: both sent changes, or one was refused a lock the other held. */
	for (int k = 0; k < TABLES; k++) {
		a_total += sent_all(&w[0], wc.tables[k]);
		b_total += sent_all(&w[1], wc.tables[k]);
	}
	refused = count_of(&w[0].err, "locked by") + count_of(&w[1].err, "locked by");
	cr_expect((a_total && b_total) || refused,
	          "neither shared nor refused: a sent %d, b %d; stderr:\n%s\n---\n%s", a_total,
	          b_total, text(&w[0].err), text(&w[1].err));
	/* Between rounds neither holds a lock: each is released when its particle is done. */
	t0 = now_s();
	while (locks_held(&wc) != 0) {
		cr_assert_lt(now_s() - t0, PATIENCE_S, "the watchers hold locks between rounds");
		let_run(w, 2, 0.05);
	}
	watcher_stop(&w[0], SIGTERM);
	watcher_stop(&w[1], SIGTERM);
	cr_expect_eq(w[0].status, 0, "stderr:\n%s", text(&w[0].err));
	cr_expect_eq(w[1].status, 0, "stderr:\n%s", text(&w[1].err));
	cr_expect_eq(locks_held(&wc), 0);
	watcher_cleanup(&w[0]);
	watcher_cleanup(&w[1]);
	case_cleanup(&wc);
}

Test(cli_watch_lock, sigterm_in_the_middle_of_a_change_leaves_no_lock_held)
{
	const char *args[] = {"--endpoint", NULL, "--lock-table", NULL, "locks", NULL};
	cli_result r;
	watch_case wc;
	watcher w;
	double t0;

	case_init(&wc);
	watcher_start(&w, &wc, 0);
	/* The first round creates the tables, each held CREATING for seconds under its lock. */
	t0 = now_s();
	while (locks_held(&wc) == 0) {
		cr_assert_lt(now_s() - t0, PATIENCE_S, "no lock taken; stderr:\n%s", text(&w.err));
		watcher_read(&w);
		cr_assert(!w.exited, "the watcher exited; stderr:\n%s", text(&w.err));
		usleep(20000);
	}
	watcher_stop(&w, SIGTERM);
	cr_expect_eq(w.status, 0, "stderr:\n%s", text(&w.err));
	cr_expect_eq(locks_held(&wc), 0, "a lock outlived its watcher; stderr:\n%s", text(&w.err));
	args[1] = it_holding_endpoint();
	args[3] = wc.locks;
	cli_expect(&r, 0, args);
	cr_expect(r.out && strstr(r.out, "no locks held"), "pcf locks printed:\n%s",
	          r.out ? r.out : "");
	cli_result_free(&r);
	watcher_cleanup(&w);
	case_cleanup(&wc);
}

/* Another run holds table's lock, renewing it, until the test releases it; key receives its key. */
static pcf_lock_client *hold_elsewhere(const watch_case *wc, const char *table, char *key,
                                       size_t size)
{
	pcf_lock_options lo = PCF_LOCK_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_client *holder;

	lo.table = wc->locks;
	lo.command = "apply";
	cr_assert_eq(pcf_lock_client_new(&holder, wc->db, &lo, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_lock_ensure_table(holder, 60000, &err), 0, "%s", err.message);
	snprintf(key, size, "us-east-1/%s", table);
	cr_assert_eq(pcf_lock_acquire(holder, key, &err), 0, "%s", err.message);
	return holder;
}

Test(cli_watch_lock, a_particle_locked_elsewhere_is_reported_and_the_rest_watched)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_client *holder;
	char key[160], pid[32];
	watch_case wc;
	watcher w;
	double t0;

	case_init(&wc);
	holder = hold_elsewhere(&wc, wc.tables[0], key, sizeof(key));
	snprintf(pid, sizeof(pid), "pid %ld", (long)getpid());

	watcher_start(&w, &wc, 0);
	t0 = now_s();
	while (active_read_units(&wc, wc.tables[1]) != 5 ||
	       active_read_units(&wc, wc.tables[2]) != 5 || !count_of(&w.err, "locked by")) {
		cr_assert_lt(now_s() - t0, PATIENCE_S, "stderr:\n%s", text(&w.err));
		cr_assert(!w.exited, "the watcher exited; stderr:\n%s", text(&w.err));
		let_run(&w, 1, 0.1);
	}
	cr_expect(strstr(text(&w.err), "t0: failed: locked by") && strstr(text(&w.err), pid),
	          "stderr:\n%s", text(&w.err));
	cr_expect_eq(active_read_units(&wc, wc.tables[0]), -1, "t0 changed under another's lock");
	/* Rounds go on: still running, t0 still untouched. */
	let_run(&w, 1, 3.0);
	cr_assert(!w.exited, "the watcher exited %d; stderr:\n%s", w.status, text(&w.err));
	cr_expect_eq(active_read_units(&wc, wc.tables[0]), -1, "t0 changed under another's lock");

	/* Free again: the watcher's next rounds take it and create the table. */
	cr_assert_eq(pcf_lock_release(holder, key, &err), 0, "%s", err.message);
	t0 = now_s();
	while (active_read_units(&wc, wc.tables[0]) != 5) {
		cr_assert_lt(now_s() - t0, PATIENCE_S, "t0 never created; stderr:\n%s",
		             text(&w.err));
		cr_assert(!w.exited, "the watcher exited; stderr:\n%s", text(&w.err));
		let_run(&w, 1, 0.1);
	}
	watcher_stop(&w, SIGTERM);
	cr_expect_eq(w.status, 0, "stderr:\n%s", text(&w.err));
	pcf_lock_client_free(holder);
	watcher_cleanup(&w);
	case_cleanup(&wc);
}

Test(cli_watch_lock, a_wait_for_a_lock_holds_up_no_other_particle_and_ends_on_sigterm)
{
	pcf_lock_client *holder;
	char key[160];
	watch_case wc;
	watcher w;
	double t0;

	case_init(&wc);
	holder = hold_elsewhere(&wc, wc.tables[0], key, sizeof(key));
	/* t0 waits up to 10 minutes for its lock; t1 and t2 must not wait with it. */
	watcher_start_waiting(&w, &wc, 0, "600");
	t0 = now_s();
	while (active_read_units(&wc, wc.tables[1]) != 5 ||
	       active_read_units(&wc, wc.tables[2]) != 5) {
		cr_assert_lt(now_s() - t0, PATIENCE_S, "t1 and t2 waited with t0; stderr:\n%s",
		             text(&w.err));
		cr_assert(!w.exited, "the watcher exited; stderr:\n%s", text(&w.err));
		let_run(&w, 1, 0.1);
	}
	cr_expect_eq(active_read_units(&wc, wc.tables[0]), -1, "t0 changed under another's lock");
	let_run(&w, 1, 2.0);
	cr_expect_eq(count_of(&w.err, "locked by"), 0, "t0 did not wait; stderr:\n%s",
	             text(&w.err));
	/* Still waiting for t0: SIGTERM ends the wait, and the watch, cleanly. */
	t0 = now_s();
	watcher_stop(&w, SIGTERM);
	cr_expect_eq(w.status, 0, "stderr:\n%s", text(&w.err));
	cr_expect_lt(now_s() - t0, 30.0, "SIGTERM took %.0f s to end a lock wait", now_s() - t0);
	pcf_lock_client_free(holder);
	watcher_cleanup(&w);
	case_cleanup(&wc);
}
