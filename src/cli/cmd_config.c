/*
 * pcf config: read and write the options of a configuration store.
 *
 *   pcf config set STORE OPTION KEY=VALUE... [--json]
 *   pcf config get STORE [OPTION]
 *   pcf config list [STORE]
 *   pcf config delete STORE OPTION
 *
 * The table comes from the dynamodb_config_store particle in the
 * definitions (the library reads its TableName, StoreKey, OptionKey and
 * region_name: pcf_config_table_from_resource; --particle NAME picks one
 * when there are several), or from --table NAME with the default key
 * names. Every command checks the table's key schema
 * first, so a table laid out for something else is refused by name
 * (MisconfiguredSchema) instead of being written into. Reads are direct
 * and consistent: a CLI call must see the write that came before it.
 *
 * set replaces the whole option, as the library's set does. Text output is
 * "key = value" lines (strings bare, other values as compact JSON); -o
 * json prints plain JSON objects as DESIGN.md fixes them.
 */
#include "src/cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include <pcf/config_store.h>

#define CONFIG_FLAVOR "dynamodb_config_store"

/* The command's words, once options are taken out. */
struct config_args {
	const char *sub;
	const char *particle;  /* --particle */
	const char *table;     /* --table */
	int json_values;       /* --json */
	const char **operands; /* heap array of borrowed strings */
	int count;
};

/* Where the command works: a table, its keys and a client for its region. */
struct config_target {
	pcf_definitions *defs;
	pcf_config_table table;
	const char *region;
	pcf_ddb *db;
};

static int parse_args(struct config_args *a, const pcf_cli_context *ctx, int argc, char **argv)
{
	int options_done = 0;
	memset(a, 0, sizeof(*a));
	if (argc < 2)
		return pcf_cli_usage_error(ctx, "expected set, get, list or delete");
	a->sub = argv[1];
	if (!(a->operands = calloc((size_t)argc, sizeof(*a->operands))))
		return pcf_cli_fail(ctx, "out of memory");
	for (int i = 2; i < argc; i++) {
		int took;
		if (!options_done && strcmp(argv[i], "--") == 0) {
			options_done = 1;
			continue;
		}
		if (!options_done && strcmp(argv[i], "--json") == 0) {
			a->json_values = 1;
			continue;
		}
		if (!options_done) {
			took = pcf_cli_take_option(ctx, "--particle", &i, argc, argv, &a->particle);
			if (took == 0)
				took =
				    pcf_cli_take_option(ctx, "--table", &i, argc, argv, &a->table);
			if (took < 0)
				return PCF_CLI_EXIT_ERROR;
			if (took > 0)
				continue;
		}
		if (!options_done && argv[i][0] == '-' && argv[i][1] == '-')
			return pcf_cli_usage_error(ctx, "unknown option '%s'", argv[i]);
		a->operands[a->count++] = argv[i];
	}
	if (a->particle && a->table)
		return pcf_cli_usage_error(ctx, "--particle and --table cannot be used together");
	return PCF_CLI_EXIT_OK;
}

/* The only config-store particle, or the one --particle names. */
static int pick_particle(const pcf_particle_def **out, const pcf_cli_context *ctx,
                         const pcf_definitions *defs, const char *selector)
{
	const pcf_particle_def *found = NULL;
	size_t n = 0;
	*out = NULL;
	if (selector) {
		found = pcf_definitions_find(defs, selector);
		if (!found)
			return pcf_cli_fail(ctx, "no particle named '%s' in the definitions",
			                    selector);
		if (strcmp(found->flavor, CONFIG_FLAVOR) != 0)
			return pcf_cli_fail(ctx, "particle '%s' is a %s, not a %s", selector,
			                    found->flavor, CONFIG_FLAVOR);
		*out = found;
		return PCF_CLI_EXIT_OK;
	}
	for (size_t i = 0; i < defs->count; i++) {
		if (strcmp(defs->particles[i].flavor, CONFIG_FLAVOR) == 0) {
			found = &defs->particles[i];
			n++;
		}
	}
	if (n == 0)
		return pcf_cli_fail(ctx,
		                    "the definitions hold no %s particle; name a table with "
		                    "--table NAME",
		                    CONFIG_FLAVOR);
	if (n > 1)
		return pcf_cli_fail(ctx,
		                    "the definitions hold %zu %s particles; pick one with "
		                    "--particle NAME",
		                    n, CONFIG_FLAVOR);
	*out = found;
	return PCF_CLI_EXIT_OK;
}

