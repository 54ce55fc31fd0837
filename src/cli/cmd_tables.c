/*
 * pcf tables: the names of the live tables at the endpoint.
 *
 * ListTables through the transport, every page followed, one name a line
 * (-o json: {"tables":[...]}). It reads no definitions, so it works as a
 * first look at an account or a local server, and it names what
 * `pcf export` can export.
 */
#include "src/cli/cli.h"

int pcf_cli_tables(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_ddb *db = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *names = NULL;
	const cJSON *name;
	int exit_code = PCF_CLI_EXIT_OK;

	if (argc > 1)
		return pcf_cli_usage_error(ctx, "takes no operands, found '%s'", argv[1]);
	if (pcf_cli_ddb_new(&db, ctx, NULL, &err) != 0)
		return pcf_cli_error(ctx, &err, "setting up the DynamoDB client");
	if (pcf_ddb_list_tables(&names, db, &err) != 0) {
		const char *endpoint = pcf_aws_client_endpoint(pcf_ddb_transport(db));

		exit_code = pcf_cli_error(ctx, &err, "listing tables at %s",
		                          endpoint ? endpoint : "the endpoint");
		goto out;
	}
	if (ctx->format == PCF_CLI_FORMAT_JSON) {
		cJSON *doc = cJSON_CreateObject();

		if (doc) {
			cJSON_AddItemToObject(doc, "tables", names);
			names = NULL;
		}
		if (pcf_cli_json_emit_take(ctx, doc) != 0)
			exit_code = pcf_cli_fail(ctx, "could not write the JSON output");
		goto out;
	}
	cJSON_ArrayForEach(name, names)
	{
		if (cJSON_IsString(name))
			fprintf(ctx->out, "%s\n", name->valuestring);
	}
	if (cJSON_GetArraySize(names) == 0 && ctx->verbosity >= 0)
		fputs("pcf tables: the endpoint has no tables\n", ctx->err);
out:
	cJSON_Delete(names);
	pcf_ddb_free(db);
	return exit_code;
}
