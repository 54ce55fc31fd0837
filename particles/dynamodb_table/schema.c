/*
 * validate: the dynamodb_table aws_resource schema and the rules DynamoDB
 * itself enforces on a CreateTable request, checked before any request so
 * that bad input never reaches the network.
 *
 * The declarative part (field names, types, enums, required fields) is a
 * set of pcf_schema tables checked by the definitions layer, which reports
 * each problem at its file:line:column. The cross-field rules that a
 * schema cannot express (every key attribute defined, every definition
 * used, throughput present exactly when the table is provisioned, one HASH
 * key, ...) follow, each reported at the node it concerns. Only nodes of
 * the right type are inspected, so one mistake is reported once.
 */
#include "replicas.h"
#include "managed.h"

#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define REQ      PCF_SCHEMA_REQUIRED
/*
 * A field DescribeTable alone shows in full (pcf_table_normalize reads it
 * from its answer); a flavor-private flag bit, which the schema check
 * ignores. Every other field is read by a call of its own (TTL, backups,
 * tags, resource policy, contributor insights, Kinesis, autoscaling, each
 * replica's region): see pcf_table_described_alone.
 */
#define SHOWN 0x100u

static const char *const attribute_types[] = {"S", "N", "B", NULL};
static const char *const key_types[] = {"HASH", "RANGE", NULL};
static const char *const billing_modes[] = {"PROVISIONED", "PAY_PER_REQUEST", NULL};
static const char *const projection_types[] = {"ALL", "KEYS_ONLY", "INCLUDE", NULL};
static const char *const view_types[] = {"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE",
                                         "NEW_AND_OLD_IMAGES", NULL};
static const char *const sse_types[] = {"AES256", "KMS", NULL};
static const char *const table_classes[] = {"STANDARD", "STANDARD_INFREQUENT_ACCESS", NULL};

