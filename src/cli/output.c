/*
 * What plan, apply and status print.
 *
 * Both forms are built from the engine's pcf_run_report so that text and
 * JSON never disagree. The JSON documents follow DESIGN.md: status gives
 * name, flavor, table, state, desired_state, in_sync and drift entries
 * {path, desired, current}; plan gives steps {action, summary}. Extra keys
 * (outcome, error, flags) are added, never renamed, so the documented shape
 * stays a subset. The text form is for a reviewer: one line per particle,
 * then one indented line per step or drifted path, old -> new.
 */
#include "src/cli/cli.h"

#include <stdlib.h>
#include <string.h>

static const char *const ansi[] = {
    [PCF_CLI_COLOR_RESET] = "\033[0m",   [PCF_CLI_COLOR_BOLD] = "\033[1m",
    [PCF_CLI_COLOR_RED] = "\033[31m",    [PCF_CLI_COLOR_GREEN] = "\033[32m",
    [PCF_CLI_COLOR_YELLOW] = "\033[33m", [PCF_CLI_COLOR_CYAN] = "\033[36m",
    [PCF_CLI_COLOR_DIM] = "\033[2m",
};

const char *pcf_cli_color_code(const pcf_cli_context *ctx, pcf_cli_color c)
{
	if (!ctx->color || (size_t)c >= sizeof(ansi) / sizeof(ansi[0]))
		return "";
	return ansi[c];
}

int pcf_cli_json_emit_take(const pcf_cli_context *ctx, cJSON *doc)
{
	char *text;
	int rc = 0;

	if (!doc)
		return PCF_ENOMEM;
	text = pcf_cli_json_format(doc);
	cJSON_Delete(doc);
	if (!text)
		return PCF_ENOMEM;
	if (ctx->record)
		ctx->record->json_emitted = 1;
	if (fputs(text, ctx->out) == EOF || fflush(ctx->out) == EOF)
		rc = PCF_EIO;
	free(text);
	return rc;
}

void pcf_cli_json_write_value(FILE *to, const cJSON *value)
{
	char *text;

	if (!value) {
		fputs("(absent)", to);
		return;
	}
	text = cJSON_PrintUnformatted(value);
	fputs(text ? text : "?", to);
	cJSON_free(text);
}

const char *pcf_cli_desired_name(pcf_desired_state state)
{
	switch (state) {
	case PCF_DESIRED_RUNNING:
		return "running";
	case PCF_DESIRED_STOPPED:
		return "stopped";
	case PCF_DESIRED_TERMINATED:
		return "terminated";
	}
	return "unknown";
}

const char *pcf_cli_state_name(const pcf_particle_report *p, pcf_cli_report_kind kind)
{
	/* Never a guess: a state not read (skipped, or changed since) is unknown. */
	if (!p->state_read || (kind != PCF_CLI_REPORT_APPLY && p->outcome == PCF_OUTCOME_FAILED))
		return "unknown";
	return pcf_state_name(p->state);
}

static const char *desired_of(const pcf_particle_report *p, int desired_override)
{
	if (desired_override >= 0)
		return pcf_cli_desired_name((pcf_desired_state)desired_override);
	return pcf_cli_desired_name(p->def->desired_state);
}

static int report_in_sync(const pcf_particle_report *p)
{
	return p->outcome == PCF_OUTCOME_IN_SYNC || p->outcome == PCF_OUTCOME_CONVERGED;
}

static int has_error(const pcf_particle_report *p)
{
	return p->outcome == PCF_OUTCOME_FAILED || p->outcome == PCF_OUTCOME_TIMED_OUT ||
	       p->outcome == PCF_OUTCOME_REFUSED || p->outcome == PCF_OUTCOME_SKIPPED ||
	       p->outcome == PCF_OUTCOME_CANCELLED ||
	       (p->outcome == PCF_OUTCOME_KEPT && p->error.code < 0);
}

