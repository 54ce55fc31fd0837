/*
 * pcf: the command-line entry point.
 *
 * Takes the command table from commands.c, parses the global options into
 * a pcf_cli_context and calls the command, whose return value is the exit status. Help goes to
 * stdout when asked for and to stderr after a usage error, so `pcf --help | less` works and scripts
 * see errors where they look for them.
 */
#include "src/cli/cli.h"
#include "src/common/util.h"

#include <string.h>

static const char usage_text[] =
    "usage: pcf [-f PATH]... [--endpoint URL] [--region R] [--profile P] [-o text|json]\n"
    "           [--timeout SECONDS] [--parallel N] [--lock-table NAME] [-v|-q]\n"
    "           COMMAND [NAME...]\n"
    "\n"
    "Converges AWS DynamoDB tables to declarative YAML definitions.\n";

static const char global_help[] =
    "\n"
    "global options (before or after the command):\n"
    "  -f, --file PATH      definitions file or directory, repeatable\n"
    "                       (default ./pcf.yml, ./pcf.yaml or ./pcf.json)\n"
    "  --endpoint URL       DynamoDB endpoint, http(s)://HOST[:PORT] (else\n"
    "                       AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, DYNAMODB_ENDPOINT)\n"
    "  --region R           region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's;\n"
    "                       with an endpoint and none of them: us-east-1, said on stderr)\n"
    "  --profile P          shared config profile: its keys (environment keys are then\n"
    "                       skipped) and region (else AWS_PROFILE, else default)\n"
    "  -o, --output FORMAT  text (default) or json: one JSON document on stdout, errors\n"
    "                       included ({\"command\",\"error\",\"problems\"} when no report)\n"
    "  -t, --timeout SECS   how long waits may take in all, in seconds (default 1800)\n"
    "  --parallel N         particles changing at once (default 250)\n"
    "  -v, -vv | -q         -v: debug logs, one line per request; -vv: also request and\n"
    "                       response bodies (secrets masked) | -q: quiet\n"
    "  --yes                allow deleting tables\n"
    "  --allow-replace      allow replacing tables whose key schema or LSIs changed\n"
    "                       (needs --yes too)\n"
    "  --strict             terminate of a persist_on_termination table (kept) fails\n"
    "                       with exit 1 instead of succeeding\n"
    "  --lock-table NAME    apply, run, stop, terminate take a lease lock per particle\n"
    "                       in this DynamoDB table (else PCF_LOCK_TABLE; unset: none)\n"
    "  --lock-lease SECS    lease of each lock, renewed every third of it (default 20)\n"
    "  --lock-timeout SECS  wait this long for a particle locked elsewhere (default 0:\n"
    "                       fail at once, exit 4)\n"
    "  -h, --help           this help; --version prints the version\n"
    "\n"
    "environment: NO_COLOR turns colour off; AWS credentials come from the usual\n"
    "AWS SDK chain (env, web identity, shared files, container, EC2 metadata).\n";

static void print_usage(FILE *to, const pcf_cli_command *table, size_t count)
{
	size_t k;

	fputs(usage_text, to);
	fputs("\ncommands:\n", to);
	for (k = 0; k < count; k++)
		fprintf(to, "  %-10s %s\n", table[k].name, table[k].summary);
	fputs(global_help, to);
	fputs("\nRun 'pcf COMMAND --help' or 'pcf help COMMAND' for a command's own help.\n", to);
}

static void print_command_help(FILE *to, const pcf_cli_command *cmd)
{
	fputs(cmd->help, to);
	fputs(global_help, to);
}

/* `pcf help [COMMAND]`, the spelling many tools accept for --help. */
static int help_command(int argc, char **argv)
{
	size_t count, k;
	const pcf_cli_command *commands = pcf_cli_commands(&count);

	if (argc < 3) {
		print_usage(stdout, commands, count);
		return PCF_CLI_EXIT_OK;
	}
	for (k = 0; k < count; k++) {
		if (!strcmp(commands[k].name, argv[2])) {
			print_command_help(stdout, &commands[k]);
			return PCF_CLI_EXIT_OK;
		}
	}
	fprintf(stderr, "pcf: unknown command '%s'; run 'pcf --help' for the list\n", argv[2]);
	return PCF_CLI_EXIT_ERROR;
}

int main(int argc, char **argv)
{
	pcf_cli_context ctx;
	pcf_cli_record record;
	pcf_cli_args args;
	size_t count;
	const pcf_cli_command *table = pcf_cli_commands(&count);
	int rc;

	if (argc >= 2 && !strcmp(argv[1], "help"))
		return help_command(argc, argv);
	memset(&ctx, 0, sizeof(ctx));
	memset(&record, 0, sizeof(record));
	ctx.out = stdout;
	ctx.err = stderr;
	ctx.record = &record;
	ctx.started_us = pcf_util_now_us();
	if (pcf_cli_args_parse(&ctx, &args, table, count, argc, argv) != 0) {
		rc = pcf_cli_json_finish(&ctx, PCF_CLI_EXIT_ERROR);
		pcf_cli_record_cleanup(&record);
		return rc;
	}
	if (args.version) {
		printf("pcf %s\n", pcf_version());
		rc = PCF_CLI_EXIT_OK;
	} else if (!args.command) {
		print_usage(args.help ? stdout : stderr, table, count);
		rc = args.help ? PCF_CLI_EXIT_OK : PCF_CLI_EXIT_ERROR;
	} else if (args.help) {
		print_command_help(stdout, args.command);
		rc = PCF_CLI_EXIT_OK;
	} else if (pcf_global_init() != 0) {
		fputs("pcf: could not initialise libcurl\n", stderr);
		rc = PCF_CLI_EXIT_ERROR;
	} else {
		ctx.command = args.command->name;
		pcf_cli_context_finish(&ctx);
		rc = args.command->fn(&ctx, args.argc, args.argv);
		rc = pcf_cli_json_finish(&ctx, rc);
		pcf_global_cleanup();
	}
	pcf_cli_args_cleanup(&args);
	pcf_cli_record_cleanup(&record);
	if (fflush(stdout) == EOF && rc == PCF_CLI_EXIT_OK) {
		fputs("pcf: could not write the output\n", stderr);
		rc = PCF_CLI_EXIT_ERROR;
	}
	return rc;
}
