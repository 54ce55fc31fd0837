/*
 * The counters of pcf watch in Prometheus' text format: every family has
 * its HELP and TYPE, the particle gauge has one sample per state, counters
 * add up over rounds, requests are counted from the client's callback, and
 * a round in progress shows the particles it is changing as converging.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "src/cli/watch.h"

static pcf_cli_metrics m;

static void setup(void)
{
	cr_assert_eq(pcf_cli_metrics_init(&m), 0);
}

static void teardown(void)
{
	pcf_cli_metrics_cleanup(&m);
}

TestSuite(watch_metrics, .init = setup, .fini = teardown);

/* The rendered exposition of the metrics now; free with pcf_buf_cleanup. */
static void render(pcf_buf *out)
{
	pcf_cli_metrics_values v;

	pcf_buf empty = PCF_BUF_INIT;

	pcf_cli_metrics_snapshot(&v, &m);
	*out = empty;
	pcf_cli_metrics_render(out, &v);
	cr_assert(!pcf_buf_failed(out));
}

static void expect_line(const pcf_buf *text, const char *line)
{
	char wanted[256];

	snprintf(wanted, sizeof(wanted), "\n%s\n", line);
	cr_assert_not_null(strstr(text->data, wanted), "no line '%s' in:\n%s", line, text->data);
}

/* Every line of the NULL-terminated list stands whole in the text. */
static void expect_lines(const pcf_buf *text, const char *const *lines)
{
	for (size_t i = 0; lines[i] != NULL; i++)
		expect_line(text, lines[i]);
}

Test(watch_metrics, starts_at_zero_with_help_and_type)
{
	pcf_buf text;

	render(&text);
	cr_assert_eq(strncmp(text.data, "# HELP pcf_watch_particles ", 27), 0, "%s", text.data);
	expect_lines(&text,
	             (const char *const[]){"# TYPE pcf_watch_particles gauge",
	                                   "pcf_watch_particles{state=\"in_sync\"} 0",
	                                   "pcf_watch_particles{state=\"failed\"} 0",
	                                   "# TYPE pcf_watch_rounds_total counter",
	                                   "pcf_watch_rounds_total 0", "pcf_watch_requests_total 0",
	                                   "pcf_watch_reloads_total{result=\"failed\"} 0", NULL});
	cr_assert_eq(text.data[text.len - 1], '\n');
	pcf_buf_cleanup(&text);
}

Test(watch_metrics, rounds_set_the_gauges_and_add_to_the_counters)
{
	pcf_cli_watch_round one = {.in_sync = 1, .repaired = 2, .changes = 3};
	pcf_cli_watch_round two = {.in_sync = 2, .drifted = 1, .converging = 1, .failed = 4};
	pcf_buf text;

	pcf_cli_metrics_round(&m, &one, 1800000000.0, 0.5);
	pcf_cli_metrics_round(&m, &two, 1800000060.0, 1.25);
	pcf_cli_metrics_reload(&m, 1);
	pcf_cli_metrics_reload(&m, 0);
	pcf_cli_metrics_reload(&m, 0);
	render(&text);
	expect_lines(&text,
	             (const char *const[]){"pcf_watch_particles{state=\"in_sync\"} 2",
	                                   "pcf_watch_particles{state=\"drifted\"} 1",
	                                   "pcf_watch_particles{state=\"converging\"} 1",
	                                   "pcf_watch_particles{state=\"failed\"} 4",
	                                   "pcf_watch_rounds_total 2", "pcf_watch_changes_total 3",
	                                   "pcf_watch_repairs_total 2",
	                                   "pcf_watch_reloads_total{result=\"ok\"} 1",
	                                   "pcf_watch_reloads_total{result=\"failed\"} 2",
	                                   "pcf_watch_last_run_timestamp_seconds 1800000060.000000",
	                                   "pcf_watch_last_run_duration_seconds 1.250000", NULL});
	pcf_buf_cleanup(&text);
}

Test(watch_metrics, counts_requests_and_failed_ones)
{
	pcf_aws_request_info ok = {.action = "DescribeTable", .http_status = 200, .attempts = 1};
	pcf_aws_request_info bad = {.action = "DescribeTable", .code = PCF_ENOTFOUND};
	pcf_buf text;

	pcf_cli_metrics_count_request(&ok, &m);
	pcf_cli_metrics_count_request(&ok, &m);
	pcf_cli_metrics_count_request(&bad, &m);
	render(&text);
	expect_lines(&text, (const char *const[]){"pcf_watch_requests_total 3",
	                                          "pcf_watch_request_errors_total 1", NULL});
	pcf_buf_cleanup(&text);
}

Test(watch_metrics, a_round_in_progress_shows_what_it_changes)
{
	pcf_cli_watch_round done = {.in_sync = 3};
	pcf_buf text;

	pcf_cli_metrics_add_busy(&m, 1);
	pcf_cli_metrics_add_busy(&m, 1);
	render(&text);
	expect_line(&text, "pcf_watch_particles{state=\"converging\"} 2");
	pcf_buf_cleanup(&text);

	pcf_cli_metrics_round(&m, &done, 1800000000.0, 0.1);
	render(&text);
	expect_lines(&text,
	             (const char *const[]){"pcf_watch_particles{state=\"converging\"} 0",
	                                   "pcf_watch_particles{state=\"in_sync\"} 3", NULL});
	pcf_buf_cleanup(&text);
}
