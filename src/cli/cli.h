/*
 * The pcf command line: what every command receives and the helpers they
 * share.
 *
 * main.c parses the global options (wherever they appear, before or after
 * the command) into a pcf_cli_context and hands each command the words
 * that are its own: argv[0] is the command name, then its operands and its
 * own options (--key, --particle, ...) in the order given. A command
 * returns the process exit status (PCF_CLI_EXIT_*), having printed its
 * result on ctx->out and every message on ctx->err.
 *
 * Output rules (DESIGN.md): with -o json a command prints exactly one JSON
 * document on ctx->out and nothing else there; logs, progress and errors
 * go to ctx->err. Colour only when ctx->color says so (a terminal and no
 * NO_COLOR).
 *
 * Ownership: the context and everything it points to belong to main.c and
 * outlive the command. Helpers that hand back objects say how to free them.
 */
#ifndef PCF_CLI_CLI_H
#define PCF_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>
#include <pcf/pcf.h>

/* Process exit statuses, as DESIGN.md fixes them. */
#define PCF_CLI_EXIT_OK        0
#define PCF_CLI_EXIT_ERROR     1
#define PCF_CLI_EXIT_CHANGES   2   /* plan: changes pending; status: drift */
#define PCF_CLI_EXIT_TIMEOUT   3   /* apply/run/stop/terminate: a wait ran out */
#define PCF_CLI_EXIT_LOCKED    4   /* a particle's lock is held (or was lost) by another run */
#define PCF_CLI_EXIT_CANCELLED 130 /* apply/run/stop/terminate: Ctrl-C (SIGINT) or SIGTERM */

typedef enum pcf_cli_format { PCF_CLI_FORMAT_TEXT, PCF_CLI_FORMAT_JSON } pcf_cli_format;

/* The most -f paths accepted on one command line. */
#define PCF_CLI_MAX_PATHS 64

/*
 * What a run printed so far, so that -o json ends with exactly one
 * document (output_json.c). main.c owns it; commands reach it through
 * ctx->record (NULL in unit tests that do not need it).
 */
typedef struct pcf_cli_record {
	int json_emitted; /* a document went to ctx->out */
	char code[40];    /* the first error's code name, e.g. "USAGE", "CONNECT" */
	char *message;    /* the first error message printed (heap) */
	pcf_error detail; /* that error's detail when it came from pcf_cli_error */
	cJSON *problems;  /* definition problems as JSON, or NULL */
} pcf_cli_record;

typedef struct pcf_cli_context {
	const char *paths[PCF_CLI_MAX_PATHS]; /* -f, in order; none: ./pcf.yml etc. */
	size_t path_count;
	const char *endpoint;   /* --endpoint; NULL: the transport resolves env */
	const char *region;     /* --region; NULL: env or profile */
	const char *profile;    /* --profile; NULL: AWS_PROFILE or default */
	pcf_cli_format format;  /* -o text|json */
	long timeout_ms;        /* --timeout SECONDS; 0: the engine's default */
	uint64_t started_us;    /* pcf_util_now_us() at start: --timeout counts from here */
	int parallel;           /* --parallel N; 0: the engine's default */
	int verbosity;          /* -q: -1, default 0, -v: 1, -vv: 2 */
	int yes;                /* --yes: deletions and replacements allowed */
	int allow_replace;      /* --allow-replace */
	int strict;             /* --strict: a table kept by persist_on_termination is an error */
	const char *lock_table; /* --lock-table; NULL: PCF_LOCK_TABLE, else no locking */
	long lock_lease_ms;     /* --lock-lease SECONDS; 0: 20 s */
	long lock_timeout_ms;   /* --lock-timeout SECONDS; 0: fail at once */
	int color;              /* 1: ANSI colour on ctx->out / ctx->err */
	int progress;           /* 1: ctx->err is a terminal; draw live progress */
	const char *command;    /* the command word, e.g. "plan" */
	FILE *out;              /* results (stdout) */
	FILE *err;              /* messages, logs, progress (stderr) */

	/* What the run printed, see pcf_cli_record; may be NULL. */
	pcf_cli_record *record;
} pcf_cli_context;

/*
 * Every command has this shape. argv[0] is the command word; the rest are
 * the command's operands and own options. Returns a PCF_CLI_EXIT_* status.
 */
typedef int (*pcf_cli_command_fn)(const pcf_cli_context *ctx, int argc, char **argv);

