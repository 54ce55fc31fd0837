/*
 * pcf item get|put|delete NAME --key JSON | --item JSON
 *
 * Item operations on the table of one particle, for a quick look or a fix
 * by hand. Keys and items are read as plain JSON ({"id":"a1","n":3}) or,
 * when every value is an attribute value ({"id":{"S":"a1"}}), as DynamoDB
 * JSON; --dynamodb-json prints results in DynamoDB JSON too. get prints
 * the item; a key with no item is an error (exit 1) so scripts can test
 * for it. put and delete print nothing in text form; -o json prints
 * {"item": ...} (get), {"old_item": ... or null} (delete) or {} (put).
 */
#include "src/cli/cli.h"

#include <string.h>

typedef struct item_args {
	const char *verb;
	const char *name;
	const char *key;
	const char *item;
	int dynamodb_json;
} item_args;

static int parse(item_args *a, const pcf_cli_context *ctx, int argc, char **argv)
{
	int i, taken;

	memset(a, 0, sizeof(*a));
	for (i = 1; i < argc; i++) {
		if ((taken = pcf_cli_take_option(ctx, "--key", &i, argc, argv, &a->key)) != 0 ||
		    (taken = pcf_cli_take_option(ctx, "--item", &i, argc, argv, &a->item)) != 0) {
			if (taken < 0)
				return -1;
		} else if (!strcmp(argv[i], "--dynamodb-json")) {
			a->dynamodb_json = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
			return -1;
		} else if (!a->verb) {
			a->verb = argv[i];
		} else if (!a->name) {
			a->name = argv[i];
		} else {
			pcf_cli_usage_error(ctx, "unexpected operand '%s'", argv[i]);
			return -1;
		}
	}
	if (!a->verb ||
	    (strcmp(a->verb, "get") && strcmp(a->verb, "put") && strcmp(a->verb, "delete"))) {
		pcf_cli_usage_error(ctx, "expected get, put or delete, found '%s'",
		                    a->verb ? a->verb : "nothing");
		return -1;
	}
	if (!a->name) {
		pcf_cli_usage_error(ctx, "%s: expected a particle NAME", a->verb);
		return -1;
	}
	if (!strcmp(a->verb, "put") ? !a->item : !a->key) {
		pcf_cli_usage_error(ctx, "%s needs %s JSON", a->verb,
		                    !strcmp(a->verb, "put") ? "--item" : "--key");
		return -1;
	}
	return 0;
}

/* Parses a --key/--item value; must be a JSON object. */
static cJSON *parse_object(const pcf_cli_context *ctx, const char *option, const char *text)
{
	const char *end = NULL;
	/* The length counts the NUL: cJSON looks for it to refuse trailing text. */
	cJSON *v = cJSON_ParseWithLengthOpts(text, strlen(text) + 1, &end, 1);

	if (!v) {
		size_t at = end && end >= text ? (size_t)(end - text) : 0;

		pcf_cli_fail(ctx, "%s: not valid JSON (at character %zu of '%s')", option, at + 1,
		             text);
		return NULL;
	}
	if (!cJSON_IsObject(v)) {
		pcf_cli_fail(ctx,
		             "%s: expected a JSON object such as '{\"id\":\"a1\"}', found '%s'",
		             option, text);
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

static int print_result(const pcf_cli_context *ctx, const char *verb, cJSON *item)
{
	cJSON *doc;

	if (ctx->format == PCF_CLI_FORMAT_TEXT) {
		if (!strcmp(verb, "get"))
			return pcf_cli_json_emit_take(ctx, item);
		cJSON_Delete(item);
		return 0;
	}
	doc = cJSON_CreateObject();
	if (!doc) {
		cJSON_Delete(item);
		return PCF_ENOMEM;
	}
	if (!strcmp(verb, "get"))
		cJSON_AddItemToObject(doc, "item", item);
	else if (!strcmp(verb, "delete"))
		cJSON_AddItemToObject(doc, "old_item", item ? item : cJSON_CreateNull());
	else
		cJSON_Delete(item);
	return pcf_cli_json_emit_take(ctx, doc);
}

static int run(cJSON **result, const item_args *a, pcf_services *services,
               const pcf_particle_def *def, const cJSON *value, pcf_error *err)
{
	pcf_item_format out = a->dynamodb_json ? PCF_ITEM_DYNAMODB : PCF_ITEM_PLAIN;

	*result = NULL;
	if (!strcmp(a->verb, "get"))
		return pcf_table_item_get(result, services, def, value, PCF_ITEM_AUTO, out, err);
	if (!strcmp(a->verb, "put"))
		return pcf_table_item_put(services, def, value, PCF_ITEM_AUTO, err);
	return pcf_table_item_delete(result, services, def, value, PCF_ITEM_AUTO, out, err);
}

int pcf_cli_item(const pcf_cli_context *ctx, int argc, char **argv)
{
	item_args a;
	pcf_definitions *defs = NULL;
	pcf_services *services = NULL;
	const pcf_particle_def *def;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *value = NULL, *result = NULL;
	int rc, exit_code = PCF_CLI_EXIT_ERROR;

	if (parse(&a, ctx, argc, argv) != 0)
		return PCF_CLI_EXIT_ERROR;
	value = a.item ? parse_object(ctx, "--item", a.item) : parse_object(ctx, "--key", a.key);
	if (!value || pcf_cli_load_definitions(&defs, ctx) != 0)
		goto out;
	def = pcf_definitions_find(defs, a.name);
	if (!def) {
		pcf_cli_fail(ctx, "item %s: no particle named '%s' in the definitions", a.verb,
		             a.name);
		goto out;
	}
	if (pcf_cli_services_new(&services, ctx, &err) != 0) {
		pcf_cli_error(ctx, &err, "setting up the DynamoDB client");
		goto out;
	}
	rc = run(&result, &a, services, def, value, &err);
	if (rc == PCF_ENOTFOUND && !strcmp(a.verb, "get")) {
		pcf_cli_fail(ctx, "item get %s: no item with key %s in table '%s'", a.name, a.key,
		             pcf_cli_table_name(def) ? pcf_cli_table_name(def) : a.name);
		goto out;
	}
	if (rc) {
		pcf_cli_error(ctx, &err, "item %s %s", a.verb, a.name);
		goto out;
	}
	exit_code = print_result(ctx, a.verb, result) == 0
	                ? PCF_CLI_EXIT_OK
	                : pcf_cli_fail(ctx, "could not write the output");
out:
	cJSON_Delete(value);
	pcf_services_free(services);
	pcf_definitions_free(defs);
	return exit_code;
}
