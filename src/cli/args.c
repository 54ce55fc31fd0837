/*
 * Argument parsing for pcf.
 *
 * One pass over argv separates the global options (DESIGN.md's synopsis,
 * plus --yes and --allow-replace) from the command's own words. Global
 * options may come before or after the command word, as users type them
 * both ways; the command's own value-taking options are declared in the
 * command table so that their values are never mistaken for an operand
 * or a global option. Anything else that looks like an option after the
 * command is handed to the command, which reports it if unknown. Values
 * are checked here (numbers in range, -o text|json) so every command sees
 * a sane context; each message names the option and what was wrong.
 */
#include "src/aws/endpoint.h"
#include "src/cli/cli.h"
#include "src/common/util.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The longest --timeout accepted: a week, in seconds. */
#define MAX_TIMEOUT_S (7.0 * 24 * 3600)
/* AWS takes at most 500 tables changing at once per account and region. */
#define MAX_PARALLEL 500

static void say(const pcf_cli_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void say(const pcf_cli_context *ctx, const char *fmt, ...)
{
	va_list ap;

	char *text;

	va_start(ap, fmt);
	text = pcf_util_vformat(fmt, ap);
	va_end(ap);
	fprintf(ctx->err, "pcf: %s\n", text ? text : "out of memory");
	pcf_cli_record_message(ctx, "USAGE", text ? text : "out of memory");
	free(text);
}

/* Splits "--name=value" into the name length and the value; 0 when no '='. */
static size_t option_name_len(const char *word, const char **inline_value)
{
	const char *eq = strchr(word, '=');

	*inline_value = NULL;
	if (strncmp(word, "--", 2) != 0 || !eq)
		return strlen(word);
	*inline_value = eq + 1;
	return (size_t)(eq - word);
}

static int name_is(const char *word, size_t len, const char *name)
{
	return strlen(name) == len && strncmp(word, name, len) == 0;
}

static int parse_timeout(const pcf_cli_context *ctx, const char *text, long *out_ms)
{
	char *end = NULL;
	double seconds;

	errno = 0;
	seconds = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(seconds) || seconds <= 0 ||
	    seconds > MAX_TIMEOUT_S) {
		say(ctx,
		    "--timeout: expected a number of seconds above 0 (at most %.0f), found '%s'",
		    MAX_TIMEOUT_S, text);
		return PCF_EINVAL;
	}
	*out_ms = (long)ceil(seconds * 1000.0);
	return 0;
}

/* --lock-lease (above 0) and --lock-timeout (0 allowed): seconds, at most a day. */
static int parse_lock_seconds(const pcf_cli_context *ctx, const char *name, const char *text,
                              int zero_ok, long *out_ms)
{
	char *end = NULL;
	double seconds;

	errno = 0;
	seconds = strtod(text, &end);
	if (errno || end == text || *end || !isfinite(seconds) || seconds < 0 ||
	    (!zero_ok && seconds == 0) || seconds > 86400) {
		say(ctx, "%s: expected a number of seconds %s 0 (at most 86400), found '%s'", name,
		    zero_ok ? "from" : "above", text);
		return PCF_EINVAL;
	}
	*out_ms = (long)ceil(seconds * 1000.0);
	return 0;
}

static int parse_parallel(const pcf_cli_context *ctx, const char *text, int *out)
{
	long n;

	if (pcf_util_parse_long(&n, text, 1, MAX_PARALLEL) != 0) {
		say(ctx, "--parallel: expected a whole number from 1 to %d, found '%s'",
		    MAX_PARALLEL, text);
		return PCF_EINVAL;
	}
	*out = (int)n;
	return 0;
}

static int parse_format(const pcf_cli_context *ctx, const char *text, pcf_cli_format *out)
{
	if (!strcmp(text, "text")) {
		*out = PCF_CLI_FORMAT_TEXT;
		return 0;
	}
	if (!strcmp(text, "json")) {
		*out = PCF_CLI_FORMAT_JSON;
		return 0;
	}
	say(ctx, "-o: expected 'text' or 'json', found '%s'", text);
	return PCF_EINVAL;
}

/*
 * A malformed --endpoint is refused here, before definitions are read or
 * anything is sent, with the transport's own parser so that what passes
 * here is what the transport accepts.
 */
static int check_endpoint(pcf_cli_context *ctx, const char *value)
{
	pcf_aws_endpoint endpoint;
	pcf_error err = PCF_ERROR_INIT;

	if (pcf_aws_endpoint_parse(&endpoint, value, &err) != 0) {
		say(ctx, "--endpoint: %s", err.message);
		return PCF_EINVAL;
	}
	pcf_aws_endpoint_cleanup(&endpoint);
	ctx->endpoint = value;
	return 0;
}