int pcf_cli_validate(const pcf_cli_context *ctx, int argc, char **argv);
int pcf_cli_plan(const pcf_cli_context *ctx, int argc, char **argv);
/* apply, run, stop and terminate (argv[0] says which). */
int pcf_cli_apply(const pcf_cli_context *ctx, int argc, char **argv);
int pcf_cli_status(const pcf_cli_context *ctx, int argc, char **argv);
int pcf_cli_export(const pcf_cli_context *ctx, int argc, char **argv);
int pcf_cli_tables(const pcf_cli_context *ctx, int argc, char **argv);
/* item get|put|delete NAME --key JSON --item JSON */
int pcf_cli_item(const pcf_cli_context *ctx, int argc, char **argv);
/* config get|set|list|delete; written in cmd_config.c by the config-store owner. */
int pcf_cli_config(const pcf_cli_context *ctx, int argc, char **argv);
/* watch [--interval S] [--metrics-addr HOST:PORT] [NAME...]: converge every interval (cmd_watch.c).
 */
int pcf_cli_watch(const pcf_cli_context *ctx, int argc, char **argv);
/* locks: the held particle locks; unlock NAME... --yes: release them (cmd_locks.c). */
int pcf_cli_locks(const pcf_cli_context *ctx, int argc, char **argv);
int pcf_cli_unlock(const pcf_cli_context *ctx, int argc, char **argv);

/* ---- arguments (args.c) ---- */

/*
 * What main.c knows of a command: its name, a one-line summary for
 * `pcf --help`, its full help text for `pcf COMMAND --help`, and the
 * command's own options that take a value (so that the global parser does
 * not mistake that value for an operand or a global option).
 */
typedef struct pcf_cli_command {
	const char *name;
	pcf_cli_command_fn fn;
	const char *summary;
	const char *help;
	const char *const *value_options; /* NULL-terminated, e.g. {"--key", NULL}; may be NULL */
} pcf_cli_command;

/* The commands of `pcf` in the order --help lists them (commands.c). */
const pcf_cli_command *pcf_cli_commands(size_t *count);

/* Storage for the command's own words, filled by pcf_cli_args_parse. */
typedef struct pcf_cli_args {
	const pcf_cli_command *command; /* NULL: none given */
	int help;                       /* -h/--help seen */
	int version;                    /* --version seen */
	int argc;                       /* the command's words, argv[0] = its name */
	char **argv;                    /* heap array; strings borrowed from the input */
} pcf_cli_args;

/*
 * Parses argv (argv[0] is the program) into ctx (global options) and args
 * (the command and its own words), looking commands up in the table of
 * count entries. Global options are accepted before and after the command;
 * "--" ends option parsing. Environment is not read here. On a usage error
 * writes "pcf: ..." to ctx->err and returns PCF_EINVAL; on success 0.
 * Free args with pcf_cli_args_cleanup.
 */
int pcf_cli_args_parse(pcf_cli_context *ctx, pcf_cli_args *args, const pcf_cli_command *table,
                       size_t count, int argc, char **argv);
void pcf_cli_args_cleanup(pcf_cli_args *args);

/*
 * For commands parsing their own words: when argv[*i] is the option `name`
 * (as "--name VALUE" or "--name=VALUE"), stores the value, advances *i past
 * it and returns 1; returns 0 when argv[*i] is something else, and -1 (with
 * a message on ctx->err) when the value is missing.
 */
int pcf_cli_take_option(const pcf_cli_context *ctx, const char *name, int *i, int argc, char **argv,
                        const char **value);

