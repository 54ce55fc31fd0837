/*
 * The command table of `pcf`: each command's name, function, summary, help
 * text and value-taking options. It lives apart from main.c so the tests
 * can walk the same table the program dispatches on.
 */
#include "src/cli/cli.h"

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
    "With --lock-table NAME (or PCF_LOCK_TABLE) each particle's lease lock is taken\n"
    "in that DynamoDB table before it is read and released when it is done; a\n"
    "particle locked by another run fails with \"locked by HOST pid N (run R,\n"
    "COMMAND, since T)\" after --lock-timeout while the others go ahead, and one\n"
    "whose lock is lost mid-run stops before its next change. See 'pcf locks'.\n"
    "\n"
    "exit status: 0 converged, 1 error or refused, 3 timed out (see --timeout),\n"
    "4 locked by another run (or the lock was lost), 130 interrupted\n";

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

static const char watch_help[] =
    "usage: pcf watch [--interval SECONDS] [--metrics-addr HOST:PORT] [NAME...]\n"
    "\n"
    "Converges the selected particles as apply does, then again every interval\n"
    "(default 60 s, counted from the start of the previous round), repairing\n"
    "whatever drifted meanwhile, until SIGTERM or SIGINT. The --yes rules of apply\n"
    "hold: without --yes nothing is ever deleted. Each change is logged on stderr\n"
    "as it starts, as is a round whose result differs from the one before.\n"
    "\n"
    "options:\n"
    "  --interval SECONDS        time between rounds, 0.1 to 86400 (default 60)\n"
    "  --metrics-addr HOST:PORT  serve Prometheus counters at http://HOST:PORT/metrics\n"
    "                            (GET only); use a loopback address such as\n"
    "                            127.0.0.1:9464: any other is served with a warning,\n"
    "                            as the endpoint has no TLS or authentication; port\n"
    "                            0 picks a free port, named on stderr\n"
    "\n"
    "Signals: SIGHUP reloads the definitions (a reload with problems keeps the\n"
    "old ones and prints the problems as FILE:LINE:COLUMN); SIGTERM or SIGINT\n"
    "stops after the request in flight and exits 0. --timeout bounds each round.\n"
    "-o json prints one JSON object per line on stdout: {\"event\":\"change\",..}\n"
    "per change, {\"event\":\"round\",\"in_sync\",\"repaired\",\"drifted\",\n"
    "\"converging\",\"failed\",\"changes\",..} per round, and reload, problem,\n"
    "listening and stopped events; see the README.\n"
    "\n"
    "exit status: 0 stopped by a signal, 1 could not start (definitions, options,\n"
    "metrics address)\n";

static const char locks_help[] =
    "usage: pcf locks --lock-table NAME\n"
    "       pcf unlock NAME... --yes --lock-table NAME\n"
    "\n"
    "locks lists the particle locks held in the lock table (--lock-table NAME or\n"
    "PCF_LOCK_TABLE): key (REGION/TABLE), holder host and pid, run id, command,\n"
    "when it was taken (the holder's clock) and lease. A lock whose holder died\n"
    "still shows until a run takes it over (after one lease unchanged, when that\n"
    "run waits with --lock-timeout of at least the lease) or it is unlocked.\n"
    "-o json prints {\"table\",\"locks\":[{\"key\",\"host\",\"pid\",\"run_id\",\"command\",\n"
    "\"taken_at\",\"lease_seconds\",\"record_version\"}]}.\n"
    "\n"
    "unlock releases the locks of the named particles (or lock keys as locks\n"
    "lists them) whoever holds them; it needs --yes, because a live holder would\n"
    "go on changing what another run may then change too. A holder that renews\n"
    "its lock while unlock runs keeps it (unlock reports that and fails).\n"
    "\n"
    "global lock options (also taken by apply, run, stop, terminate):\n"
    "  --lock-table NAME    the lock table (created on first use: on-demand, TTL)\n"
    "  --lock-lease SECS    lease of each lock, renewed every third of it (default 20)\n"
    "  --lock-timeout SECS  how long to wait for a held lock (default 0: fail at once)\n"
    "\n"
    "exit status: 0 done, 1 error (no lock table given, a name not locked)\n";

static const char *const apply_options[] = {"--state", "-s", NULL};
static const char *const item_options[] = {"--key", "--item", NULL};
static const char *const config_options[] = {"--particle", "--table", NULL};
static const char *const watch_options[] = {"--interval", "--metrics-addr", NULL};

static const pcf_cli_command table[] = {
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
    {"watch", pcf_cli_watch, "converge, then again every interval until stopped", watch_help,
     watch_options},
    {"config", pcf_cli_config, "get|set|list|delete options of a configuration store", config_help,
     config_options},
    {"locks", pcf_cli_locks, "list the particle locks held in the lock table", locks_help, NULL},
    {"unlock", pcf_cli_unlock, "release particle locks whose holder is gone (needs --yes)",
     locks_help, NULL},
};

const pcf_cli_command *pcf_cli_commands(size_t *count)
{
	*count = sizeof(table) / sizeof(table[0]);
	return table;
}