/* A DynamoDB table name, so that a bad --lock-table fails here, naming the option. */
static int check_lock_table(pcf_cli_context *ctx, const char *value)
{
	size_t len = strlen(value);

	if (len < 3 || len > 255 ||
	    strspn(value, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
	        len) {
		say(ctx,
		    "--lock-table: expected a table name of 3 to 255 characters from a-z A-Z 0-9 "
		    "_ . -, found '%s'",
		    value);
		return PCF_EINVAL;
	}
	ctx->lock_table = value;
	return 0;
}

/* Global options that are plain flags. Returns 1 when word was one. */
static int take_flag(pcf_cli_context *ctx, pcf_cli_args *args, const char *word)
{
	if (!strcmp(word, "-h") || !strcmp(word, "--help"))
		args->help = 1;
	else if (!strcmp(word, "--version") || !strcmp(word, "-V"))
		args->version = 1;
	else if (!strcmp(word, "-q") || !strcmp(word, "--quiet"))
		ctx->verbosity = -1;
	else if (!strcmp(word, "-v") || !strcmp(word, "--verbose"))
		ctx->verbosity = (ctx->verbosity < 0 ? 0 : ctx->verbosity) + 1;
	else if (!strcmp(word, "-vv"))
		ctx->verbosity = (ctx->verbosity < 0 ? 0 : ctx->verbosity) + 2;
	else if (!strcmp(word, "-y") || !strcmp(word, "--yes"))
		ctx->yes = 1;
	else if (!strcmp(word, "--allow-replace"))
		ctx->allow_replace = 1;
	else if (!strcmp(word, "--strict"))
		ctx->strict = 1;
	else
		return 0;
	return 1;
}

/* Stores the value of a value-taking global option. */
static int apply_value(pcf_cli_context *ctx, const char *name, const char *value)
{
	if (!strcmp(name, "-f")) {
		if (ctx->path_count == PCF_CLI_MAX_PATHS) {
			say(ctx, "-f: at most %d paths may be given", PCF_CLI_MAX_PATHS);
			return PCF_EINVAL;
		}
		if (!*value) {
			say(ctx, "-f: expected a file or directory, found an empty string");
			return PCF_EINVAL;
		}
		ctx->paths[ctx->path_count++] = value;
		return 0;
	}
	if (!strcmp(name, "-o"))
		return parse_format(ctx, value, &ctx->format);
	if (!strcmp(name, "--timeout"))
		return parse_timeout(ctx, value, &ctx->timeout_ms);
	if (!strcmp(name, "--parallel"))
		return parse_parallel(ctx, value, &ctx->parallel);
	if (!strcmp(name, "--lock-lease"))
		return parse_lock_seconds(ctx, name, value, 0, &ctx->lock_lease_ms);
	if (!strcmp(name, "--lock-timeout"))
		return parse_lock_seconds(ctx, name, value, 1, &ctx->lock_timeout_ms);
	if (!*value) {
		say(ctx, "%s: expected a value, found an empty string", name);
		return PCF_EINVAL;
	}
	if (!strcmp(name, "--endpoint"))
		return check_endpoint(ctx, value);
	if (!strcmp(name, "--region"))
		ctx->region = value;
	else if (!strcmp(name, "--lock-table"))
		return check_lock_table(ctx, value);
	else
		ctx->profile = value;
	return 0;
}

/*
 * The canonical name of a value-taking global option ("-f" for "--file"),
 * or NULL. Short options may carry their value glued on ("-fpcf.yml").
 */
static const char *value_option(const char *word, size_t len, const char **glued)
{
	static const char *const longs[][2] = {
	    {"--file", "-f"},
	    {"--output", "-o"},
	    {"--endpoint", "--endpoint"},
	    {"--region", "--region"},
	    {"--profile", "--profile"},
	    {"--timeout", "--timeout"},
	    {"-t", "--timeout"}, /* PCF's spelling */
	    {"--parallel", "--parallel"},
	    {"--lock-table", "--lock-table"},
	    {"--lock-lease", "--lock-lease"},
	    {"--lock-timeout", "--lock-timeout"},
	};
	size_t k;

	*glued = NULL;
	for (k = 0; k < sizeof(longs) / sizeof(longs[0]); k++)
		if (name_is(word, len, longs[k][0]))
			return longs[k][1];
	if (word[0] == '-' && (word[1] == 'f' || word[1] == 'o')) {
		if (word[2])
			*glued = word + 2;
		return word[1] == 'f' ? "-f" : "-o";
	}
	return NULL;
}

static int is_command_value_option(const pcf_cli_command *cmd, const char *word, size_t len)
{
	const char *const *opt;

	if (!cmd || !cmd->value_options)
		return 0;
	for (opt = cmd->value_options; *opt; opt++)
		if (name_is(word, len, *opt))
			return 1;
	return 0;
}

static int push_word(pcf_cli_args *args, char *word)
{
	char **grown = realloc(args->argv, sizeof(*grown) * (size_t)(args->argc + 2));

	if (!grown)
		return PCF_ENOMEM;
	args->argv = grown;
	args->argv[args->argc++] = word;
	args->argv[args->argc] = NULL;
	return 0;
}

static int set_command(const pcf_cli_context *ctx, pcf_cli_args *args, const pcf_cli_command *table,
                       size_t count, char *word)
{
	size_t k;

	for (k = 0; k < count; k++) {
		if (!strcmp(table[k].name, word)) {
			args->command = &table[k];
			return push_word(args, word);
		}
	}
	say(ctx, "unknown command '%s'; run 'pcf --help' for the list", word);
	return PCF_EINVAL;
}

/* One option word at argv[*i]; may consume the next word as its value. */
static int take_option(pcf_cli_context *ctx, pcf_cli_args *args, int *i, int argc, char **argv)
{
	char *word = argv[*i];
	const char *inline_value, *glued, *canon;
	size_t len = option_name_len(word, &inline_value);

	if (!inline_value && take_flag(ctx, args, word))
		return 0;
	canon = value_option(word, len, &glued);
	if (canon) {
		const char *value = inline_value ? inline_value : glued;

		if (!value) {
			if (*i + 1 >= argc) {
				say(ctx, "%.*s: expected a value after it", (int)len, word);
				return PCF_EINVAL;
			}
			value = argv[++*i];
		}
		return apply_value(ctx, canon, value);
	}
	if (!args->command) {
		say(ctx, "unknown option '%s'; run 'pcf --help' for the options", word);
		return PCF_EINVAL;
	}
	if (is_command_value_option(args->command, word, len) && !inline_value && *i + 1 < argc) {
		int rc = push_word(args, word);

		return rc ? rc : push_word(args, argv[++*i]);
	}
	return push_word(args, word);
}

int pcf_cli_args_parse(pcf_cli_context *ctx, pcf_cli_args *args, const pcf_cli_command *table,
                       size_t count, int argc, char **argv)
{
	int i, rc = 0, only_operands = 0;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < argc && rc == 0; i++) {
		char *word = argv[i];

		if (!only_operands && !strcmp(word, "--")) {
			only_operands = 1;
		} else if (!only_operands && word[0] == '-' && word[1]) {
			rc = take_option(ctx, args, &i, argc, argv);
		} else if (!args->command) {
			rc = set_command(ctx, args, table, count, word);
		} else {
			rc = push_word(args, word);
		}
	}
	if (rc == PCF_ENOMEM)
		say(ctx, "out of memory");
	if (rc)
		pcf_cli_args_cleanup(args);
	return rc;
}

void pcf_cli_args_cleanup(pcf_cli_args *args)
{
	if (!args)
		return;
	free(args->argv);
	memset(args, 0, sizeof(*args));
}

int pcf_cli_take_option(const pcf_cli_context *ctx, const char *name, int *i, int argc, char **argv,
                        const char **value)
{
	const char *word = argv[*i];
	size_t len = strlen(name);

	if (strncmp(word, name, len) != 0)
		return 0;
	if (word[len] == '=') {
		*value = word + len + 1;
		return 1;
	}
	if (word[len] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		pcf_cli_usage_error(ctx, "%s: expected a value after it", name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int pcf_cli_usage_error(const pcf_cli_context *ctx, const char *fmt, ...)
{
	va_list ap;
	const char *cmd = ctx->command ? ctx->command : "";
	char *text;

	va_start(ap, fmt);
	text = pcf_util_vformat(fmt, ap);
	va_end(ap);
	fprintf(ctx->err, "pcf %s: %s; see 'pcf %s --help'\n", cmd, text ? text : "", cmd);
	pcf_cli_record_message(ctx, "USAGE", text ? text : "usage error");
	free(text);
	return PCF_CLI_EXIT_ERROR;
}
