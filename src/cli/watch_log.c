/*
 * What `pcf watch` says while it runs: one line per change, per noteworthy
 * round, per reload.
 *
 * In text, lines go to stderr as "pcf watch: TIME what", TIME in UTC, so a
 * log collector needs no clock of its own. With -o json each line is also
 * one compact JSON object on stdout ({"event":"change"|"round"|"reload"|
 * "listening"|"stopped", "time", ...}), which a pipeline can read as it
 * comes: JSON Lines instead of apply's one document, since watch never
 * ends on its own. Lines come from the engine's workers and the main
 * thread at once, so one mutex keeps each whole.
 */
#include "src/cli/watch_log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void utc_now(char *buf, size_t size)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (!strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm))
		buf[0] = '\0';
}

double pcf_cli_watch_unix_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

cJSON *pcf_cli_watch_event_json(const char *event)
{
	char now[32];
	cJSON *line = cJSON_CreateObject();

	utc_now(now, sizeof(now));
	if (line && (!cJSON_AddStringToObject(line, "event", event) ||
	             !cJSON_AddStringToObject(line, "time", now))) {
		cJSON_Delete(line);
		return NULL;
	}
	return line;
}

/* Writes the JSON line (taking it) on ctx->out; the caller holds the lock. */
static void emit_json(const pcf_cli_context *ctx, cJSON *line)
{
	char *text = line ? cJSON_PrintUnformatted(line) : NULL;

	if (text) {
		fprintf(ctx->out, "%s\n", text);
		fflush(ctx->out);
		/* The lines are the output: main must not add an error document after them. */
		if (ctx->record)
			ctx->record->json_emitted = 1;
	}
	cJSON_free(text);
	cJSON_Delete(line);
}

void pcf_cli_watch_say(const pcf_cli_context *ctx, cJSON *line, int text_too, const char *fmt, ...)
{
	char now[32], *text = NULL;
	va_list ap;

	if (text_too && ctx->verbosity >= 0) {
		va_start(ap, fmt);
		text = pcf_util_vformat(fmt, ap);
		va_end(ap);
	}
	utc_now(now, sizeof(now));
	pthread_mutex_lock(&lock);
	if (text) {
		fprintf(ctx->err, "pcf watch: %s %s\n", now, text);
		fflush(ctx->err);
	}
	if (ctx->format == PCF_CLI_FORMAT_JSON)
		emit_json(ctx, line);
	else
		cJSON_Delete(line);
	pthread_mutex_unlock(&lock);
	free(text);
}

void pcf_cli_watch_say_round(const pcf_cli_context *ctx, uint64_t number,
                             const pcf_cli_watch_round *r, double seconds, int text_too)
{
	cJSON *line = pcf_cli_watch_event_json("round");

	if (line) {
		cJSON_AddNumberToObject(line, "round", (double)number);
		cJSON_AddNumberToObject(line, "duration_s", seconds);
		cJSON_AddNumberToObject(line, "in_sync", (double)(r->in_sync + r->repaired));
		cJSON_AddNumberToObject(line, "repaired", (double)r->repaired);
		cJSON_AddNumberToObject(line, "drifted", (double)r->drifted);
		cJSON_AddNumberToObject(line, "converging", (double)r->converging);
		cJSON_AddNumberToObject(line, "failed", (double)r->failed);
		cJSON_AddNumberToObject(line, "changes", (double)r->changes);
	}
	pcf_cli_watch_say(ctx, line, text_too,
	                  "round %llu: %ld in sync (%ld repaired), %ld drifted, %ld converging, "
	                  "%ld failed, %ld change%s in %.1f s",
	                  (unsigned long long)number, r->in_sync + r->repaired, r->repaired,
	                  r->drifted, r->converging, r->failed, r->changes,
	                  r->changes == 1 ? "" : "s", seconds);
}
