/*
 * pcf export [TABLE...]: definitions that reproduce live tables.
 *
 * The table flavor reads each live table and builds its particle (the
 * CreateTable shape with TTL, PITR and tags where the server has them,
 * server-filled fields left out); this writes them as YAML with libyaml's
 * emitter, so `pcf apply -f` of the output recreates identical tables.
 * One table prints one particle; several print a YAML list. With no TABLE,
 * every table ListTables names is exported. Reads no definitions.
 */
#include "src/cli/cli.h"

/* The tables to export: the operands, or every live table when there are none. */
static int table_names(cJSON **out, const pcf_cli_context *ctx, pcf_services *services, int argc,
                       char **argv, pcf_error *err)
{
	pcf_ddb *db = NULL;
	int rc;

	if (argc > 1) {
		*out = cJSON_CreateStringArray((const char *const *)argv + 1, argc - 1);
		return *out ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	rc = pcf_services_ddb(&db, services, ctx->region, err);
	if (rc == 0)
		rc = pcf_ddb_list_tables(out, db, err);
	if (rc)
		pcf_error_prefix(err, "listing tables");
	return rc;
}

/*
 * Exports each named table. listed: the names came from ListTables, so a
 * table deleted since then is skipped with a warning rather than failing
 * the whole export.
 */
static int export_all(cJSON *particles, const pcf_cli_context *ctx, pcf_services *services,
                      const cJSON *names, int listed)
{
	const cJSON *name;

	cJSON_ArrayForEach(name, names)
	{
		pcf_error err = PCF_ERROR_INIT;
		cJSON *particle = NULL;

		if (!cJSON_IsString(name))
			continue;
		if (pcf_table_export(&particle, services, name->valuestring, NULL, &err) == 0) {
			cJSON_AddItemToArray(particles, particle);
			continue;
		}
		if (!listed || err.code != PCF_ERESOURCE_NOT_FOUND)
			return pcf_cli_error(ctx, &err, "exporting table '%s'", name->valuestring);
		if (ctx->verbosity >= 0)
			fprintf(ctx->err,
			        "pcf export: warning: table '%s' was deleted while exporting\n",
			        name->valuestring);
	}
	return PCF_CLI_EXIT_OK;
}

static int write_yaml(const pcf_cli_context *ctx, const cJSON *particles)
{
	pcf_error err = PCF_ERROR_INIT;
	const cJSON *doc = particles;

	if (cJSON_GetArraySize(particles) == 1)
		doc = cJSON_GetArrayItem(particles, 0);
	if (pcf_cli_yaml_write(ctx->out, doc, &err) != 0)
		return pcf_cli_error(ctx, &err, "writing the definitions");
	return fflush(ctx->out) == 0 ? PCF_CLI_EXIT_OK
	                             : pcf_cli_fail(ctx, "could not write the output");
}

int pcf_cli_export(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_services *services = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *names = NULL, *particles = NULL;
	int i, exit_code;

	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1])
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
	if (pcf_cli_services_new(&services, ctx, &err) != 0)
		return pcf_cli_error(ctx, &err, "setting up the DynamoDB client");
	if (table_names(&names, ctx, services, argc, argv, &err) != 0) {
		exit_code = pcf_cli_error(ctx, &err, "finding the tables to export");
		goto out;
	}
	particles = cJSON_CreateArray();
	if (!particles) {
		exit_code = pcf_cli_fail(ctx, "out of memory");
		goto out;
	}
	exit_code = export_all(particles, ctx, services, names, argc == 1);
	if (exit_code != PCF_CLI_EXIT_OK)
		goto out;
	if (ctx->format == PCF_CLI_FORMAT_JSON) {
		if (pcf_cli_json_emit_take(ctx, particles) != 0)
			exit_code = pcf_cli_fail(ctx, "could not write the JSON output");
		particles = NULL;
	} else {
		exit_code = write_yaml(ctx, particles);
	}
out:
	cJSON_Delete(particles);
	cJSON_Delete(names);
	pcf_services_free(services);
	return exit_code;
}
