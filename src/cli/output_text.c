/*
 * The text form of plan, apply and status reports.
 *
 * Written for the person reviewing a change: one line per particle with
 * its name, table and where it stands, then one indented line per step
 * (plan), action (apply) or drifted path (status), each reading old -> new.
 * Markers follow the usual reviewer conventions: '+' creates, '-' deletes,
 * '~' changes in place, '!' replaces. Colour only marks; the words alone
 * say everything, so the output reads the same with NO_COLOR.
 */
#include "src/cli/cli.h"

#include <string.h>

/* "name" or "name (table t)" when the table is named otherwise. */
static void head_text(char *buf, size_t size, const pcf_particle_def *def)
{
	const char *table = pcf_cli_table_name(def);

	if (table && strcmp(table, def->name) != 0)
		snprintf(buf, size, "%s (table %s)", def->name, table);
	else
		snprintf(buf, size, "%s", def->name);
}

static int head_width(const pcf_run_report *report)
{
	char buf[256];
	size_t k, w = 0;

	for (k = 0; k < report->count; k++) {
		head_text(buf, sizeof(buf), report->particles[k].def);
		if (strlen(buf) > w)
			w = strlen(buf);
	}
	return w > 60 ? 60 : (int)w;
}

static void print_head(const pcf_cli_context *ctx, const pcf_particle_report *p, int width)
{
	char buf[256];

	head_text(buf, sizeof(buf), p->def);
	fprintf(ctx->out, "%s%-*s%s", pcf_cli_color_code(ctx, PCF_CLI_COLOR_BOLD), width, buf,
	        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET));
}

/*
 * One line per drifted path: "path: old -> new" (current -> desired, the
 * words the JSON drift entries use).
 */
static void print_drift(const pcf_cli_context *ctx, const pcf_drift *drift, const char *indent,
                        int label)
{
	size_t k;

	for (k = 0; k < drift->count; k++) {
		const pcf_drift_entry *e = &drift->entries[k];

		fprintf(ctx->out, "%s%s: ", indent, e->path);
		pcf_cli_json_write_value(ctx->out, e->current);
		fputs(label ? " (current) -> " : " -> ", ctx->out);
		pcf_cli_json_write_value(ctx->out, e->desired);
		fputs(label ? " (desired)\n" : "\n", ctx->out);
	}
}

static void print_error(const pcf_cli_context *ctx, const pcf_particle_report *p)
{
	const pcf_error *e = &p->error;

	fprintf(ctx->out, "    %serror:%s %s", pcf_cli_color_code(ctx, PCF_CLI_COLOR_RED),
	        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET),
	        e->message[0] ? e->message : pcf_error_code_describe(e->code));
	if (e->aws_type[0])
		fprintf(ctx->out, " [%s]", e->aws_type);
	fputc('\n', ctx->out);
	/* Say how to proceed unless the message already does. */
	if (p->outcome == PCF_OUTCOME_REFUSED && !ctx->yes && !strstr(e->message, "--yes"))
		fputs("    (pass --yes to allow deletions; replacements also need "
		      "--allow-replace)\n",
		      ctx->out);
}

static char step_mark(const pcf_step *s)
{
	const char *kind = pcf_cli_step_kind(s->action, s->flags);

	if (!strcmp(kind, "replace"))
		return '!';
	if (!strcmp(kind, "delete"))
		return '-';
	return !strcmp(kind, "create") ? '+' : '~';
}

static pcf_cli_color mark_color(char mark)
{
	switch (mark) {
	case '+':
		return PCF_CLI_COLOR_GREEN;
	case '-':
	case '!':
		return PCF_CLI_COLOR_RED;
	default:
		return PCF_CLI_COLOR_YELLOW;
	}
}

/* What a step needs from the command line, unless its summary says so already. */
static void print_step_needs(const pcf_cli_context *ctx, const pcf_step *s)
{
	int said = s->summary && strstr(s->summary, "--yes");

	if ((s->flags & PCF_STEP_REPLACE) && !ctx->allow_replace && !said)
		fputs("  (needs --allow-replace and --yes)", ctx->out);
	else if ((s->flags & PCF_STEP_DESTRUCTIVE) && !ctx->yes && !said)
		fputs("  (needs --yes)", ctx->out);
}

static void plan_particle(const pcf_cli_context *ctx, const pcf_particle_report *p, int width)
{
	size_t k;

	print_head(ctx, p, width);
	fprintf(ctx->out, "  %s", pcf_cli_state_name(p, PCF_CLI_REPORT_PLAN));
	if (p->outcome == PCF_OUTCOME_KEPT && !p->error.code) {
		fputs(": kept (persist_on_termination: terminate leaves it)\n", ctx->out);
		return;
	}
	if (p->plan.count == 0 && !p->error.code) {
		fputs(p->drift.count ? ": no steps (persist_on_update leaves this drift)\n"
		                     : ": no changes\n",
		      ctx->out);
		print_drift(ctx, &p->drift, "    ", 1);
		return;
	}
	fprintf(ctx->out, ": %zu step%s\n", p->plan.count, p->plan.count == 1 ? "" : "s");
	for (k = 0; k < p->plan.count; k++) {
		const pcf_step *s = &p->plan.steps[k];
		char mark = step_mark(s);

		fprintf(ctx->out, "  %s%c %s%s", pcf_cli_color_code(ctx, mark_color(mark)), mark,
		        s->action, pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET));
		if (s->summary && s->summary[0])
			fprintf(ctx->out, ": %s", s->summary);
		print_step_needs(ctx, s);
		fputc('\n', ctx->out);
	}
	print_drift(ctx, &p->drift, "      ", 0);
	if (p->error.code)
		print_error(ctx, p);
}

