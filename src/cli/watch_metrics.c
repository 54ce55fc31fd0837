/*
 * The counters of `pcf watch` and their Prometheus text form.
 *
 * Gauges describe the last finished round (so a scrape between rounds sees
 * a whole picture, never half of one), plus how many particles a round in
 * progress is changing right now; counters only grow for the life of the
 * process, as Prometheus expects of *_total series. Every sample is
 * rendered from a snapshot so that the HTTP thread never holds the lock
 * while it writes to a socket.
 */
#include "src/cli/watch.h"

#include <string.h>

int pcf_cli_metrics_init(pcf_cli_metrics *m)
{
	memset(m, 0, sizeof(*m));
	return pthread_mutex_init(&m->lock, NULL) == 0 ? 0 : PCF_ENOMEM;
}

void pcf_cli_metrics_cleanup(pcf_cli_metrics *m)
{
	if (m)
		pthread_mutex_destroy(&m->lock);
}

void pcf_cli_metrics_count_request(const pcf_aws_request_info *info, void *payload)
{
	pcf_cli_metrics *m = payload;

	pthread_mutex_lock(&m->lock);
	m->values.requests++;
	if (info->code != 0)
		m->values.request_errors++;
	pthread_mutex_unlock(&m->lock);
}

void pcf_cli_metrics_add_busy(pcf_cli_metrics *m, long delta)
{
	pthread_mutex_lock(&m->lock);
	m->values.busy += delta;
	pthread_mutex_unlock(&m->lock);
}

void pcf_cli_metrics_round(pcf_cli_metrics *m, const pcf_cli_watch_round *round, double unix_s,
                           double duration_s)
{
	pthread_mutex_lock(&m->lock);
	m->values.last = *round;
	m->values.busy = 0;
	m->values.rounds++;
	m->values.changes += (uint64_t)round->changes;
	m->values.repairs += (uint64_t)round->repaired;
	m->values.last_run_unix_s = unix_s;
	m->values.last_run_duration_s = duration_s;
	pthread_mutex_unlock(&m->lock);
}

void pcf_cli_metrics_reload(pcf_cli_metrics *m, int ok)
{
	pthread_mutex_lock(&m->lock);
	if (ok)
		m->values.reloads++;
	else
		m->values.reload_failures++;
	pthread_mutex_unlock(&m->lock);
}

void pcf_cli_metrics_snapshot(pcf_cli_metrics_values *out, pcf_cli_metrics *m)
{
	pthread_mutex_lock(&m->lock);
	*out = m->values;
	pthread_mutex_unlock(&m->lock);
}

static void family(pcf_buf *out, const char *name, const char *type, const char *help)
{
	pcf_buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void counter(pcf_buf *out, const char *name, const char *help, uint64_t value)
{
	family(out, name, "counter", help);
	pcf_buf_printf(out, "%s %llu\n", name, (unsigned long long)value);
}

static void gauge(pcf_buf *out, const char *name, const char *help, double value)
{
	family(out, name, "gauge", help);
	pcf_buf_printf(out, "%s %.6f\n", name, value);
}

static void particles(pcf_buf *out, const pcf_cli_metrics_values *v)
{
	const struct {
		const char *state;
		long value;
	} rows[] = {
	    {"in_sync", v->last.in_sync + v->last.repaired},
	    {"drifted", v->last.drifted},
	    /* A round in progress shows what it is changing; between rounds, what timed out. */
	    {"converging", v->busy > v->last.converging ? v->busy : v->last.converging},
	    {"failed", v->last.failed},
	};

	family(out, "pcf_watch_particles", "gauge",
	       "Selected particles by what the last round left them in.");
	for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
		pcf_buf_printf(out, "pcf_watch_particles{state=\"%s\"} %ld\n", rows[k].state,
		               rows[k].value);
}

void pcf_cli_metrics_render(pcf_buf *out, const pcf_cli_metrics_values *v)
{
	particles(out, v);
	counter(out, "pcf_watch_rounds_total", "Converge rounds finished.", v->rounds);
	counter(out, "pcf_watch_changes_total", "Changes (API actions) made to repair drift.",
	        v->changes);
	counter(out, "pcf_watch_repairs_total", "Particles a round changed and converged.",
	        v->repairs);
	counter(out, "pcf_watch_requests_total", "DynamoDB requests sent, retries counted once.",
	        v->requests);
	counter(out, "pcf_watch_request_errors_total", "DynamoDB requests that failed in the end.",
	        v->request_errors);
	family(out, "pcf_watch_reloads_total", "counter",
	       "Reloads of the definitions on SIGHUP, by result.");
	pcf_buf_printf(out, "pcf_watch_reloads_total{result=\"ok\"} %llu\n",
	               (unsigned long long)v->reloads);
	pcf_buf_printf(out, "pcf_watch_reloads_total{result=\"failed\"} %llu\n",
	               (unsigned long long)v->reload_failures);
	gauge(out, "pcf_watch_last_run_timestamp_seconds",
	      "When the last finished round started (Unix time).", v->last_run_unix_s);
	gauge(out, "pcf_watch_last_run_duration_seconds", "How long the last finished round took.",
	      v->last_run_duration_s);
}