static const pcf_schema_field attribute_fields[] = {
    {"AttributeName", PCF_SCHEMA_STRING, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"AttributeType", PCF_SCHEMA_STRING, REQ, attribute_types, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema attribute_schema = {"AttributeDefinitions element", attribute_fields,
                                            COUNT(attribute_fields), 0};

static const pcf_schema_field key_fields[] = {
    {"AttributeName", PCF_SCHEMA_STRING, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"KeyType", PCF_SCHEMA_STRING, REQ, key_types, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema key_schema = {"KeySchema element", key_fields, COUNT(key_fields), 0};

static const pcf_schema_field throughput_fields[] = {
    {"ReadCapacityUnits", PCF_SCHEMA_INTEGER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"WriteCapacityUnits", PCF_SCHEMA_INTEGER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema throughput_schema = {"ProvisionedThroughput", throughput_fields,
                                             COUNT(throughput_fields), 0};

static const pcf_schema_field projection_fields[] = {
    {"ProjectionType", PCF_SCHEMA_STRING, REQ, projection_types, NULL, PCF_SCHEMA_ANY, NULL},
    {"NonKeyAttributes", PCF_SCHEMA_LIST, 0, NULL, NULL, PCF_SCHEMA_STRING, NULL},
};
static const pcf_schema projection_schema = {"Projection", projection_fields,
                                             COUNT(projection_fields), 0};

static const pcf_schema_field on_demand_fields[] = {
    {"MaxReadRequestUnits", PCF_SCHEMA_INTEGER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"MaxWriteRequestUnits", PCF_SCHEMA_INTEGER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema on_demand_schema = {"OnDemandThroughput", on_demand_fields,
                                            COUNT(on_demand_fields), 0};

static const pcf_schema_field warm_fields[] = {
    {"ReadUnitsPerSecond", PCF_SCHEMA_INTEGER, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"WriteUnitsPerSecond", PCF_SCHEMA_INTEGER, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema warm_schema = {"WarmThroughput", warm_fields, COUNT(warm_fields), 0};

static const pcf_schema_field gsi_fields[] = {
    {"IndexName", PCF_SCHEMA_STRING, REQ | SHOWN, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"KeySchema", PCF_SCHEMA_LIST, REQ | SHOWN, NULL, NULL, PCF_SCHEMA_OBJECT, &key_schema},
    {"Projection", PCF_SCHEMA_OBJECT, REQ | SHOWN, NULL, &projection_schema, PCF_SCHEMA_ANY, NULL},
    {"ProvisionedThroughput", PCF_SCHEMA_OBJECT, SHOWN, NULL, &throughput_schema, PCF_SCHEMA_ANY,
     NULL},
    {"ContributorInsightsSpecification", PCF_SCHEMA_OBJECT, 0, NULL, &pcf_table_insights_schema,
     PCF_SCHEMA_ANY, NULL},
    {"OnDemandThroughput", PCF_SCHEMA_OBJECT, SHOWN, NULL, &on_demand_schema, PCF_SCHEMA_ANY, NULL},
    {"WarmThroughput", PCF_SCHEMA_OBJECT, SHOWN, NULL, &warm_schema, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema gsi_schema = {"GlobalSecondaryIndexes element", gsi_fields,
                                      COUNT(gsi_fields), 0};

static const pcf_schema_field lsi_fields[] = {
    {"IndexName", PCF_SCHEMA_STRING, REQ | SHOWN, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"KeySchema", PCF_SCHEMA_LIST, REQ | SHOWN, NULL, NULL, PCF_SCHEMA_OBJECT, &key_schema},
    {"Projection", PCF_SCHEMA_OBJECT, REQ | SHOWN, NULL, &projection_schema, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema lsi_schema = {"LocalSecondaryIndexes element", lsi_fields,
                                      COUNT(lsi_fields), 0};

static const pcf_schema_field stream_fields[] = {
    {"StreamEnabled", PCF_SCHEMA_BOOL, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"StreamViewType", PCF_SCHEMA_STRING, 0, view_types, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema stream_schema = {"StreamSpecification", stream_fields, COUNT(stream_fields),
                                         0};

static const pcf_schema_field sse_fields[] = {
    {"Enabled", PCF_SCHEMA_BOOL, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"SSEType", PCF_SCHEMA_STRING, 0, sse_types, NULL, PCF_SCHEMA_ANY, NULL},
    {"KMSMasterKeyId", PCF_SCHEMA_STRING, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema sse_schema = {"SSESpecification", sse_fields, COUNT(sse_fields), 0};

static const pcf_schema_field tag_fields[] = {
    {"Key", PCF_SCHEMA_STRING, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"Value", PCF_SCHEMA_STRING, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema tag_schema = {"Tags element", tag_fields, COUNT(tag_fields), 0};

static const pcf_schema_field ttl_fields[] = {
    {"Enabled", PCF_SCHEMA_BOOL, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"AttributeName", PCF_SCHEMA_STRING, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema ttl_schema = {"TimeToLiveSpecification", ttl_fields, COUNT(ttl_fields), 0};

static const pcf_schema_field pitr_fields[] = {
    {"PointInTimeRecoveryEnabled", PCF_SCHEMA_BOOL, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"RecoveryPeriodInDays", PCF_SCHEMA_INTEGER, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema pitr_schema = {"PointInTimeRecoverySpecification", pitr_fields,
                                       COUNT(pitr_fields), 0};

static const pcf_schema_field table_fields[] = {
    {"TableName", PCF_SCHEMA_STRING, REQ | SHOWN, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"region_name", PCF_SCHEMA_STRING, SHOWN, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"AttributeDefinitions", PCF_SCHEMA_LIST, REQ | SHOWN, NULL, NULL, PCF_SCHEMA_OBJECT,
     &attribute_schema},
    {"KeySchema", PCF_SCHEMA_LIST, REQ | SHOWN, NULL, NULL, PCF_SCHEMA_OBJECT, &key_schema},
    {"BillingMode", PCF_SCHEMA_STRING, SHOWN, billing_modes, NULL, PCF_SCHEMA_ANY, NULL},
    {"ProvisionedThroughput", PCF_SCHEMA_OBJECT, SHOWN, NULL, &throughput_schema, PCF_SCHEMA_ANY,
     NULL},
    {"GlobalSecondaryIndexes", PCF_SCHEMA_LIST, SHOWN, NULL, NULL, PCF_SCHEMA_OBJECT, &gsi_schema},
    {"LocalSecondaryIndexes", PCF_SCHEMA_LIST, SHOWN, NULL, NULL, PCF_SCHEMA_OBJECT, &lsi_schema},
    {"StreamSpecification", PCF_SCHEMA_OBJECT, SHOWN, NULL, &stream_schema, PCF_SCHEMA_ANY, NULL},
    {"SSESpecification", PCF_SCHEMA_OBJECT, SHOWN, NULL, &sse_schema, PCF_SCHEMA_ANY, NULL},
    {"TableClass", PCF_SCHEMA_STRING, SHOWN, table_classes, NULL, PCF_SCHEMA_ANY, NULL},
    {"DeletionProtectionEnabled", PCF_SCHEMA_BOOL, SHOWN, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"Tags", PCF_SCHEMA_LIST, 0, NULL, NULL, PCF_SCHEMA_OBJECT, &tag_schema},
    {"TimeToLiveSpecification", PCF_SCHEMA_OBJECT, 0, NULL, &ttl_schema, PCF_SCHEMA_ANY, NULL},
    {"PointInTimeRecoverySpecification", PCF_SCHEMA_OBJECT, 0, NULL, &pitr_schema, PCF_SCHEMA_ANY,
     NULL},
    {"Replicas", PCF_SCHEMA_LIST, 0, NULL, NULL, PCF_SCHEMA_OBJECT, &pcf_table_replica_schema},
    {"MultiRegionConsistency", PCF_SCHEMA_STRING, 0, pcf_table_consistency_modes, NULL,
     PCF_SCHEMA_ANY, NULL},
    {"GlobalTableWitnesses", PCF_SCHEMA_LIST, 0, NULL, NULL, PCF_SCHEMA_OBJECT,
     &pcf_table_witness_schema},
    {"ContributorInsightsSpecification", PCF_SCHEMA_OBJECT, 0, NULL, &pcf_table_insights_schema,
     PCF_SCHEMA_ANY, NULL},
    {"KinesisStreamingDestinations", PCF_SCHEMA_LIST, 0, NULL, NULL, PCF_SCHEMA_OBJECT,
     &pcf_table_kinesis_schema},
    {"AutoScaling", PCF_SCHEMA_OBJECT, 0, NULL, &pcf_table_autoscaling_schema, PCF_SCHEMA_ANY,
     NULL},
    {"OnDemandThroughput", PCF_SCHEMA_OBJECT, SHOWN, NULL, &on_demand_schema, PCF_SCHEMA_ANY, NULL},
    {"WarmThroughput", PCF_SCHEMA_OBJECT, SHOWN, NULL, &warm_schema, PCF_SCHEMA_ANY, NULL},
    /* A mapping or a JSON string: resource_policy.c checks it. */
    {"ResourcePolicy", PCF_SCHEMA_ANY, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    /* PCF's own, which its filter drops before any call; so does pcf. */
    {"custom_config", PCF_SCHEMA_ANY, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema table_schema = {"dynamodb_table aws_resource", table_fields,
                                        COUNT(table_fields), 0};

int pcf_table_known_field(const char *name)
{
	for (size_t i = 0; i < COUNT(table_fields); i++)
		if (!strcmp(table_fields[i].name, name))
			return 1;
	return 0;
}

/* Every key of obj is a field of schema marked SHOWN. */
static int only_shown(const cJSON *obj, const pcf_schema *schema)
{
	const cJSON *key;

	cJSON_ArrayForEach(key, obj)
	{
		size_t i = 0;

		while (i < schema->field_count &&
		       (key->string == NULL || strcmp(schema->fields[i].name, key->string) != 0))
			i++;
		if (i == schema->field_count || !(schema->fields[i].flags & SHOWN))
			return 0;
	}
	return 1;
}

/* Every element of owner's list key carries only SHOWN fields of schema. */
static int elements_shown(const cJSON *owner, const char *key, const pcf_schema *schema)
{
	const cJSON *element;

	cJSON_ArrayForEach(element, cJSON_GetObjectItemCaseSensitive(owner, key))
	{
		if (!only_shown(element, schema))
			return 0;
	}
	return 1;
}

/* A list of what is safe rather than of what is not: a field added to the
 * tables above without SHOWN, or a key they do not know, is read in full. */
int pcf_table_described_alone(const cJSON *want)
{
	return only_shown(want, &table_schema) &&
	       elements_shown(want, "GlobalSecondaryIndexes", &gsi_schema) &&
	       elements_shown(want, "LocalSecondaryIndexes", &lsi_schema);
}

typedef struct check_ctx {
	const pcf_particle_def *def;
	pcf_diags *diags;
	const cJSON *resource;
	pcf_table_names defined; /* AttributeDefinitions names */
	pcf_table_names used;    /* names in the KeySchema of the table and every index */
	int sets_ok;             /* both sets built (not out of memory) */
} check_ctx;

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* Every key attribute defined (a KeyType outside the enum was reported by
 * the schema: not again here). */
static void check_key_attributes(check_ctx *c, const cJSON *keys, const char *path)
{
	const cJSON *k;
	char at[320];
	int i = 0;

	cJSON_ArrayForEach(k, keys)
	{
		const char *name = pcf_table_str(k, "AttributeName");
		snprintf(at, sizeof(at), "%s[%d].AttributeName", path, i++);
		if (name != NULL && c->sets_ok && !pcf_table_names_has(&c->defined, name))
			pcf_particle_def_report(
			    c->def, c->diags, at,
			    "expected key attribute %s in AttributeDefinitions, "
			    "found no such definition",
			    name);
	}
	pcf_table_check_key_names(c->def, c->diags, keys, path);
}

/*
 * The table's key and a local index's: one HASH first, at most one RANGE
 * after it. A global index's (multi = 1) takes the 2025 multi-attribute
 * keys: 1 to 4 HASH attributes, then 0 to 4 RANGE attributes, each kind in
 * the order the key composes them.
 */
static void check_key_schema(check_ctx *c, const cJSON *keys, const char *path, int multi)
{
	int n = cJSON_GetArraySize(keys), i = 0, hashes = 0, ranges = 0;
	int most = multi ? PCF_TABLE_MAX_KEY_ATTRIBUTES : 1;
	const cJSON *k;
	char at[320];

	if (!cJSON_IsArray(keys))
		return;
	if (n < 1 || n > 2 * most) {
		pcf_particle_def_report(c->def, c->diags, path,
		                        "expected a KeySchema of 1 to %d elements, found %d",
		                        2 * most, n);
		return;
	}
	cJSON_ArrayForEach(k, keys)
	{
		const char *type = pcf_table_str(k, "KeyType");
		int hash = type != NULL && !strcmp(type, "HASH");
		snprintf(at, sizeof(at), "%s[%d].KeyType", path, i++);
		if (type == NULL || (!hash && strcmp(type, "RANGE") != 0))
			continue;
		if (i == 1 && !hash)
			pcf_particle_def_report(
			    c->def, c->diags, at,
			    "expected HASH (element 1 of a KeySchema), found %s", type);
		else if (hash && ranges > 0)
			pcf_particle_def_report(c->def, c->diags, at,
			                        "expected HASH attributes before RANGE ones, found "
			                        "HASH after RANGE");
		else if (hash && !multi && hashes > 0)
			pcf_particle_def_report(
			    c->def, c->diags, at,
			    "expected RANGE (element %d of a KeySchema), found %s", i, type);
		hashes += hash;
		ranges += !hash;
	}
	if (multi && (hashes > most || ranges > most))
		pcf_particle_def_report(c->def, c->diags, path,
		                        "expected at most %d HASH and %d RANGE attributes in a "
		                        "KeySchema, found %d and %d",
		                        most, most, hashes, ranges);
	check_key_attributes(c, keys, path);
}

/* Builds the sorted sets of defined and used attribute names. */
static void build_sets(check_ctx *c)
{
	static const char *const lists[] = {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"};
	const cJSON *ix;
	int rc;

	rc = pcf_table_names_add(&c->defined, get(c->resource, "AttributeDefinitions"),
	                         "AttributeName");
	rc |= pcf_table_names_add(&c->used, get(c->resource, "KeySchema"), "AttributeName");
	for (size_t l = 0; l < 2; l++)
		cJSON_ArrayForEach(ix, get(c->resource, lists[l])) rc |=
		    pcf_table_names_add(&c->used, get(ix, "KeySchema"), "AttributeName");
	pcf_table_names_sort(&c->defined);
	pcf_table_names_sort(&c->used);
	c->sets_ok = rc == 0;
}

/* DynamoDB refuses a definition no key or index uses (duplicates: limits.c). */
static void check_attributes(check_ctx *c)
{
	const cJSON *defs = get(c->resource, "AttributeDefinitions"), *a;
	int i = 0;
	char at[320];

	cJSON_ArrayForEach(a, defs)
	{
		const char *name = pcf_table_str(a, "AttributeName");
		snprintf(at, sizeof(at), "aws_resource.AttributeDefinitions[%d].AttributeName",
		         i++);
		if (name == NULL || !c->sets_ok)
			continue;
		if (!pcf_table_names_has(&c->used, name))
			pcf_particle_def_report(c->def, c->diags, at,
			                        "expected only key attributes of the table or an "
			                        "index, found %s, which no KeySchema uses",
			                        name);
	}
}

static void check_projection(check_ctx *c, const cJSON *p, const char *path)
{
	const char *type = pcf_table_str(p, "ProjectionType");
	int has_nka = cJSON_GetArraySize(get(p, "NonKeyAttributes")) > 0;
	if (type == NULL)
		return;
	if (!strcmp(type, "INCLUDE") && !has_nka)
		pcf_particle_def_report(c->def, c->diags, path,
		                        "expected NonKeyAttributes with ProjectionType INCLUDE, "
		                        "found none");
	if (strcmp(type, "INCLUDE") != 0 && has_nka)
		pcf_particle_def_report(c->def, c->diags, path,
		                        "expected no NonKeyAttributes with ProjectionType %s, "
		                        "found some",
		                        type);
}

static int provisioned(const cJSON *resource)
{
	const char *mode = pcf_table_str(resource, "BillingMode");
	return mode == NULL || strcmp(mode, "PAY_PER_REQUEST") != 0;
}

static void check_throughput(check_ctx *c, const cJSON *owner, const char *path, const char *what)
{
	int has = get(owner, "ProvisionedThroughput") != NULL;
	if (provisioned(c->resource) && !has)
		pcf_particle_def_report(c->def, c->diags, path,
		                        "expected ProvisionedThroughput for %s (BillingMode "
		                        "PROVISIONED, the default), found none",
		                        what);
	if (!provisioned(c->resource) && has) {
		char at[320];
		snprintf(at, sizeof(at), "%s.ProvisionedThroughput", path);
		pcf_particle_def_report(c->def, c->diags, at,
		                        "expected no ProvisionedThroughput for %s with BillingMode "
		                        "PAY_PER_REQUEST, found one",
		                        what);
	}
}

static void check_index(check_ctx *c, const cJSON *ix, const char *list, int i, int global)
{
	const char *name = pcf_table_str(ix, "IndexName");
	const cJSON *keys = get(ix, "KeySchema");
	char at[320];

	snprintf(at, sizeof(at), "aws_resource.%s[%d].IndexName", list, i);
	pcf_table_check_name(c->def, c->diags, at, name);
	snprintf(at, sizeof(at), "aws_resource.%s[%d].KeySchema", list, i);
	check_key_schema(c, keys, at, global);
	if (!global && cJSON_IsArray(keys)) {
		const char *hash = pcf_table_str(cJSON_GetArrayItem(keys, 0), "AttributeName");
		const char *table_hash = pcf_table_str(
		    cJSON_GetArrayItem(get(c->resource, "KeySchema"), 0), "AttributeName");
		if (cJSON_GetArraySize(keys) != 2 ||
		    (hash != NULL && table_hash != NULL && strcmp(hash, table_hash) != 0))
			pcf_particle_def_report(
			    c->def, c->diags, at,
			    "expected the table's HASH key and a RANGE key in a "
			    "local index, found something else");
	}
	snprintf(at, sizeof(at), "aws_resource.%s[%d].Projection", list, i);
	check_projection(c, get(ix, "Projection"), at);
	snprintf(at, sizeof(at), "aws_resource.%s[%d]", list, i);
	if (global) {
		check_throughput(c, ix, at, name != NULL ? name : "an index");
		pcf_table_check_capacity(c->def, c->diags, ix, at);
	}
}

static void check_features(check_ctx *c)
{
	const cJSON *stream = get(c->resource, "StreamSpecification");
	const cJSON *ttl = get(c->resource, "TimeToLiveSpecification");
	const cJSON *period =
	    get(get(c->resource, "PointInTimeRecoverySpecification"), "RecoveryPeriodInDays");
	if (pcf_table_bool(stream, "StreamEnabled") == 1 &&
	    pcf_table_str(stream, "StreamViewType") == NULL)
		pcf_particle_def_report(
		    c->def, c->diags, "aws_resource.StreamSpecification",
		    "expected a StreamViewType for an enabled stream, found none");
	if (pcf_table_bool(ttl, "Enabled") == 1 && pcf_table_str(ttl, "AttributeName") == NULL)
		pcf_particle_def_report(c->def, c->diags, "aws_resource.TimeToLiveSpecification",
		                        "expected an AttributeName for enabled TTL, found none");
	if (cJSON_IsNumber(period) && (period->valuedouble < 1 || period->valuedouble > 35))
		pcf_particle_def_report(
		    c->def, c->diags,
		    "aws_resource.PointInTimeRecoverySpecification.RecoveryPeriodInDays",
		    "expected 1 to 35 days, found %g", period->valuedouble);
	pcf_table_check_throughput_modes(c->def, c->diags);
	pcf_table_check_policy(c->def, c->diags);
	pcf_table_check_ignore_changes(c->def, c->diags);
}

void pcf_table_validate(const pcf_particle_def *def, pcf_diags *diags)
{
	check_ctx c = {def, diags, def->aws_resource, {NULL, 0, 0}, {NULL, 0, 0}, 0};
	const cJSON *ix;
	int i;

	if (!cJSON_IsObject(def->aws_resource)) {
		pcf_particle_def_report(
		    def, diags, "aws_resource", "expected an aws_resource mapping, found %s",
		    def->aws_resource == NULL ? "none" : "another kind of value");
		return;
	}
	pcf_schema_check(&table_schema, def->aws_resource, "aws_resource", def, diags);
	build_sets(&c);
	pcf_table_check_limits(def, diags);
	check_key_schema(&c, get(c.resource, "KeySchema"), "aws_resource.KeySchema", 0);
	check_attributes(&c);
	check_throughput(&c, c.resource, "aws_resource", "the table");
	i = 0;
	cJSON_ArrayForEach(ix, get(c.resource, "GlobalSecondaryIndexes"))
	    check_index(&c, ix, "GlobalSecondaryIndexes", i++, 1);
	i = 0;
	cJSON_ArrayForEach(ix, get(c.resource, "LocalSecondaryIndexes"))
	    check_index(&c, ix, "LocalSecondaryIndexes", i++, 0);
	check_features(&c);
	pcf_table_check_replicas(def, diags);
	pcf_table_check_managed(def, diags);
	pcf_table_names_cleanup(&c.defined);
	pcf_table_names_cleanup(&c.used);
}

int pcf_table_normalize_definition(pcf_particle_def *def, pcf_error *err)
{
	if (pcf_schema_normalize(&table_schema, def->aws_resource) < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return 0;
}
