/*
 * pcf validate [NAME...]: parse and check the definitions; no network.
 *
 * Every problem of every file is reported at once as file:line:col, so a
 * user fixes them in one pass. Names given on the command line must exist.
 * With -o json the problems are the document:
 * {"valid":false,"problems":[{"file","line","column","message"}]}; a valid
 * set lists its particles. Exit 0 valid, 1 invalid.
 */
#include "src/cli/cli.h"

#include <string.h>

static cJSON *problems_json(const pcf_diags *diags)
{
	cJSON *list = cJSON_CreateArray();
	size_t k;

	for (k = 0; list && k < diags->count; k++) {
		const pcf_diag *d = &diags->items[k];
		cJSON *o = cJSON_CreateObject();

		if (!o)
			break;
		cJSON_AddStringToObject(o, "file", d->file ? d->file : "");
		cJSON_AddNumberToObject(o, "line", d->line);
		cJSON_AddNumberToObject(o, "column", d->column);
		cJSON_AddStringToObject(o, "message", d->message ? d->message : "");
		cJSON_AddItemToArray(list, o);
	}
	return list;
}

static cJSON *particles_json(const pcf_definitions *defs)
{
	cJSON *list = cJSON_CreateArray();
	size_t k;

	for (k = 0; list && defs && k < defs->count; k++) {
		const pcf_particle_def *def = &defs->particles[k];
		const char *table = pcf_cli_table_name(def);
		cJSON *o = cJSON_CreateObject();

		if (!o)
			break;
		cJSON_AddStringToObject(o, "name", def->name);
		cJSON_AddStringToObject(o, "flavor", def->flavor);
		if (table)
			cJSON_AddStringToObject(o, "table", table);
		cJSON_AddStringToObject(o, "desired_state",
		                        pcf_cli_desired_name(def->desired_state));
		if (def->mark.file)
			cJSON_AddStringToObject(o, "file", def->mark.file);
		cJSON_AddNumberToObject(o, "line", def->mark.line);
		cJSON_AddItemToArray(list, o);
	}
	return list;
}

/* Names on the command line that select no particle become problems too. */
static void check_names(const pcf_definitions *defs, int argc, char **argv, pcf_diags *diags)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!pcf_definitions_find(defs, argv[i]))
			pcf_diags_add(diags, "<command line>", 0, 0,
			              "no particle named '%s' in the definitions", argv[i]);
}

static void print_text(const pcf_cli_context *ctx, const pcf_definitions *defs,
                       const pcf_diags *diags)
{
	size_t k, width = 0;

	if (diags->count) {
		pcf_diags_print(diags, ctx->err);
		pcf_cli_fail(ctx, "%zu problem%s found", diags->count,
		             diags->count == 1 ? "" : "s");
		return;
	}
	for (k = 0; k < defs->count; k++)
		if (strlen(defs->particles[k].id) > width)
			width = strlen(defs->particles[k].id);
	for (k = 0; k < defs->count; k++) {
		const pcf_particle_def *def = &defs->particles[k];
		const char *table = pcf_cli_table_name(def);

		fprintf(ctx->out, "%-*s  %s", (int)width, def->id,
		        pcf_cli_desired_name(def->desired_state));
		if (table && strcmp(table, def->name) != 0)
			fprintf(ctx->out, "  (table %s)", table);
		fputc('\n', ctx->out);
	}
	fprintf(ctx->out, "%s%zu particle%s valid%s\n",
	        pcf_cli_color_code(ctx, PCF_CLI_COLOR_GREEN), defs->count,
	        defs->count == 1 ? "" : "s", pcf_cli_color_code(ctx, PCF_CLI_COLOR_RESET));
}

/* What is accepted and ignored is said at -v, where it was written. */
static void note_ignored(const pcf_cli_context *ctx, const pcf_definitions *defs)
{
	pcf_logger logger = pcf_cli_logger(ctx);
	pcf_source_mark m;

	for (size_t k = 0; defs && k < defs->count; k++) {
		const pcf_particle_def *def = &defs->particles[k];

		if (!cJSON_GetObjectItemCaseSensitive(def->aws_resource, "custom_config"))
			continue;
		pcf_particle_def_locate_key(&m, def, "aws_resource.custom_config");
		pcf_log(&logger, PCF_LOG_DEBUG,
		        "%s:%d:%d: aws_resource.custom_config is PCF's own setting: ignored",
		        m.file ? m.file : "?", m.line, m.column);
	}
}

int pcf_cli_validate(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_definitions *defs = NULL;
	pcf_diags diags;
	size_t flavor_count = 0;
	const pcf_flavor *const *flavors = pcf_cli_flavors(&flavor_count);
	int i, rc, exit_code;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
	pcf_diags_init(&diags);
	/* Even when loading found problems, the flavor schemas are checked too:
	 * one run reports every problem of every file. */
	rc = pcf_definitions_load_partial(&defs, ctx->paths, ctx->path_count, &diags);
	if (defs != NULL) {
		/* A failure is a diag, which makes the exit code an error. */
		pcf_cli_normalize(defs, flavors, flavor_count, &diags);
		pcf_cli_check_definitions(defs, ctx, &diags);
		if (rc == 0)
			check_names(defs, argc, argv, &diags);
		pcf_diags_sort(&diags, 0);
	}
	note_ignored(ctx, defs);
	if (rc < 0 && diags.count == 0) {
		pcf_diags_add(&diags, ctx->path_count ? ctx->paths[0] : "pcf.yml", 0, 0,
		              "could not be loaded: %s", pcf_error_code_describe(rc));
	}
	exit_code = diags.count ? PCF_CLI_EXIT_ERROR : PCF_CLI_EXIT_OK;
	if (ctx->format == PCF_CLI_FORMAT_JSON) {
		cJSON *doc = cJSON_CreateObject();

		if (doc) {
			cJSON_AddBoolToObject(doc, "valid", diags.count == 0);
			cJSON_AddItemToObject(doc, "problems", problems_json(&diags));
			cJSON_AddItemToObject(doc, "particles",
			                      particles_json(diags.count ? NULL : defs));
		}
		if (pcf_cli_json_emit_take(ctx, doc) != 0)
			exit_code = pcf_cli_fail(ctx, "could not write the JSON output");
		else if (diags.count)
			pcf_diags_print(&diags, ctx->err);
	} else {
		print_text(ctx, defs, &diags);
	}
	pcf_definitions_free(defs);
	pcf_diags_cleanup(&diags);
	return exit_code;
}
