/*
 * The particle envelope: the PCF fields every particle has, whatever its
 * flavor.
 *
 * pcf_defs_envelope_read checks one particle's own fields (types, the desired_state
 * enum, required fields, unknown fields, the PCF "callbacks" field that pcf
 * cannot honour) and fills the typed members of pcf_particle_def.
 * pcf_defs_envelope_link then looks across particles: duplicate names, and parents
 * and children that must name particles in the same definitions. A child
 * list is folded into the child's parents, so the engine only ever reads
 * parents. Which flavors exist and whether parents form a cycle is the
 * engine's business: it knows the flavors and owns the graph.
 */
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "defs_internal.h"
#include "describe.h"

static const char *const known_fields[] = {"pcf_name",
                                           "flavor",
                                           "desired_state",
                                           "aws_resource",
                                           "persist_on_termination",
                                           "persist_on_update",
                                           "ignore_changes",
                                           "parents",
                                           "children",
                                           NULL};

static const char *const state_names[] = {"running", "stopped", "terminated", NULL};

static void check_unknown_fields(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *item;
	const char *guess;
	char choices[256];

	pcf_defs_describe_choices(known_fields, choices, sizeof(choices));
	cJSON_ArrayForEach(item, def->node)
	{
		size_t i;
		int known = 0;

		for (i = 0; known_fields[i] != NULL; i++)
			known |= strcmp(item->string, known_fields[i]) == 0;
		if (known)
			continue;
		if (strcmp(item->string, "callbacks") == 0) {
			pcf_defs_report_key(def, diags, "callbacks",
			                    "not supported: PCF callbacks name Python functions, "
			                    "which pcf cannot run; remove this field");
			continue;
		}
		guess = pcf_defs_describe_suggest(item->string, known_fields);
		pcf_defs_report_key(def, diags, item->string,
		                    "unknown particle field: expected one of %s%s%s%s", choices,
		                    guess ? " (did you mean \"" : "", guess ? guess : "",
		                    guess ? "\"?)" : "");
	}
}

/* A required non-empty string field; numbers are taken as their text (pcf_name: 2024). */
static char *read_name_field(const pcf_particle_def *def, pcf_diags *diags, const char *field,
                             const char *what)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(def->node, field);
	char found[128], text[64];

	if (v == NULL) {
		pcf_particle_def_report(def, diags, field,
		                        "expected %s, found no such field (%s is required)", what,
		                        field);
		return NULL;
	}
	if (cJSON_IsNumber(v) && strcmp(field, "pcf_name") == 0) {
		snprintf(text, sizeof(text), "%.17g", v->valuedouble);
		return strdup(text);
	}
	if (!cJSON_IsString(v) || v->valuestring[0] == '\0') {
		pcf_defs_describe_value(v, found, sizeof(found));
		pcf_particle_def_report(def, diags, field, "expected %s, found %s", what,
		                        cJSON_IsString(v) ? "an empty string" : found);
		return NULL;
	}
	return strdup(v->valuestring);
}

static void read_desired_state(pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(def->node, "desired_state");
	char found[128];
	const char *guess;
	size_t i;

	def->desired_state = PCF_DESIRED_RUNNING;
	if (v == NULL)
		return;
	for (i = 0; cJSON_IsString(v) && state_names[i] != NULL; i++) {
		if (strcmp(v->valuestring, state_names[i]) == 0) {
			def->desired_state = (pcf_desired_state)i;
			return;
		}
	}
	pcf_defs_describe_value(v, found, sizeof(found));
	guess = cJSON_IsString(v) ? pcf_defs_describe_suggest(v->valuestring, state_names) : NULL;
	pcf_particle_def_report(def, diags, "desired_state",
	                        "expected one of running, stopped, terminated, found %s%s%s%s",
	                        found, guess ? " (did you mean \"" : "", guess ? guess : "",
	                        guess ? "\"?)" : "");
}

static int read_bool(const pcf_particle_def *def, pcf_diags *diags, const char *field)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(def->node, field);
	char found[128];

	if (v == NULL)
		return 0;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	pcf_defs_describe_value(v, found, sizeof(found));
	pcf_particle_def_report(def, diags, field, "expected true or false, found %s%s", found,
	                        pcf_defs_describe_bool_hint(v));
	return 0;
}

/* The list under field, or NULL when absent or (reported) not a list; expected
 * names what the list holds in the report. */
static const cJSON *list_field(const pcf_particle_def *def, pcf_diags *diags, const char *field,
                               const char *expected)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(def->node, field);
	char found[128];

	if (list == NULL || cJSON_IsArray(list))
		return list;
	pcf_defs_describe_value(list, found, sizeof(found));
	pcf_particle_def_report(def, diags, field, "expected %s, found %s", expected, found);
	return NULL;
}