static void target_close(struct config_target *t)
{
	pcf_ddb_free(t->db);
	pcf_definitions_free(t->defs);
	memset(t, 0, sizeof(*t));
}

/* Finds the table and makes a client for its region. Returns an exit status. */
static int target_open(struct config_target *t, const pcf_cli_context *ctx,
                       const struct config_args *a)
{
	const pcf_particle_def *def = NULL;
	pcf_error err = PCF_ERROR_INIT;
	int rc;

	memset(t, 0, sizeof(*t));
	if (a->table) {
		t->table.name = a->table;
	} else {
		if (pcf_cli_load_definitions(&t->defs, ctx) != 0)
			return PCF_CLI_EXIT_ERROR;
		if ((rc = pick_particle(&def, ctx, t->defs, a->particle)) != PCF_CLI_EXIT_OK)
			goto fail;
		if (pcf_config_table_from_resource(&t->table, &t->region, def->aws_resource,
		                                   &err) != 0) {
			rc = pcf_cli_error(ctx, &err, "particle %s", def->name);
			goto fail;
		}
	}
	if (pcf_cli_ddb_new(&t->db, ctx, t->region, &err) != 0) {
		rc = pcf_cli_error(ctx, &err, "setting up the DynamoDB client");
		goto fail;
	}
	return PCF_CLI_EXIT_OK;
fail:
	target_close(t);
	return rc;
}

/* Reports a failed table check (missing table, MisconfiguredSchema). */
static int table_error(const pcf_cli_context *ctx, const struct config_target *t,
                       const pcf_error *err)
{
	if (err->code == PCF_ERESOURCE_NOT_FOUND)
		return pcf_cli_error(ctx, err, "table %s does not exist (pcf apply creates it)",
		                     t->table.name);
	return pcf_cli_error(ctx, err, "table %s", t->table.name);
}

/* Opens STORE on the target in direct mode: consistent reads, no snapshot. */
static int store_open(pcf_config_store **out, const pcf_cli_context *ctx,
                      const struct config_target *t, const char *store)
{
	pcf_config_store_options o = PCF_CONFIG_STORE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	o.table = t->table;
	o.store = store;
	o.mode = PCF_CONFIG_DIRECT;
	o.create_table = 0;
	if (pcf_config_store_open(out, t->db, &o, &err) != 0)
		return err.code == PCF_EINVAL ? pcf_cli_error(ctx, &err, "store %s", store)
		                              : table_error(ctx, t, &err);
	return PCF_CLI_EXIT_OK;
}

/* One "key = value" line: strings bare, everything else as compact JSON. */
static void print_pair(const pcf_cli_context *ctx, const cJSON *value)
{
	fprintf(ctx->out, "%s = ", value->string);
	if (cJSON_IsString(value))
		fputs(value->valuestring, ctx->out);
	else
		pcf_cli_json_write_value(ctx->out, value);
	fputc('\n', ctx->out);
}

static void print_option_text(const pcf_cli_context *ctx, const cJSON *data)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, data) print_pair(ctx, v);
}

/* Prints doc (taken) as JSON, or as text with print_text. */
static int emit(const pcf_cli_context *ctx, cJSON *doc,
                void (*print_text)(const pcf_cli_context *, const cJSON *))
{
	if (ctx->format == PCF_CLI_FORMAT_JSON) {
		if (pcf_cli_json_emit_take(ctx, doc) != 0)
			return pcf_cli_fail(ctx, "could not write the JSON output");
		return PCF_CLI_EXIT_OK;
	}
	if (print_text)
		print_text(ctx, doc);
	cJSON_Delete(doc);
	return PCF_CLI_EXIT_OK;
}

