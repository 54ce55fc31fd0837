/*
 * pcf: the command-line entry point.
 *
 * Holds the command table (names, help texts, each command's value-taking
 * options), parses the global options into a pcf_cli_context and calls the
 * command, whose return value is the exit status. Help goes to stdout
 * when asked for and to stderr after a usage error, so `pcf --help | less`
 * works and scripts see errors where they look for them.
 */
#include "src/cli/cli.h"
#include "src/common/util.h"

#include <string.h>

static const char usage_text[] =
    "usage: pcf [-f PATH]... [--endpoint URL] [--region R] [--profile P] [-o text|json]\n"
    "           [--timeout SECONDS] [--parallel N] [-v|-q] COMMAND [NAME...]\n"
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
    "  --parallel N         particles converged at once (default 8)\n"
    "  -v, -vv | -q         -v: debug logs, one line per request; -vv: also request and\n"
    "                       response bodies (secrets masked) | -q: quiet\n"
    "  --yes                allow deleting tables\n"
    "  --allow-replace      allow replacing tables whose key schema or LSIs changed\n"
    "                       (needs --yes too)\n"
    "  --strict             terminate of a persist_on_termination table (kept) fails\n"
    "                       with exit 1 instead of succeeding\n"
    "  -h, --help           this help; --version prints the version\n"
    "\n"
    "environment: NO_COLOR turns colour off; AWS credentials come from the usual\n"
    "AWS SDK chain (env, web identity, shared files, container, EC2 metadata).\n";

static const char validate_help[] =
    "usage: pcf validate [NAME...]\n"
    "\n"
    "Parses the definitions and checks them against each flavor's schema, without\n"
    "touching the network. Every problem is reported as FILE:LINE:COLUMN: message.\n"
    "-o json prints {\"valid\":bool,\"problems\":[...],\"particles\":[...]}.\n"
    "\n"
    "exit status: 0 valid, 1 invalid\n";

static const char plan_help[] =
    "usage: pcf plan [NAME...]\n"
    "\n"
    "Reads the live tables and shows, per particle, the steps `apply` would take:\n"
    "one line per step, old -> new. '+' creates, '-' deletes, '~' changes in place,\n"
    "'!' replaces. NAME selects particles by pcf_name or flavor:pcf_name; none\n"
    "means all. Changes nothing.\n"
    "-o json prints {\"particles\":[{\"name\":..,\"steps\":[{\"kind\":..,\"action\":..,\n"
    "\"summary\":..}]}]}; kind is create, update, delete or replace.\n"
    "\n"
    "exit status: 0 no changes, 2 changes pending, 1 error\n";

static const char apply_help[] =
    "usage: pcf apply [--state S] [--cascade] [NAME...]\n"
    "       pcf run | stop | terminate [--cascade] [NAME...]\n"
    "\n"
    "apply converges every selected particle (and its parents) to its\n"
    "desired_state: creates missing tables, updates drifted ones step by step,\n"
    "deletes those whose desired_state is terminated. run, stop and terminate set\n"
    "the desired state of the selected particles (running, stopped, terminated)\n"
    "and then apply. Deleting a table needs --yes; a table with deletion\n"
    "protection or persist_on_termination is never deleted. Changes DynamoDB\n"
    "cannot make in place need --allow-replace and --yes. On a terminal, waits\n"
    "show progress on stderr.\n"
    "\n"
    "options (PCF's spellings):\n"
    "  -s, --state S   the desired state to set: running, stopped or terminated\n"
    "                  (apply --state terminated is terminate); on run, stop and\n"
    "                  terminate it may only repeat their own state\n"
    "  -c, --cascade   also act on the family, as PCF does: a particle being\n"
    "                  stopped or terminated takes its children (and theirs) along,\n"
    "                  children first, except those with persist_on_termination;\n"
    "                  towards running, parents are always converged first\n"
    "-o json prints {\"particles\":[{\"name\",..,\"outcome\",\"actions\":[{\"kind\",\"action\",\n"
    "\"summary\"}],\"error\"}]}; see the README for every outcome.\n"
    "Ctrl-C (or SIGTERM) stops after the request in flight and reports what was\n"
    "done; a second Ctrl-C kills at once.\n"
    "\n"
    "exit status: 0 converged, 1 error or refused, 3 timed out (see --timeout),\n"
    "130 interrupted\n";