cJSON *pcf_cli_error_json(const pcf_error *err)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "code", pcf_error_code_name(err->code));
	cJSON_AddStringToObject(o, "message", err->message);
	if (err->aws_type[0])
		cJSON_AddStringToObject(o, "aws_type", err->aws_type);
	if (err->http_status)
		cJSON_AddNumberToObject(o, "http_status", (double)err->http_status);
	if (err->request_id[0])
		cJSON_AddStringToObject(o, "request_id", err->request_id);
	return o;
}

/* cJSON_AddItemToObject that takes a copy of a borrowed value (NULL -> null). */
static void add_copy(cJSON *o, const char *key, const cJSON *value)
{
	cJSON *copy = value ? cJSON_Duplicate(value, 1) : cJSON_CreateNull();

	if (copy)
		cJSON_AddItemToObject(o, key, copy);
}

static void add_drift(cJSON *o, const pcf_drift *drift)
{
	cJSON *list = cJSON_AddArrayToObject(o, "drift");
	size_t k;

	for (k = 0; list && k < drift->count; k++) {
		cJSON *e = cJSON_CreateObject();

		if (!e)
			return;
		cJSON_AddStringToObject(e, "path", drift->entries[k].path);
		add_copy(e, "desired", drift->entries[k].desired);
		add_copy(e, "current", drift->entries[k].current);
		cJSON_AddItemToArray(list, e);
	}
}

const char *pcf_cli_step_kind(const char *action, unsigned flags)
{
	if (flags & PCF_STEP_REPLACE)
		return "replace";
	if ((flags & PCF_STEP_DESTRUCTIVE) || !strncmp(action, "Delete", 6))
		return "delete";
	if (!strncmp(action, "Create", 6))
		return "create";
	return "update";
}

/* The step object plan and apply share: {kind, action, summary[, destructive, replace]}. */
static cJSON *step_json(const char *action, size_t action_len, const char *summary, unsigned flags)
{
	cJSON *e = cJSON_CreateObject();
	char *name = strndup(action, action_len);

	if (!e || !name) {
		cJSON_Delete(e);
		free(name);
		return NULL;
	}
	cJSON_AddStringToObject(e, "kind", pcf_cli_step_kind(name, flags));
	cJSON_AddStringToObject(e, "action", name);
	cJSON_AddStringToObject(e, "summary", summary ? summary : "");
	if (flags & PCF_STEP_DESTRUCTIVE)
		cJSON_AddBoolToObject(e, "destructive", 1);
	if (flags & PCF_STEP_REPLACE)
		cJSON_AddBoolToObject(e, "replace", 1);
	free(name);
	return e;
}

static void add_steps(cJSON *o, const pcf_plan *plan)
{
	cJSON *list = cJSON_AddArrayToObject(o, "steps");
	size_t k;

	for (k = 0; list && k < plan->count; k++) {
		const pcf_step *s = &plan->steps[k];

		cJSON_AddItemToArray(list,
		                     step_json(s->action, strlen(s->action), s->summary, s->flags));
	}
}

/*
 * The engine records each action done as "Action: summary" (or "Action");
 * JSON gives it the same fields as a plan step.
 */
static void add_actions(cJSON *o, const pcf_particle_report *p)
{
	cJSON *list = cJSON_AddArrayToObject(o, "actions");
	size_t k;

	for (k = 0; list && k < p->action_count; k++) {
		const char *text = p->actions[k];
		const char *sep = strstr(text, ": ");

		cJSON_AddItemToArray(list,
		                     step_json(text, sep ? (size_t)(sep - text) : strlen(text),
		                               sep ? sep + 2 : "", 0));
	}
}

