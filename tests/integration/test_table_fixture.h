/*
 * Shared by the dynamodb_table integration tests: a fixture that drives
 * the real engine with the built-in flavors against one of the local
 * servers (dynoxide, dynalite, moto), counts the requests it sends (through the transport's
 * on_request hook), and keeps a second, independent client for checks and
 * for out-of-band changes.
 */
#ifndef PCF_TESTS_TABLE_FIXTURE_H
#define PCF_TESTS_TABLE_FIXTURE_H

#include <pcf/pcf.h>
#include <pcf/engine.h>
#include <pcf/particles.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "servers.h"

typedef struct fx_counts {
	int total;
	int mutating;
	char last_mutating[64];
} fx_counts;

typedef struct fixture {
	pcf_local_server_kind kind;
	pcf_services *services;
	pcf_ddb *db; /* another client: checks and out-of-band changes */
	fx_counts counts;
	char table[128];
	pcf_definitions *defs;
	pcf_run_report *report;
} fixture;

typedef struct fx_run {
	int yes;
	int allow_replace;
	int set_desired; /* 1: override with `desired` */
	pcf_desired_state desired;
} fx_run;

static inline int fx_is_read(const char *action)
{
	return !strncmp(action, "Describe", 8) || !strncmp(action, "List", 4) ||
	       !strncmp(action, "Get", 3) || !strcmp(action, "Query") || !strcmp(action, "Scan");
}

/* Criterion runs each test in its own process on one thread: no lock needed. */
static inline void fx_on_request(const pcf_aws_request_info *info, void *payload)
{
	fx_counts *c = payload;
	c->total++;
	if (!fx_is_read(info->action)) {
		c->mutating++;
		snprintf(c->last_mutating, sizeof(c->last_mutating), "%s", info->action);
	}
}

/* A fixture on the server at endpoint (one of kind). */
static inline void fx_init_at(fixture *f, pcf_local_server_kind kind, const char *endpoint,
                              const char *prefix)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;

	memset(f, 0, sizeof(*f));
	f->kind = kind;
	o.endpoint = endpoint;
	o.region = "us-east-1";
	o.retry_base_delay_ms = 5;
	o.retry_throttle_base_delay_ms = 5;
	o.on_request = fx_on_request;
	o.payload = &f->counts;
	cr_assert_eq(pcf_services_new(&f->services, &o, &err), 0, "%s", err.message);
	o.on_request = NULL;
	o.payload = NULL;
	cr_assert_eq(pcf_ddb_new(&f->db, &o, &err), 0, "%s", err.message);
	pcf_test_table_name(f->table, sizeof(f->table), prefix);
}

static inline void fx_init(fixture *f, pcf_local_server_kind kind, const char *prefix)
{
	fx_init_at(f, kind, pcf_test_endpoint(kind), prefix);
}

static inline void fx_forget(fixture *f)
{
	pcf_run_report_free(f->report);
	f->report = NULL;
	pcf_definitions_free(f->defs);
	f->defs = NULL;
}

static inline void fx_cleanup(fixture *f)
{
	cJSON *ignored = NULL;
	fx_forget(f);
	/* Best effort: leave the shared server tidy. */
	cJSON *req = cJSON_CreateObject();
	cJSON_AddStringToObject(req, "TableName", f->table);
	cJSON_AddBoolToObject(req, "DeletionProtectionEnabled", 0);
	if (f->kind != PCF_LOCAL_DYNALITE)
		pcf_ddb_update_table(&ignored, f->db, req, NULL);
	cJSON_Delete(ignored);
	ignored = NULL;
	pcf_ddb_delete_table(&ignored, f->db, f->table, NULL);
	cJSON_Delete(ignored);
	cJSON_Delete(req);
	pcf_ddb_free(f->db);
	pcf_services_free(f->services);
}

/* The first lines of a table particle named t, for fx_load: %s is the TableName. */
#define FX_TABLE_T                                                                                 \
	"pcf_name: t\n"                                                                            \
	"flavor: dynamodb_table\n"                                                                 \
	"aws_resource:\n"                                                                          \
	"  TableName: %s\n"

/* Keys of a table with one index on e: hash key id, attributes id and e. */
#define FX_KEYS_ID_E                                                                               \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S},\n"                        \
	"                         {AttributeName: e, AttributeType: S}]\n"                         \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"

/* The start of that index, by_e: its settings follow at six spaces. */
#define FX_INDEX_BY_E                                                                              \
	"  GlobalSecondaryIndexes:\n"                                                              \
	"    - IndexName: by_e\n"                                                                  \
	"      KeySchema: [{AttributeName: e, KeyType: HASH}]\n"                                   \
	"      Projection: {ProjectionType: ALL}\n"