/* parents / children: a list of non-empty strings. Resolved later by pcf_defs_envelope_link. */
static void check_reference_list(const pcf_particle_def *def, pcf_diags *diags, const char *field)
{
	const cJSON *list, *item;
	char found[128], path[64];
	int i = 0;

	list =
	    list_field(def, diags, field, "a list of particle names (\"name\" or \"flavor:name\")");
	cJSON_ArrayForEach(item, list)
	{
		if (!cJSON_IsString(item) || item->valuestring[0] == '\0') {
			pcf_defs_describe_value(item, found, sizeof(found));
			snprintf(path, sizeof(path), "%s[%d]", field, i);
			pcf_particle_def_report(def, diags, path,
			                        "expected a particle name (\"name\" or "
			                        "\"flavor:name\"), found %s",
			                        cJSON_IsString(item) ? "an empty string" : found);
		}
		i++;
	}
}

/* A path into aws_resource: Name, then .Name or [element] segments. */
static int path_shape_ok(const char *path)
{
	size_t n;

	while (*path != '\0') {
		if (*path == '[') {
			n = strcspn(path + 1, "[]");
			if (n == 0 || path[1 + n] != ']')
				return 0;
			path += n + 2;
			if (*path != '\0' && *path != '.' && *path != '[')
				return 0;
			continue;
		}
		if (*path == '.')
			path++;
		n = strspn(path,
		           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
		if (n == 0)
			return 0;
		path += n;
	}
	return 1;
}

/* ignore_changes: a list of paths into aws_resource ("ProvisionedThroughput",
 * "GlobalSecondaryIndexes[by_email].ProvisionedThroughput", "Tags[*]"). */
static void check_ignore_changes(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *list, *item;
	char found[128], path[64];
	int i = 0;

	list = list_field(def, diags, "ignore_changes",
	                  "a list of paths into aws_resource (such as ProvisionedThroughput)");
	cJSON_ArrayForEach(item, list)
	{
		snprintf(path, sizeof(path), "ignore_changes[%d]", i++);
		if (cJSON_IsString(item) && item->valuestring[0] != '[' &&
		    path_shape_ok(item->valuestring))
			continue;
		pcf_defs_describe_value(item, found, sizeof(found));
		pcf_particle_def_report(def, diags, path,
		                        "expected a path into aws_resource such as "
		                        "GlobalSecondaryIndexes[by_email].ProvisionedThroughput "
		                        "(names joined by dots, list elements as [name] or [*]), "
		                        "found %s",
		                        found);
	}
}

static void read_aws_resource(pcf_particle_def *def, pcf_diags *diags)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(def->node, "aws_resource");
	char found[128];

	def->aws_resource = NULL;
	if (v == NULL) {
		pcf_particle_def_report(def, diags, "aws_resource",
		                        "expected a mapping of the resource's settings, found no "
		                        "such field (aws_resource is required)");
		return;
	}
	if (!cJSON_IsObject(v)) {
		pcf_defs_describe_value(v, found, sizeof(found));
		pcf_particle_def_report(def, diags, "aws_resource",
		                        "expected a mapping of the resource's settings, found %s",
		                        found);
		return;
	}
	def->aws_resource = v;
}

static char *join_id(const char *flavor, const char *name)
{
	size_t lf = strlen(flavor), ln = strlen(name);
	char *id = malloc(lf + ln + 2);

	if (id == NULL)
		return NULL;
	memcpy(id, flavor, lf);
	id[lf] = ':';
	memcpy(id + lf + 1, name, ln + 1);
	return id;
}

/*
 * PCF's quasiparticle groups particles under one name; pcf has no such
 * flavor, and its fields mean nothing here, so say what to do instead of
 * reporting each of them.
 */
static int is_quasiparticle(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(def->node, "flavor");

	if (!cJSON_IsString(v) || strcmp(v->valuestring, "quasiparticle") != 0)
		return 0;
	pcf_particle_def_report(def, diags, "flavor",
	                        "flavor quasiparticle is not supported: list its particles at top "
	                        "level");
	return 1;
}

void pcf_defs_envelope_read(pcf_particle_def *def, pcf_diags *diags)
{
	if (is_quasiparticle(def, diags))
		return;
	check_unknown_fields(def, diags);
	def->name = read_name_field(def, diags, "pcf_name", "a particle name (a string)");
	def->flavor = read_name_field(def, diags, "flavor",
	                              "a flavor name such as dynamodb_table (a string)");
	read_desired_state(def, diags);
	def->persist_on_termination = read_bool(def, diags, "persist_on_termination");
	def->persist_on_update = read_bool(def, diags, "persist_on_update");
	check_reference_list(def, diags, "parents");
	check_reference_list(def, diags, "children");
	check_ignore_changes(def, diags);
	read_aws_resource(def, diags);
	if (def->name != NULL && def->flavor != NULL)
		def->id = join_id(def->flavor, def->name);
}