/* Prints "pcf COMMAND: unknown option 'x'; see 'pcf COMMAND --help'" and returns 1. */
int pcf_cli_usage_error(const pcf_cli_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- context and services (context.c) ---- */

/*
 * Fills the fields main.c derives from the environment and the streams:
 * color (terminal, NO_COLOR unset, not json on out), progress
 * (isatty(err) and not -q). out and err must be set.
 */
void pcf_cli_context_finish(pcf_cli_context *ctx);

/* A logger writing "pcf: level: line" to ctx->err at the level -q/-v ask for. */
pcf_logger pcf_cli_logger(const pcf_cli_context *ctx);

/* Transport options from the context: endpoint, region, profile, logger, timeouts. */
void pcf_cli_aws_options(pcf_aws_options *out, const pcf_cli_context *ctx);

/*
 * Loads the definitions named by -f (default ./pcf.yml...) and checks them
 * against the built-in flavors. Problems are printed to ctx->err as
 * "file:line:col: message"; returns 0 or PCF_EDEFINITION / PCF_ENOMEM.
 * Free *out with pcf_definitions_free.
 */
int pcf_cli_load_definitions(pcf_definitions **out, const pcf_cli_context *ctx);
/*
 * pcf_engine_validate_with the built-in flavors and services from the
 * context, so that defaults compare as this run resolves them (a table
 * without region_name is in the run's region). No network. 0 or a PCF_E
 * code, problems added to diags.
 */
int pcf_cli_check_definitions(const pcf_definitions *defs, const pcf_cli_context *ctx,
                              pcf_diags *diags);
/* pcf_engine_normalize, its failure added to diags; 0 or its code. */
int pcf_cli_normalize(pcf_definitions *defs, const pcf_flavor *const *flavors, size_t count,
                      pcf_diags *diags);

/* The built-in flavors registry. */
const pcf_flavor *const *pcf_cli_flavors(size_t *count);

/* Services for the engine, built from pcf_cli_aws_options. Free with pcf_services_free. */
int pcf_cli_services_new(pcf_services **out, const pcf_cli_context *ctx, pcf_error *err);

/*
 * A DynamoDB client for one region (NULL: the default) built from the
 * context, for commands that talk to a table directly. Free with pcf_ddb_free.
 */
int pcf_cli_ddb_new(pcf_ddb **out, const pcf_cli_context *ctx, const char *region, pcf_error *err);

/* The live table name of a particle (aws_resource.TableName), or NULL. */
const char *pcf_cli_table_name(const pcf_particle_def *def);

/*
 * Prints "pcf COMMAND: <what>: <err's message> [AWSType, HTTP n, request
 * id r]" on ctx->err (what may be NULL) and returns PCF_CLI_EXIT_ERROR.
 */
int pcf_cli_error(const pcf_cli_context *ctx, const pcf_error *err, const char *what_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints "pcf COMMAND: <message>" on ctx->err and returns PCF_CLI_EXIT_ERROR. */
int pcf_cli_fail(const pcf_cli_context *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- output (output.c) ---- */

typedef enum pcf_cli_color {
	PCF_CLI_COLOR_RESET,
	PCF_CLI_COLOR_BOLD,
	PCF_CLI_COLOR_RED,
	PCF_CLI_COLOR_GREEN,
	PCF_CLI_COLOR_YELLOW,
	PCF_CLI_COLOR_CYAN,
	PCF_CLI_COLOR_DIM
} pcf_cli_color;

/* The ANSI sequence for c when ctx->color is set, else "". */
const char *pcf_cli_color_code(const pcf_cli_context *ctx, pcf_cli_color c);

/*
 * Prints doc as the command's one JSON document (pretty, newline-ended) on
 * ctx->out. Takes ownership of doc (may be NULL: prints nothing and
 * returns PCF_ENOMEM). Returns 0, PCF_ENOMEM or PCF_EIO.
 */
int pcf_cli_json_emit_take(const pcf_cli_context *ctx, cJSON *doc);

/*
 * doc as text indented with two spaces, newline-ended; free with free.
 * NULL when out of memory.
 */
char *pcf_cli_json_format(const cJSON *doc);

/*
 * Definition problems as [{"file","line","column","path","message"}]:
 * path is the node's path ("aws_resource.KeySchema[0].KeyType") or null
 * when the problem is about a whole file. A new tree (cJSON_Delete).
 */
cJSON *pcf_cli_problems_json(const pcf_diags *diags);

/*
 * The error object of the JSON documents: {code, message} and, when the
 * service answered, aws_type, http_status, request_id. A new tree.
 */
cJSON *pcf_cli_error_json(const pcf_error *err);

/* Records the first error of the run (code: a pcf_error_code_name, or "USAGE"). */
void pcf_cli_record_message(const pcf_cli_context *ctx, const char *code, const char *message);
/* Records definition problems for the error document. */
void pcf_cli_record_problems(const pcf_cli_context *ctx, const pcf_diags *diags);
void pcf_cli_record_cleanup(pcf_cli_record *record);

/*
 * After the command: with -o json and no document printed yet, prints
 * {"command", "error": {...}, "problems"} from ctx->record, the error
 * object shaped as pcf_cli_error_json.
 * Returns exit_code (or 1 when that document could not be written).
 */
int pcf_cli_json_finish(const pcf_cli_context *ctx, int exit_code);

/* Writes a JSON value compactly (e.g. a drift value 10 or "S") into a FILE. */
void pcf_cli_json_write_value(FILE *to, const cJSON *value);

/* Which document a run report becomes. */
typedef enum pcf_cli_report_kind {
	PCF_CLI_REPORT_PLAN,
	PCF_CLI_REPORT_APPLY,
	PCF_CLI_REPORT_STATUS
} pcf_cli_report_kind;

/*
 * The -o json document for a report: {"particles":[...]} shaped as
 * DESIGN.md says for plan and status; apply adds outcome, actions and
 * error. desired_override: the state run/stop/terminate asked for, or -1
 * to use each definition's own. Returns a new tree (cJSON_Delete) or NULL.
 */
cJSON *pcf_cli_report_json(const pcf_run_report *report, pcf_cli_report_kind kind,
                           int desired_override);

/* The text form of a report on ctx->out: one block per particle. */
void pcf_cli_report_text(const pcf_cli_context *ctx, const pcf_run_report *report,
                         pcf_cli_report_kind kind, int desired_override);

/*
 * The live state to show for a report: its state name, or "unknown" when
 * a plan or status failed, since the engine then may not have read one.
 */
const char *pcf_cli_state_name(const pcf_particle_report *p, pcf_cli_report_kind kind);

/*
 * What a step does to the particle's resource: "replace" (needs
 * --allow-replace), "delete" (destructive, or an action named Delete*),
 * "create" (Create*), else "update". Text marks and JSON kinds both come
 * from here.
 */
const char *pcf_cli_step_kind(const char *action, unsigned flags);

/* "running" / "stopped" / "terminated". */
const char *pcf_cli_desired_name(pcf_desired_state state);

/*
 * The exit status a report means for its command: plan 0/2/1,
 * status 0/2/1, apply 0/1/3.
 */
int pcf_cli_report_exit(const pcf_run_report *report, pcf_cli_report_kind kind, int rc);

/* ---- progress (progress.c) ---- */

typedef struct pcf_cli_progress pcf_cli_progress;

/*
 * A progress reporter fed by the engine's on_event (pass
 * pcf_cli_progress_event and the reporter as payload). On a terminal it
 * redraws one status line while waiting; elsewhere it prints one line per
 * action unless -q. Free with pcf_cli_progress_free, which clears the line.
 */
int pcf_cli_progress_new(pcf_cli_progress **out, const pcf_cli_context *ctx);
void pcf_cli_progress_event(const pcf_event *event, void *payload);
void pcf_cli_progress_free(pcf_cli_progress *progress);

/* ---- YAML (yaml_emit.c) ---- */

/*
 * Writes value (a JSON tree) as one YAML document to `to` with libyaml's
 * emitter, keys in tree order. Returns 0 or PCF_EIO / PCF_ENOMEM.
 */
int pcf_cli_yaml_write(FILE *to, const cJSON *value, pcf_error *err);

/* ---- the engine session shared by plan, apply and status (context.c) ---- */

typedef struct pcf_cli_session {
	pcf_definitions *defs;
	pcf_services *services;
	pcf_engine *engine;
	pcf_cli_progress *progress;
	int borrowed_services;  /* 1: services belong to the caller (pcf_cli_session_open_on) */
	pcf_ddb *lock_db;       /* the lock table's client, when locking */
	pcf_lock_client *locks; /* NULL: this command does not lock */
} pcf_cli_session;

/* ---- lease locks (cmd_locks.c) ---- */

/* --lock-table, else PCF_LOCK_TABLE, else NULL (no locking). */
const char *pcf_cli_lock_table(const pcf_cli_context *ctx);

/*
 * For a command that changes particles (apply, run, stop, terminate,
 * watch) when a lock table is set: creates the session's lock client,
 * makes sure the lock table exists and installs the engine guard in
 * options. Does nothing for other commands or without a lock table.
 * 0 or a PCF_E code with err filled; the session's close frees it all.
 */
int pcf_cli_lock_attach(pcf_cli_session *s, const pcf_cli_context *ctx, pcf_engine_options *options,
                        pcf_error *err);

/*
 * Loads definitions, creates services and an engine with the context's
 * options and selects the named particles (count 0: all). On failure
 * prints why and returns PCF_CLI_EXIT_ERROR, leaving *session empty.
 * Close with pcf_cli_session_close.
 */
int pcf_cli_session_open(pcf_cli_session *session, const pcf_cli_context *ctx, char *const *names,
                         size_t count);
void pcf_cli_session_close(pcf_cli_session *session);

/*
 * As pcf_cli_session_open, on services the caller made and keeps (the
 * session borrows them, close leaves them), with the engine's events sent
 * to on_event(payload) and no progress reporter. watch uses it so that one
 * client, and its request counts, outlives every reload.
 */
int pcf_cli_session_open_on(pcf_cli_session *session, const pcf_cli_context *ctx,
                            char *const *names, size_t count, pcf_services *services,
                            pcf_event_fn on_event, void *payload);

/*
 * One converge of the session's selection as apply runs it: SIGINT and
 * SIGTERM cancel the engine while it works (the previous handlers are put
 * back after; the first signal resets them, so a second one kills).
 * *interrupted is set to 1 when such a signal came. Returns and fills as
 * pcf_engine_apply. watch runs every round through it.
 */
int pcf_cli_apply_converge(pcf_run_report **out, pcf_cli_session *session, int *interrupted,
                           pcf_error *err);

#endif