static cJSON *particle_json(const pcf_particle_report *p, pcf_cli_report_kind kind,
                            int desired_override)
{
	cJSON *o = cJSON_CreateObject();
	const char *table = pcf_cli_table_name(p->def);

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "name", p->def->name);
	cJSON_AddStringToObject(o, "flavor", p->def->flavor);
	if (table)
		cJSON_AddStringToObject(o, "table", table);
	else
		cJSON_AddNullToObject(o, "table");
	cJSON_AddStringToObject(o, "state", pcf_cli_state_name(p, kind));
	cJSON_AddStringToObject(o, "desired_state", desired_of(p, desired_override));
	cJSON_AddStringToObject(o, "outcome", pcf_outcome_name(p->outcome));
	if (kind == PCF_CLI_REPORT_STATUS) {
		cJSON_AddBoolToObject(o, "in_sync", report_in_sync(p));
		add_drift(o, &p->drift);
	} else if (kind == PCF_CLI_REPORT_PLAN) {
		add_steps(o, &p->plan);
		add_drift(o, &p->drift);
	} else {
		add_actions(o, p);
		cJSON_AddNumberToObject(o, "elapsed_ms", (double)p->elapsed_ms);
	}
	if (has_error(p) || p->error.code)
		cJSON_AddItemToObject(o, "error", pcf_cli_error_json(&p->error));
	return o;
}

cJSON *pcf_cli_report_json(const pcf_run_report *report, pcf_cli_report_kind kind,
                           int desired_override)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *list = doc ? cJSON_AddArrayToObject(doc, "particles") : NULL;
	size_t k;

	if (!list) {
		cJSON_Delete(doc);
		return NULL;
	}
	for (k = 0; report && k < report->count; k++) {
		cJSON *p = particle_json(&report->particles[k], kind, desired_override);

		if (!p) {
			cJSON_Delete(doc);
			return NULL;
		}
		cJSON_AddItemToArray(list, p);
	}
	return doc;
}

int pcf_cli_report_exit(const pcf_run_report *report, pcf_cli_report_kind kind, int rc)
{
	int failed = 0, timed_out = 0, changes = 0, locked = 0;
	size_t k;

	if (!report)
		return rc == PCF_ETIMEDOUT ? PCF_CLI_EXIT_TIMEOUT : PCF_CLI_EXIT_ERROR;
	for (k = 0; k < report->count; k++) {
		switch (report->particles[k].outcome) {
		case PCF_OUTCOME_TIMED_OUT:
			timed_out = 1;
			break;
		case PCF_OUTCOME_REFUSED:
			/* A plan that needs --yes still shows what would change. */
			if (kind == PCF_CLI_REPORT_PLAN)
				changes = 1;
			else
				failed = 1;
			break;
		case PCF_OUTCOME_FAILED:
			/* Another run holds (or took) its lock: exit 4 unless something failed. */
			if (report->particles[k].error.code == PCF_ELOCKED ||
			    report->particles[k].error.code == PCF_ELOCK_LOST)
				locked = 1;
			else
				failed = 1;
			break;
		case PCF_OUTCOME_CANCELLED: /* apply/run/stop/terminate exit 130 for it */
			failed = 1;
			break;
		case PCF_OUTCOME_SKIPPED:
			/* Another particle of this run is the cause; its outcome decides. */
			break;
		case PCF_OUTCOME_KEPT:
			/* persist_on_termination: a success, unless --strict made it an error. */
			failed |= report->particles[k].error.code < 0;
			break;
		case PCF_OUTCOME_CHANGES:
			changes = 1;
			break;
		case PCF_OUTCOME_CONVERGED:
		case PCF_OUTCOME_IN_SYNC:
			break;
		}
	}
	if (failed)
		return PCF_CLI_EXIT_ERROR;
	if (locked)
		return PCF_CLI_EXIT_LOCKED;
	if (timed_out)
		return kind == PCF_CLI_REPORT_APPLY ? PCF_CLI_EXIT_TIMEOUT : PCF_CLI_EXIT_ERROR;
	if (kind == PCF_CLI_REPORT_APPLY)
		return rc < 0 ? PCF_CLI_EXIT_ERROR : PCF_CLI_EXIT_OK;
	return changes ? PCF_CLI_EXIT_CHANGES : PCF_CLI_EXIT_OK;
}
