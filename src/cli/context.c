/*
 * The context commands share: logging, transport options, definitions,
 * services, error messages, and the engine session of plan/apply/status.
 *
 * Everything a command needs from the library is made here from the
 * parsed options, so that the flags mean the same thing in every command.
 * Where the user gave no flag the library resolves the environment itself
 * (endpoint, region, profile, credentials), which keeps one resolution
 * order for the CLI and for C programs linking libpcf.
 */
#include "src/cli/cli.h"
#include "src/common/buf.h"
#include "src/common/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void pcf_cli_context_finish(pcf_cli_context *ctx)
{
	const char *no_color = getenv("NO_COLOR");
	int err_tty = isatty(fileno(ctx->err));
	int out_tty = isatty(fileno(ctx->out));

	/* https://no-color.org: any non-empty value turns colour off. */
	ctx->color =
	    (!no_color || !no_color[0]) && out_tty && err_tty && ctx->format == PCF_CLI_FORMAT_TEXT;
	ctx->progress = err_tty && ctx->verbosity >= 0;
}

static const char *level_name(pcf_log_level level)
{
	switch (level) {
	case PCF_LOG_ERROR:
		return "error";
	case PCF_LOG_WARN:
		return "warning";
	case PCF_LOG_INFO:
		return "info";
	case PCF_LOG_DEBUG:
		return "debug";
	case PCF_LOG_TRACE:
		return "trace";
	}
	return "log";
}

static void log_line(pcf_log_level level, const char *line, void *payload)
{
	const pcf_cli_context *ctx = payload;

	/* Erase a progress line first so that the log line stands alone. */
	fprintf(ctx->err, "%spcf: %s: %s\n", ctx->progress ? "\r\033[K" : "", level_name(level),
	        line);
}

pcf_logger pcf_cli_logger(const pcf_cli_context *ctx)
{
	pcf_logger logger = PCF_LOGGER_INIT;

	logger.fn = log_line;
	logger.payload = (void *)ctx;
	if (ctx->verbosity < 0)
		logger.level = PCF_LOG_ERROR;
	else if (ctx->verbosity == 0)
		logger.level = PCF_LOG_WARN;
	else if (ctx->verbosity == 1)
		logger.level = PCF_LOG_DEBUG;
	else
		logger.level = PCF_LOG_TRACE;
	return logger;
}

/* The run's deadline for the transport: --timeout (else the engine's 1800 s) from the start. */
static uint64_t deadline_us(const pcf_cli_context *ctx)
{
	long ms = ctx->timeout_ms > 0 ? ctx->timeout_ms : 1800000;

	return ctx->started_us + (uint64_t)ms * 1000u;
}

void pcf_cli_aws_options(pcf_aws_options *out, const pcf_cli_context *ctx)
{
	pcf_aws_options defaults = PCF_AWS_OPTIONS_INIT;

	*out = defaults;
	out->endpoint = ctx->endpoint;
	out->region = ctx->region;
	out->profile = ctx->profile;
	out->logger = pcf_cli_logger(ctx);
	/* --timeout bounds the HTTP layer too: every attempt and backoff ends by then. */
	out->deadline_us = ctx->started_us ? deadline_us(ctx) : 0;
}

const pcf_flavor *const *pcf_cli_flavors(size_t *count)
{
	return pcf_particles_flavors(count);
}

int pcf_cli_normalize(pcf_definitions *defs, const pcf_flavor *const *flavors, size_t count,
                      pcf_diags *diags)
{
	pcf_error err = PCF_ERROR_INIT;
	int rc = pcf_engine_normalize(defs, flavors, count, &err);

	if (rc < 0)
		pcf_diags_add(diags, NULL, 0, 0, "%s", err.message);
	return rc;
}

int pcf_cli_check_definitions(const pcf_definitions *defs, const pcf_cli_context *ctx,
                              pcf_diags *diags)
{
	pcf_engine_options options = PCF_ENGINE_OPTIONS_INIT;
	pcf_services *services = NULL;
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	/* Services only resolve the run's region here (no client, no request),
	 * so that a table left to that region and the same one named in it
	 * are seen as one. */
	if ((rc = pcf_cli_services_new(&services, ctx, &err)) < 0) {
		pcf_diags_add(diags, NULL, 0, 0, "%s", err.message);
		return rc;
	}
	options.flavors = pcf_cli_flavors(&options.flavor_count);
	options.services = services;
	rc = pcf_engine_validate_with(defs, &options, diags);
	pcf_services_free(services);
	return rc;
}

