/*
 * Argument parsing: global options before and after the command, values
 * checked with messages that name the option, the command's own options
 * kept whole, and pcf_cli_take_option for the commands.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/cli/cli.h"

static int fake_command(const pcf_cli_context *ctx, int argc, char **argv)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	return 0;
}

static const char *const item_values[] = {"--key", "--item", NULL};

static const pcf_cli_command table[] = {
    {"plan", fake_command, "plan", "help", NULL},
    {"item", fake_command, "item", "help", item_values},
};

static pcf_cli_context ctx;
static pcf_cli_args args;
static char *err_text;
static size_t err_len;

static void setup(void)
{
	memset(&ctx, 0, sizeof(ctx));
	ctx.out = stdout;
	ctx.err = open_memstream(&err_text, &err_len);
	cr_assert_not_null(ctx.err);
}

static void teardown(void)
{
	pcf_cli_args_cleanup(&args);
	fclose(ctx.err);
	free(err_text);
	err_text = NULL;
}

TestSuite(cli_args, .init = setup, .fini = teardown);

/* Parses a NULL-terminated list of words after the program name. */
static int parse_words(char **words)
{
	char *argv[32];
	int argc = 1;

	argv[0] = "pcf";
	while (*words && argc < 31)
		argv[argc++] = *words++;
	argv[argc] = NULL;
	return pcf_cli_args_parse(&ctx, &args, table, 2, argc, argv);
}

static const char *errors(void)
{
	fflush(ctx.err);
	return err_text ? err_text : "";
}

Test(cli_args, global_options_before_and_after_the_command)
{
	char *words[] = {"-f",   "a.yml",  "--region",   "eu-west-1",
	                 "plan", "orders", "--endpoint", "http://127.0.0.1:1",
	                 "-o",   "json",   "users",      NULL};

	cr_assert_eq(parse_words(words), 0, "%s", errors());
	cr_assert_eq(ctx.path_count, 1);
	cr_assert_str_eq(ctx.paths[0], "a.yml");
	cr_assert_str_eq(ctx.region, "eu-west-1");
	cr_assert_str_eq(ctx.endpoint, "http://127.0.0.1:1");
	cr_assert_eq(ctx.format, PCF_CLI_FORMAT_JSON);
	cr_assert_str_eq(args.command->name, "plan");
	cr_assert_eq(args.argc, 3);
	cr_assert_str_eq(args.argv[0], "plan");
	cr_assert_str_eq(args.argv[1], "orders");
	cr_assert_str_eq(args.argv[2], "users");
	cr_assert_null(args.argv[3]);
}

Test(cli_args, every_spelling_of_file_and_output)
{
	char *words[] = {"-fone.yml", "--file",        "two", "--file=three", "-ojson",
	                 "plan",      "--output=text", "-f",  "four",         NULL};

	cr_assert_eq(parse_words(words), 0, "%s", errors());
	cr_assert_eq(ctx.path_count, 4);
	cr_assert_str_eq(ctx.paths[0], "one.yml");
	cr_assert_str_eq(ctx.paths[1], "two");
	cr_assert_str_eq(ctx.paths[2], "three");
	cr_assert_str_eq(ctx.paths[3], "four");
	cr_assert_eq(ctx.format, PCF_CLI_FORMAT_TEXT, "the last -o wins");
}

Test(cli_args, flags_verbosity_yes_and_replace)
{
	char *words[] = {"-v", "plan", "-v", "--yes", "--allow-replace", NULL};

	cr_assert_eq(parse_words(words), 0);
	cr_assert_eq(ctx.verbosity, 2);
	cr_assert_eq(ctx.yes, 1);
	cr_assert_eq(ctx.allow_replace, 1);
}

Test(cli_args, strict_is_a_global_flag)
{
	char *words[] = {"plan", "--strict", NULL};

	cr_assert_eq(parse_words(words), 0, "%s", errors());
	cr_assert_eq(ctx.strict, 1);
}

Test(cli_args, quiet_after_verbose_wins)
{
	char *words[] = {"-vv", "plan", "-q", NULL};

	cr_assert_eq(parse_words(words), 0);
	cr_assert_eq(ctx.verbosity, -1);
}

Test(cli_args, timeout_in_seconds_becomes_milliseconds)
{
	char *words[] = {"plan", "--timeout", "1.5", "--parallel", "4", NULL};

	cr_assert_eq(parse_words(words), 0, "%s", errors());
	cr_assert_eq(ctx.timeout_ms, 1500);
	cr_assert_eq(ctx.parallel, 4);
}

Test(cli_args, bad_timeout_is_named)
{
	char *words[] = {"plan", "--timeout", "soon", NULL};

	cr_assert_eq(parse_words(words), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "--timeout"), "%s", errors());
	cr_assert_not_null(strstr(errors(), "'soon'"), "%s", errors());
}

Test(cli_args, zero_timeout_and_parallel_are_refused)
{
	char *words[] = {"plan", "--timeout", "0", NULL};
	char *words2[] = {"plan", "--parallel", "0", NULL};

	cr_assert_eq(parse_words(words), PCF_EINVAL);
	pcf_cli_args_cleanup(&args);
	cr_assert_eq(parse_words(words2), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "--parallel: expected a whole number"), "%s", errors());
}

Test(cli_args, bad_output_format_is_named)
{
	char *words[] = {"-o", "yaml", "plan", NULL};

	cr_assert_eq(parse_words(words), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "-o: expected 'text' or 'json', found 'yaml'"), "%s",
	                   errors());
}

Test(cli_args, missing_value_is_reported)
{
	char *words[] = {"plan", "--endpoint", NULL};

	cr_assert_eq(parse_words(words), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "--endpoint: expected a value"), "%s", errors());
}