static void status_particle(const pcf_cli_context *ctx, const pcf_particle_report *p, int width,
                            const char *desired)
{
	int in_sync = p->outcome == PCF_OUTCOME_IN_SYNC || p->outcome == PCF_OUTCOME_CONVERGED;
	const char *state = pcf_cli_state_name(p, PCF_CLI_REPORT_STATUS);

	print_head(ctx, p, width);
	fprintf(ctx->out, "  %-10s ", state);
	if (p->outcome == PCF_OUTCOME_FAILED) {
		fprintf(ctx->out, "%scould not read%s\n",
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RED),
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET));
		print_error(ctx, p);
		return;
	}
	if (in_sync) {
		fprintf(ctx->out, "%sin sync%s", pcf_cli_color_code(ctx, PCF_CLI_COLOR_GREEN),
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET));
		/* persist_on_update: differences are reported but never acted on. */
		if (p->drift.count)
			fprintf(ctx->out, " (persist_on_update leaves %zu difference%s)",
			        p->drift.count, p->drift.count == 1 ? "" : "s");
		fputc('\n', ctx->out);
		print_drift(ctx, &p->drift, "    ", 1);
		return;
	}
	fputs(pcf_cli_color_code(ctx, PCF_CLI_COLOR_YELLOW), ctx->out);
	if (p->drift.count)
		fprintf(ctx->out, "drift: %zu difference%s", p->drift.count,
		        p->drift.count == 1 ? "" : "s");
	else
		fputs("not at desired state", ctx->out);
	fprintf(ctx->out, "%s (desired %s)\n", pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET),
	        desired);
	print_drift(ctx, &p->drift, "    ", 1);
}

static void apply_particle(const pcf_cli_context *ctx, const pcf_particle_report *p, int width,
                           const char *desired)
{
	size_t k;

	print_head(ctx, p, width);
	switch (p->outcome) {
	case PCF_OUTCOME_CONVERGED:
	case PCF_OUTCOME_IN_SYNC:
		fprintf(ctx->out, "  %s%s%s", pcf_cli_color_code(ctx, PCF_CLI_COLOR_GREEN), desired,
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET));
		if (p->action_count == 0)
			fputs(", nothing to do\n", ctx->out);
		else
			fprintf(ctx->out, " after %zu action%s in %.1fs\n", p->action_count,
			        p->action_count == 1 ? "" : "s", (double)p->elapsed_ms / 1000.0);
		break;
	case PCF_OUTCOME_KEPT:
		fprintf(ctx->out,
		        "  %skept%s: persist_on_termination is set, pcf never deletes it\n",
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_YELLOW),
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET));
		break;
	default:
		fprintf(ctx->out, "  %s%s%s (state %s, desired %s)\n",
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RED), pcf_outcome_name(p->outcome),
		        pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET),
		        pcf_cli_state_name(p, PCF_CLI_REPORT_APPLY), desired);
		break;
	}
	for (k = 0; k < p->action_count; k++)
		fprintf(ctx->out, "    done: %s\n", p->actions[k]);
	if (p->outcome != PCF_OUTCOME_CONVERGED && p->outcome != PCF_OUTCOME_IN_SYNC &&
	    p->error.code < 0)
		print_error(ctx, p);
}

static void plan_footer(const pcf_cli_context *ctx, const pcf_run_report *report)
{
	size_t k, steps = 0, changed = 0, failed = 0;

	for (k = 0; k < report->count; k++) {
		steps += report->particles[k].plan.count;
		changed += report->particles[k].plan.count > 0;
		failed += report->particles[k].error.code < 0;
	}
	/* "No changes" only when every particle was planned. */
	if (failed)
		fprintf(ctx->out, "\nPlanning failed for %zu of %zu particle%s (see above)%s.\n",
		        failed, report->count, report->count == 1 ? "" : "s",
		        steps ? "; the steps listed are those planned for the others" : "");
	else if (steps == 0)
		fputs("\nNo changes: apply would do nothing.\n", ctx->out);
	else
		fprintf(ctx->out, "\nPlan: %zu step%s for %zu of %zu particle%s.\n", steps,
		        steps == 1 ? "" : "s", changed, report->count,
		        report->count == 1 ? "" : "s");
}

void pcf_cli_report_text(const pcf_cli_context *ctx, const pcf_run_report *report,
                         pcf_cli_report_kind kind, int desired_override)
{
	int width;
	size_t k;

	if (!report || report->count == 0) {
		fputs("No particles selected.\n", ctx->out);
		return;
	}
	width = head_width(report);
	for (k = 0; k < report->count; k++) {
		const pcf_particle_report *p = &report->particles[k];
		const char *desired =
		    desired_override >= 0
		        ? pcf_cli_desired_name((pcf_desired_state)desired_override)
		        : pcf_cli_desired_name(p->def->desired_state);

		if (kind == PCF_CLI_REPORT_PLAN)
			plan_particle(ctx, p, width);
		else if (kind == PCF_CLI_REPORT_STATUS)
			status_particle(ctx, p, width, desired);
		else
			apply_particle(ctx, p, width, desired);
	}
	if (kind == PCF_CLI_REPORT_PLAN)
		plan_footer(ctx, report);
	fflush(ctx->out);
}