int pcf_cli_load_definitions(pcf_definitions **out, const pcf_cli_context *ctx)
{
	pcf_definitions *defs = NULL;
	pcf_diags diags;
	size_t flavor_count = 0;
	const pcf_flavor *const *flavors = pcf_cli_flavors(&flavor_count);
	int rc;

	*out = NULL;
	pcf_diags_init(&diags);
	rc = pcf_definitions_load(&defs, ctx->paths, ctx->path_count, &diags);
	if (rc == 0)
		rc = pcf_cli_normalize(defs, flavors, flavor_count, &diags);
	if (rc == 0)
		rc = pcf_cli_check_definitions(defs, ctx, &diags);
	if (diags.count)
		pcf_diags_print(&diags, ctx->err);
	if (rc) {
		pcf_cli_record_problems(ctx, &diags);
		if (diags.count)
			pcf_cli_record_message(ctx, pcf_error_code_name(rc),
			                       "the definitions have problems; see \"problems\"");
		if (!diags.count)
			pcf_cli_fail(ctx, "the definitions could not be loaded: %s",
			             pcf_error_code_describe(rc));
		else
			pcf_cli_fail(ctx, "%zu problem%s in the definitions", diags.count,
			             diags.count == 1 ? "" : "s");
		pcf_definitions_free(defs);
	} else {
		*out = defs;
	}
	pcf_diags_cleanup(&diags);
	return rc;
}

int pcf_cli_services_new(pcf_services **out, const pcf_cli_context *ctx, pcf_error *err)
{
	pcf_aws_options options;

	pcf_cli_aws_options(&options, ctx);
	return pcf_services_new(out, &options, err);
}

int pcf_cli_ddb_new(pcf_ddb **out, const pcf_cli_context *ctx, const char *region, pcf_error *err)
{
	pcf_aws_options options;

	pcf_cli_aws_options(&options, ctx);
	if (region)
		options.region = region;
	return pcf_ddb_new(out, &options, err);
}

const char *pcf_cli_table_name(const pcf_particle_def *def)
{
	return def ? pcf_util_json_str(def->aws_resource, "TableName") : NULL;
}

/* Prints "pcf COMMAND: text" on ctx->err and records it for -o json. */
static void print_message(const pcf_cli_context *ctx, const char *code, const char *text)
{
	const char *cmd = ctx->command;

	fprintf(ctx->err, "%s%spcf%s%s: ", ctx->progress ? "\r\033[K" : "",
	        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RED), cmd ? " " : "", cmd ? cmd : "");
	fputs(pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET), ctx->err);
	fprintf(ctx->err, "%s\n", text ? text : "out of memory");
	pcf_cli_record_message(ctx, code, text ? text : "out of memory");
}

int pcf_cli_error(const pcf_cli_context *ctx, const pcf_error *err, const char *what_fmt, ...)
{
	pcf_buf b = PCF_BUF_INIT;
	va_list ap;
	char *what;
	int details = 0;

	if (what_fmt) {
		va_start(ap, what_fmt);
		what = pcf_util_vformat(what_fmt, ap);
		va_end(ap);
		pcf_buf_printf(&b, "%s: ", what ? what : "");
		free(what);
	}
	if (!err || !err->code) {
		pcf_buf_puts(&b, "failed");
	} else {
		pcf_buf_puts(&b,
		             err->message[0] ? err->message : pcf_error_code_describe(err->code));
		if (err->aws_type[0])
			pcf_buf_printf(&b, "%s%s", details++ ? ", " : " [", err->aws_type);
		if (err->http_status)
			pcf_buf_printf(&b, "%sHTTP %ld", details++ ? ", " : " [", err->http_status);
		if (err->request_id[0])
			pcf_buf_printf(&b, "%srequest id %s", details++ ? ", " : " [",
			               err->request_id);
		if (details)
			pcf_buf_putc(&b, ']');
	}
	if (ctx->record && !ctx->record->message && err)
		ctx->record->detail = *err;
	print_message(ctx, err && err->code ? pcf_error_code_name(err->code) : "ERROR",
	              pcf_buf_failed(&b) ? NULL : b.data);
	pcf_buf_cleanup(&b);
	return PCF_CLI_EXIT_ERROR;
}