/* get STORE: one "[option]" block per option. */
static void print_store_text(const pcf_cli_context *ctx, const cJSON *options)
{
	const cJSON *option;
	cJSON_ArrayForEach(option, options)
	{
		fprintf(ctx->out, "%s[%s]\n", option == options->child ? "" : "\n", option->string);
		print_option_text(ctx, option);
	}
}

/* list: "store<TAB>option" lines. */
static void print_list_text(const pcf_cli_context *ctx, const cJSON *stores)
{
	const cJSON *store, *name;
	cJSON_ArrayForEach(store, stores) cJSON_ArrayForEach(name, store)
	    fprintf(ctx->out, "%s\t%s\n", store->string, name->valuestring);
}

static int cmd_set(const pcf_cli_context *ctx, const struct config_target *t,
                   const struct config_args *a)
{
	pcf_config_store *store = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *data = NULL;
	int rc;

	if (pcf_config_parse_assignments(&data, a->operands + 2, (size_t)(a->count - 2),
	                                 a->json_values, &err) != 0)
		return pcf_cli_error(ctx, &err, NULL);
	if ((rc = store_open(&store, ctx, t, a->operands[0])) != PCF_CLI_EXIT_OK)
		goto out;
	if (pcf_config_store_set(store, a->operands[1], data, &err) != 0) {
		rc = pcf_cli_error(ctx, &err, "setting %s/%s", a->operands[0], a->operands[1]);
		goto out;
	}
	if (ctx->format == PCF_CLI_FORMAT_JSON) {
		rc = emit(ctx, data, NULL);
		data = NULL;
	}
out:
	cJSON_Delete(data);
	pcf_config_store_close(store);
	return rc;
}

/*
 * A store exists while it holds an option: reading one that holds none is
 * an error (a typo in STORE must not look like an empty store). Frees doc.
 */
static int no_store(const pcf_cli_context *ctx, const struct config_target *t, const char *store,
                    cJSON *doc)
{
	cJSON_Delete(doc);
	return pcf_cli_fail(ctx,
	                    "store %s does not exist in table %s (it has no options; "
	                    "`pcf config set %s OPTION KEY=VALUE` creates it)",
	                    store, t->table.name, store);
}

static int cmd_get(const pcf_cli_context *ctx, const struct config_target *t,
                   const struct config_args *a)
{
	pcf_config_store *store = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *doc = NULL;
	int rc;

	if ((rc = store_open(&store, ctx, t, a->operands[0])) != PCF_CLI_EXIT_OK)
		return rc;
	if (a->count == 2) {
		if (pcf_config_store_get(&doc, store, a->operands[1], &err) == PCF_ENOTFOUND)
			rc = pcf_cli_fail(ctx, "%s", err.message);
		else if (err.code != 0)
			rc = pcf_cli_error(ctx, &err, "reading %s/%s", a->operands[0],
			                   a->operands[1]);
		else
			rc = emit(ctx, doc, print_option_text);
	} else {
		if (pcf_config_store_get_all(&doc, store, &err) != 0)
			rc = pcf_cli_error(ctx, &err, "reading store %s", a->operands[0]);
		else if (!cJSON_GetArraySize(doc))
			rc = no_store(ctx, t, a->operands[0], doc);
		else
			rc = emit(ctx, doc, print_store_text);
	}
	pcf_config_store_close(store);
	return rc;
}

/* {"store": {"option": {...}}} -> {"store": ["option", ...]}; NULL when out of memory. */
static cJSON *option_names(const cJSON *grouped)
{
	cJSON *doc = cJSON_CreateObject();
	const cJSON *store, *option;
	if (!doc)
		return NULL;
	cJSON_ArrayForEach(store, grouped)
	{
		cJSON *names = cJSON_AddArrayToObject(doc, store->string);
		if (!names) {
			cJSON_Delete(doc);
			return NULL;
		}
		cJSON_ArrayForEach(option, store)
		    cJSON_AddItemToArray(names, cJSON_CreateString(option->string));
	}
	return doc;
}