/* Loads yaml (a printf format; its first %s gets the table name). */
static inline void fx_load(fixture *f, const char *fmt, ...)
{
	char text[8192];
	va_list ap;
	pcf_diags diags;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fx_forget(f);
	pcf_diags_init(&diags);
	if (pcf_definitions_load_string(&f->defs, text, strlen(text), "pcf.yml", &diags) == 0) {
		size_t count;
		const pcf_flavor *const *flavors = pcf_particles_flavors(&count);
		pcf_engine_validate(f->defs, flavors, count, &diags);
	}
	for (size_t i = 0; i < diags.count; i++)
		cr_log_error("%d:%d: %s", diags.items[i].line, diags.items[i].column,
		             diags.items[i].message);
	cr_assert_eq(diags.count, 0, "the test's definition is invalid");
	pcf_diags_cleanup(&diags);
}

typedef int (*fx_engine_fn)(pcf_run_report **, pcf_engine *, pcf_error *);

/* Runs fn (apply, plan or status) on the loaded definitions; returns its code. */
static inline int fx_engine(fixture *f, fx_engine_fn fn, const fx_run *run, pcf_error *err)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_engine *engine = NULL;
	int rc;

	o.flavors = pcf_particles_flavors(&o.flavor_count);
	o.services = f->services;
	o.timeout_ms = 120000;
	o.poll_initial_ms = 50;
	o.poll_max_ms = 400;
	o.state_cache_ttl_ms = 1;
	o.yes = run ? run->yes : 0;
	o.allow_replace = run ? run->allow_replace : 0;
	pcf_run_report_free(f->report);
	f->report = NULL;
	cr_assert_eq(pcf_engine_new(&engine, f->defs, &o, err), 0, "%s", err->message);
	if (run && run->set_desired)
		pcf_engine_set_desired(engine, run->desired);
	rc = fn(&f->report, engine, err);
	pcf_engine_free(engine);
	if (f->report != NULL)
		for (size_t i = 0; i < f->report->count; i++) {
			const pcf_particle_report *r = &f->report->particles[i];
			for (size_t a = 0; a < r->action_count; a++)
				cr_log_info("%s: %s", r->def->name, r->actions[a]);
			for (size_t d = 0; d < r->drift.count; d++)
				cr_log_info("%s: drift %s", r->def->name, r->drift.entries[d].path);
			if (r->error.code)
				cr_log_info("%s: %s: %s", r->def->name,
				            pcf_outcome_name(r->outcome), r->error.message);
		}
	return rc;
}

/* apply that must converge; returns how many mutating requests it sent. */
static inline int fx_apply_ok(fixture *f, const fx_run *run)
{
	pcf_error err = PCF_ERROR_INIT;
	int before = f->counts.mutating, rc = fx_engine(f, pcf_engine_apply, run, &err);
	cr_assert_eq(rc, 0, "apply failed: %s (%s)", err.message, pcf_error_code_name(rc));
	cr_assert_eq(f->report->particles[0].outcome, PCF_OUTCOME_CONVERGED);
	return f->counts.mutating - before;
}

static inline const pcf_particle_report *fx_status(fixture *f)
{
	pcf_error err = PCF_ERROR_INIT;
	fx_engine(f, pcf_engine_status, NULL, &err);
	cr_assert_not_null(f->report, "status did not run: %s", err.message);
	return &f->report->particles[0];
}

/* The live table as DescribeTable tells the second client; caller frees. */
static inline cJSON *fx_describe(fixture *f)
{
	cJSON *t = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_describe_table(&t, f->db, f->table, &err), 0, "%s", err.message);
	return t;
}

static inline int fx_exists(fixture *f)
{
	cJSON *t = NULL;
	int rc = pcf_ddb_describe_table(&t, f->db, f->table, NULL);
	const char *status = cJSON_GetStringValue(cJSON_GetObjectItem(t, "TableStatus"));
	int exists = rc == 0 && !(status && !strcmp(status, "DELETING"));
	cJSON_Delete(t);
	return exists;
}

/* A number at a dotted path of a tree, e.g. "GlobalSecondaryIndexes.0.IndexName". */
static inline const cJSON *fx_at(const cJSON *tree, const char *path)
{
	const cJSON *node = tree;
	while (node != NULL && *path) {
		char seg[128];
		size_t n = strcspn(path, ".");
		snprintf(seg, sizeof(seg), "%.*s", (int)n, path);
		node = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)strtol(seg, NULL, 10))
		                           : cJSON_GetObjectItemCaseSensitive(node, seg);
		path += n + (path[n] == '.');
	}
	return node;
}

static inline double fx_number(const cJSON *tree, const char *path)
{
	const cJSON *node = fx_at(tree, path);
	cr_assert(cJSON_IsNumber(node), "no number at %s", path);
	return node->valuedouble;
}

static inline const char *fx_string(const cJSON *tree, const char *path)
{
	const cJSON *node = fx_at(tree, path);
	return cJSON_IsString(node) ? node->valuestring : "";
}

#endif
