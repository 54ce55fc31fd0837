/*
 * The lines `pcf watch` prints (watch_log.c): text on stderr, and with
 * -o json one JSON object per line on stdout. Thread-safe.
 */
#ifndef PCF_CLI_WATCH_LOG_H
#define PCF_CLI_WATCH_LOG_H

#include "src/cli/watch.h"
#include "src/common/util.h"

/* The wall clock as Unix seconds, for the last-run metric. */
double pcf_cli_watch_unix_now(void);

/* A new JSON line {"event": event, "time": now}, or NULL when out of memory. */
cJSON *pcf_cli_watch_event_json(const char *event);

/*
 * Says one thing: with text_too (and not -q) the formatted text on
 * ctx->err as "pcf watch: TIME text"; with -o json, line (taken, may be
 * NULL) on ctx->out. line is freed either way.
 */
void pcf_cli_watch_say(const pcf_cli_context *ctx, cJSON *line, int text_too, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The summary of round `number`, which took seconds. */
void pcf_cli_watch_say_round(const pcf_cli_context *ctx, uint64_t number,
                             const pcf_cli_watch_round *round, double seconds, int text_too);

#endif