Test(cli_args, unknown_command_is_named)
{
	char *words[] = {"plna", NULL};

	cr_assert_eq(parse_words(words), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "unknown command 'plna'"), "%s", errors());
}

Test(cli_args, unknown_option_before_the_command_is_an_error)
{
	char *words[] = {"--frobnicate", "plan", NULL};

	cr_assert_eq(parse_words(words), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "unknown option '--frobnicate'"), "%s", errors());
}

Test(cli_args, unknown_option_after_the_command_goes_to_the_command)
{
	char *words[] = {"plan", "--frobnicate", NULL};

	cr_assert_eq(parse_words(words), 0);
	cr_assert_eq(args.argc, 2);
	cr_assert_str_eq(args.argv[1], "--frobnicate");
}

Test(cli_args, command_value_options_keep_their_value)
{
	/* "-v" here is the value of --key, not a global flag. */
	char *words[] = {"item", "get", "orders", "--key", "-v", "--item={\"a\":1}", "-q", NULL};

	cr_assert_eq(parse_words(words), 0);
	cr_assert_eq(ctx.verbosity, -1);
	cr_assert_eq(args.argc, 6);
	cr_assert_str_eq(args.argv[3], "--key");
	cr_assert_str_eq(args.argv[4], "-v");
	cr_assert_str_eq(args.argv[5], "--item={\"a\":1}");
}

Test(cli_args, double_dash_ends_options)
{
	char *words[] = {"plan", "--", "-o", NULL};

	cr_assert_eq(parse_words(words), 0);
	cr_assert_eq(ctx.format, PCF_CLI_FORMAT_TEXT);
	cr_assert_eq(args.argc, 2);
	cr_assert_str_eq(args.argv[1], "-o");
}

Test(cli_args, help_and_version_anywhere)
{
	char *words[] = {"plan", "--help", NULL};
	char *words2[] = {"--version", NULL};

	cr_assert_eq(parse_words(words), 0);
	cr_assert_eq(args.help, 1);
	cr_assert_str_eq(args.command->name, "plan");
	pcf_cli_args_cleanup(&args);
	cr_assert_eq(parse_words(words2), 0);
	cr_assert_eq(args.version, 1);
	cr_assert_null(args.command);
}

Test(cli_args, take_option_forms)
{
	char *argv[] = {"item", "--key", "{}", "--key={\"a\":1}", "--keys", "x", "--key", NULL};
	const char *value = NULL;
	int i = 1;

	ctx.command = "item";
	cr_assert_eq(pcf_cli_take_option(&ctx, "--key", &i, 7, argv, &value), 1);
	cr_assert_str_eq(value, "{}");
	cr_assert_eq(i, 2);
	i = 3;
	cr_assert_eq(pcf_cli_take_option(&ctx, "--key", &i, 7, argv, &value), 1);
	cr_assert_str_eq(value, "{\"a\":1}");
	i = 4;
	cr_assert_eq(pcf_cli_take_option(&ctx, "--key", &i, 7, argv, &value), 0);
	i = 6;
	cr_assert_eq(pcf_cli_take_option(&ctx, "--key", &i, 7, argv, &value), -1);
	cr_assert_not_null(strstr(errors(), "pcf item: --key: expected a value"), "%s", errors());
}

/* PCF spells --timeout as -t. */
Test(cli_args, pcf_short_timeout)
{
	char *words[] = {"plan", "-t", "30", NULL};

	cr_assert_eq(parse_words(words), 0, "%s", errors());
	cr_assert_eq(ctx.timeout_ms, 30000);
}

/* A malformed --endpoint stops the parse, naming the value and the fault. */
Test(cli_args, malformed_endpoint_is_refused)
{
	char *words[] = {"--endpoint", "localhost:8000", "plan", NULL};
	char *good[] = {"--endpoint=http://127.0.0.1:8000", "plan", NULL};

	cr_assert_eq(parse_words(words), PCF_EINVAL);
	fflush(ctx.err);
	cr_assert_not_null(
	    strstr(err_text, "--endpoint: endpoint \"localhost:8000\" has no scheme"), "%s",
	    err_text);
	cr_assert_eq(parse_words(good), 0, "%s", err_text);
	cr_assert_str_eq(ctx.endpoint, "http://127.0.0.1:8000");
}

Test(cli_args, lock_options_anywhere_in_milliseconds)
{
	char *words[] = {"--lock-table", "pcf_locks",        "plan", "--lock-lease",
	                 "2.5",          "--lock-timeout=0", NULL};

	cr_assert_eq(parse_words(words), 0, "%s", errors());
	cr_assert_str_eq(ctx.lock_table, "pcf_locks");
	cr_assert_eq(ctx.lock_lease_ms, 2500);
	cr_assert_eq(ctx.lock_timeout_ms, 0);
}

Test(cli_args, bad_lock_options_are_named)
{
	char *bad_table[] = {"--lock-table", "x", "plan", NULL};
	char *lease[] = {"--lock-lease", "0", "plan", NULL};
	char *timeout[] = {"--lock-timeout", "-1", "plan", NULL};

	cr_assert_eq(parse_words(bad_table), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "--lock-table: expected a table name"), "%s", errors());
	pcf_cli_args_cleanup(&args);
	cr_assert_eq(parse_words(lease), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "--lock-lease: expected a number of seconds above 0"),
	                   "%s", errors());
	pcf_cli_args_cleanup(&args);
	cr_assert_eq(parse_words(timeout), PCF_EINVAL);
	cr_assert_not_null(strstr(errors(), "--lock-timeout: expected a number of seconds from 0"),
	                   "%s", errors());
}