static const char status_help[] =
    "usage: pcf status [NAME...]\n"
    "\n"
    "Reads each selected particle's live state and compares it with its\n"
    "definition; every drifted path is shown as current -> desired.\n"
    "-o json prints {\"particles\":[{\"name\",\"flavor\",\"table\",\"state\",\n"
    "\"desired_state\",\"in_sync\",\"drift\":[{\"path\",\"desired\",\"current\"}]}]}.\n"
    "\n"
    "exit status: 0 in sync, 2 drift or not at the desired state, 1 error\n";

static const char export_help[] =
    "usage: pcf export [TABLE...]\n"
    "\n"
    "Prints YAML definitions (dynamodb_table particles) that reproduce the named\n"
    "live tables; `pcf apply -f` of that output recreates identical tables. With\n"
    "no TABLE, every table the endpoint lists is exported (see `pcf tables`).\n"
    "Server-assigned fields (status, ARNs, sizes, timestamps) are left out.\n"
    "-o json prints the same definitions as a JSON list.\n"
    "\n"
    "exit status: 0 exported, 1 error (a named table that does not exist, say)\n";

static const char tables_help[] =
    "usage: pcf tables\n"
    "\n"
    "Lists the names of the live tables at the endpoint, one a line, every page\n"
    "of ListTables followed. -o json prints {\"tables\":[...]}. Reads no definitions.\n"
    "\n"
    "exit status: 0 listed, 1 error\n";

static const char item_help[] =
    "usage: pcf item get NAME --key JSON\n"
    "       pcf item put NAME --item JSON\n"
    "       pcf item delete NAME --key JSON\n"
    "\n"
    "Item operations on the table of particle NAME. JSON is plain JSON, e.g.\n"
    "--key '{\"id\":\"a1\"}' --item '{\"id\":\"a1\",\"n\":3,\"tags\":[\"x\"]}': strings,\n"
    "numbers, booleans, null, lists and maps become DynamoDB's S, N, BOOL, NULL,\n"
    "L and M. get prints the item as plain JSON on stdout; put and delete print\n"
    "nothing (with -o json: the item replaced or deleted, or null).\n"
    "\n"
    "exit status: 0 done, 1 error (get of a key with no item included)\n";

static const char config_help[] =
    "usage: pcf config set STORE OPTION KEY=VALUE... [--json]\n"
    "       pcf config get STORE [OPTION]\n"
    "       pcf config list [STORE]\n"
    "       pcf config delete STORE OPTION\n"
    "\n"
    "Options of a configuration store: the table of the dynamodb_config_store\n"
    "particle in the definitions (--particle NAME picks one of several; --table\n"
    "NAME names a table directly, with the default key names _store/_option).\n"
    "VALUEs are typed: integers and decimals become numbers, true/false booleans,\n"
    "null null, the rest strings; with --json each VALUE is JSON text.\n"
    "`get STORE OPTION -o json` prints the option's\n"
    "data as a JSON object; `get STORE -o json` prints {\"option\": {...}, ...}.\n"
    "A store exists while it holds an option: get and list of a STORE with none\n"
    "are errors.\n"
    "\n"
    "exit status: 0 done, 1 error (a table, store or option that does not exist)\n";

static const char *const apply_options[] = {"--state", "-s", NULL};
static const char *const item_options[] = {"--key", "--item", NULL};
static const char *const config_options[] = {"--particle", "--table", NULL};

static const pcf_cli_command commands[] = {
    {"validate", pcf_cli_validate, "parse and check definitions; no network", validate_help, NULL},
    {"plan", pcf_cli_plan, "show the steps apply would take", plan_help, NULL},
    {"apply", pcf_cli_apply, "converge every selected particle to its desired_state", apply_help,
     apply_options},
    {"run", pcf_cli_apply, "set desired_state running, then apply", apply_help, apply_options},
    {"stop", pcf_cli_apply, "set desired_state stopped, then apply", apply_help, apply_options},
    {"terminate", pcf_cli_apply, "set desired_state terminated, then apply (needs --yes)",
     apply_help, apply_options},
    {"status", pcf_cli_status, "live state and drift of each particle", status_help, NULL},
    {"export", pcf_cli_export, "print definitions that reproduce live tables", export_help, NULL},
    {"tables", pcf_cli_tables, "list the live tables at the endpoint", tables_help, NULL},
    {"item", pcf_cli_item, "get|put|delete items in a particle's table", item_help, item_options},
    {"config", pcf_cli_config, "get|set|list|delete options of a configuration store", config_help,
     config_options},
};

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
	size_t k;

	if (argc < 3) {
		print_usage(stdout, commands, sizeof(commands) / sizeof(commands[0]));
		return PCF_CLI_EXIT_OK;
	}
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
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
	const pcf_cli_command *table = commands;
	size_t count = sizeof(commands) / sizeof(commands[0]);
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
