/*
 * What `pcf watch` keeps between rounds and serves to Prometheus.
 *
 * The watch loop (cmd_watch.c) runs on the main thread; the engine's
 * workers report requests and events from their own threads; the metrics
 * server (metrics_http.c) reads the counters from a thread of its own. So
 * every counter lives in one pcf_cli_metrics behind one mutex, and the
 * server renders a copy taken under that mutex, never the live values.
 */
#ifndef PCF_CLI_WATCH_H
#define PCF_CLI_WATCH_H

#include <pthread.h>
#include <stdint.h>

#include "src/cli/cli.h"
#include "src/common/buf.h"

/* What one round found, particle by particle (see README, "Watch mode"). */
typedef struct pcf_cli_watch_round {
	long in_sync;  /* at the desired state, nothing done this round */
	long repaired; /* changed this round and converged */
	long drifted; /* drift left: refused (needs --yes / --allow-replace) or persist_on_update */
	long converging; /* a change under way: the round's --timeout ran out while it waited */
	long failed;     /* failed, skipped after a parent failed, or cancelled */
	long changes;    /* actions run */
} pcf_cli_watch_round;

typedef struct pcf_cli_metrics_values {
	pcf_cli_watch_round last; /* the last finished round */
	long busy;                /* particles with a change under way in the current round */
	uint64_t rounds;
	uint64_t changes;  /* actions run, every round */
	uint64_t repairs;  /* particles changed and converged, every round */
	uint64_t requests; /* DynamoDB requests sent (retries count once) */
	uint64_t request_errors;
	uint64_t reloads;
	uint64_t reload_failures;
	double last_run_unix_s;     /* when the last round started, Unix time */
	double last_run_duration_s; /* how long it took */
} pcf_cli_metrics_values;

typedef struct pcf_cli_metrics {
	pthread_mutex_t lock;
	pcf_cli_metrics_values values;
} pcf_cli_metrics;

/* 0 or PCF_ENOMEM (the mutex could not be made). */
int pcf_cli_metrics_init(pcf_cli_metrics *m);
void pcf_cli_metrics_cleanup(pcf_cli_metrics *m);

/* A pcf_aws_request_fn (payload: the metrics) counting every finished request. */
void pcf_cli_metrics_count_request(const pcf_aws_request_info *info, void *payload);

/* Adds to the live count of particles being changed (busy) under the lock. */
void pcf_cli_metrics_add_busy(pcf_cli_metrics *m, long delta);

/* Records a finished round that started at unix_s and took duration_s. */
void pcf_cli_metrics_round(pcf_cli_metrics *m, const pcf_cli_watch_round *round, double unix_s,
                           double duration_s);

/* Counts a reload of the definitions (ok: 1 when it took effect). */
void pcf_cli_metrics_reload(pcf_cli_metrics *m, int ok);

/* A copy of the values, taken under the lock. */
void pcf_cli_metrics_snapshot(pcf_cli_metrics_values *out, pcf_cli_metrics *m);

/* The values in Prometheus' text exposition format (version 0.0.4), appended to out. */
void pcf_cli_metrics_render(pcf_buf *out, const pcf_cli_metrics_values *v);

/* ---- the HTTP endpoint (metrics_http.c) ---- */

typedef struct pcf_cli_metrics_server pcf_cli_metrics_server;

/*
 * Listens on addr ("HOST:PORT", "[IPv6]:PORT"; port 0 picks a free one)
 * and serves GET /metrics from m on a thread of its own until
 * pcf_cli_metrics_server_stop. Any address the user names is bound; one
 * that is not loopback gets a warning on ctx->err, as the endpoint has no
 * authentication. On failure prints why on ctx->err and returns
 * PCF_EINVAL (a bad address) or PCF_EIO (bind, listen, thread).
 */
int pcf_cli_metrics_server_start(pcf_cli_metrics_server **out, const pcf_cli_context *ctx,
                                 const char *addr, pcf_cli_metrics *m);

/* "http://HOST:PORT/metrics" as bound (the port chosen when 0 was asked). */
const char *pcf_cli_metrics_server_url(const pcf_cli_metrics_server *server);

/* Stops the thread, closes the socket and frees server; NULL is fine. */
void pcf_cli_metrics_server_stop(pcf_cli_metrics_server *server);

#endif