int pcf_cli_fail(const pcf_cli_context *ctx, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = pcf_util_vformat(fmt, ap);
	va_end(ap);
	print_message(ctx, "ERROR", text);
	free(text);
	return PCF_CLI_EXIT_ERROR;
}

static int open_engine(pcf_cli_session *s, const pcf_cli_context *ctx, pcf_event_fn on_event,
                       void *payload, pcf_error *err)
{
	pcf_engine_options options = PCF_ENGINE_OPTIONS_INIT;
	size_t count = 0;

	options.flavors = pcf_cli_flavors(&count);
	options.flavor_count = count;
	options.services = s->services;
	options.parallel = ctx->parallel;
	options.timeout_ms = ctx->timeout_ms;
	options.allow_replace = ctx->allow_replace;
	options.yes = ctx->yes;
	options.strict = ctx->strict;
	options.logger = pcf_cli_logger(ctx);
	options.on_event = on_event;
	options.payload = payload;
	if (pcf_cli_lock_attach(s, ctx, &options, err) != 0)
		return err->code;
	return pcf_engine_new(&s->engine, s->defs, &options, err);
}

/* The engine and selection of a session whose definitions and services are in place. */
static int start_engine(pcf_cli_session *s, const pcf_cli_context *ctx, char *const *names,
                        size_t count, pcf_event_fn on_event, void *payload)
{
	pcf_error err = PCF_ERROR_INIT;

	if (open_engine(s, ctx, on_event, payload, &err) != 0)
		return pcf_cli_error(ctx, &err, "starting the engine");
	if (pcf_engine_select(s->engine, (const char *const *)names, count, &err) != 0)
		return pcf_cli_error(ctx, &err, "selecting particles");
	return 0;
}

int pcf_cli_session_open(pcf_cli_session *s, const pcf_cli_context *ctx, char *const *names,
                         size_t count)
{
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	memset(s, 0, sizeof(*s));
	if (pcf_cli_load_definitions(&s->defs, ctx) != 0)
		return PCF_CLI_EXIT_ERROR;
	rc = pcf_cli_services_new(&s->services, ctx, &err);
	if (rc) {
		pcf_cli_error(ctx, &err, "setting up the DynamoDB client");
		goto fail;
	}
	if (pcf_cli_progress_new(&s->progress, ctx) != 0) {
		pcf_cli_fail(ctx, "out of memory");
		goto fail;
	}
	if (start_engine(s, ctx, names, count, pcf_cli_progress_event, s->progress) != 0)
		goto fail;
	return 0;
fail:
	pcf_cli_session_close(s);
	return PCF_CLI_EXIT_ERROR;
}

int pcf_cli_session_open_on(pcf_cli_session *s, const pcf_cli_context *ctx, char *const *names,
                            size_t count, pcf_services *services, pcf_event_fn on_event,
                            void *payload)
{
	memset(s, 0, sizeof(*s));
	if (pcf_cli_load_definitions(&s->defs, ctx) != 0)
		return PCF_CLI_EXIT_ERROR;
	s->services = services;
	s->borrowed_services = 1;
	if (start_engine(s, ctx, names, count, on_event, payload) != 0) {
		pcf_cli_session_close(s);
		return PCF_CLI_EXIT_ERROR;
	}
	return 0;
}

void pcf_cli_session_close(pcf_cli_session *s)
{
	if (!s)
		return;
	pcf_engine_free(s->engine);
	/* After the engine: releases what a cancelled run still holds. */
	pcf_lock_client_free(s->locks);
	pcf_ddb_free(s->lock_db);
	pcf_cli_progress_free(s->progress);
	if (!s->borrowed_services)
		pcf_services_free(s->services);
	pcf_definitions_free(s->defs);
	memset(s, 0, sizeof(*s));
}