static int cmd_list(const pcf_cli_context *ctx, const struct config_target *t,
                    const struct config_args *a)
{
	pcf_error err = PCF_ERROR_INIT;
	cJSON *grouped = NULL, *doc;
	const char *only = a->count == 1 ? a->operands[0] : NULL;

	if (pcf_config_table_check(t->db, &t->table, &err) != 0)
		return table_error(ctx, t, &err);
	if (pcf_config_table_read(&grouped, t->db, &t->table, only, &err) != 0)
		return pcf_cli_error(ctx, &err, "reading table %s", t->table.name);
	if (only && !cJSON_GetObjectItemCaseSensitive(grouped, only))
		return no_store(ctx, t, only, grouped);
	doc = option_names(grouped);
	cJSON_Delete(grouped);
	if (!doc)
		return pcf_cli_fail(ctx, "out of memory");
	return emit(ctx, doc, print_list_text);
}

static int cmd_delete(const pcf_cli_context *ctx, const struct config_target *t,
                      const struct config_args *a)
{
	pcf_config_store *store = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *old = NULL;
	int rc;

	if ((rc = store_open(&store, ctx, t, a->operands[0])) != PCF_CLI_EXIT_OK)
		return rc;
	if (pcf_config_store_delete(&old, store, a->operands[1], &err) != 0)
		rc = pcf_cli_error(ctx, &err, "deleting %s/%s", a->operands[0], a->operands[1]);
	else if (!old && !err.maybe_applied) /* maybe_applied: deleted, answer lost */
		rc = pcf_cli_fail(ctx, "store %s has no option %s", a->operands[0], a->operands[1]);
	else if (ctx->format == PCF_CLI_FORMAT_JSON) {
		rc = emit(ctx, old, NULL);
		old = NULL;
	}
	cJSON_Delete(old);
	pcf_config_store_close(store);
	return rc;
}

/* The subcommands with the operands each accepts (max -1: any number). */
static const struct config_sub {
	const char *name;
	int min_operands;
	int max_operands;
	const char *usage;
	int (*fn)(const pcf_cli_context *, const struct config_target *,
	          const struct config_args *);
} subs[] = {
    {"set", 2, -1, "set STORE OPTION KEY=VALUE... [--json]", cmd_set},
    {"get", 1, 2, "get STORE [OPTION]", cmd_get},
    {"list", 0, 1, "list [STORE]", cmd_list},
    {"delete", 2, 2, "delete STORE OPTION", cmd_delete},
};

int pcf_cli_config(const pcf_cli_context *ctx, int argc, char **argv)
{
	const struct config_sub *sub = NULL;
	struct config_args a;
	struct config_target t;
	int rc = parse_args(&a, ctx, argc, argv);

	if (rc != PCF_CLI_EXIT_OK)
		goto out;
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(a.sub, subs[i].name) == 0)
			sub = &subs[i];
	if (!sub) {
		rc = pcf_cli_usage_error(ctx,
		                         "unknown config command '%s'; expected set, get, "
		                         "list or delete",
		                         a.sub);
		goto out;
	}
	if (a.count < sub->min_operands ||
	    (sub->max_operands >= 0 && a.count > sub->max_operands)) {
		rc = pcf_cli_usage_error(ctx, "usage: pcf config %s", sub->usage);
		goto out;
	}
	if (a.json_values && sub->fn != cmd_set) {
		rc = pcf_cli_usage_error(ctx, "--json applies to set only");
		goto out;
	}
	if ((rc = target_open(&t, ctx, &a)) == PCF_CLI_EXIT_OK) {
		rc = sub->fn(ctx, &t, &a);
		target_close(&t);
	}
out:
	free(a.operands);
	return rc;
}
