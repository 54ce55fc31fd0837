/*
 * Global tables (version 2019.11.21): the Replicas and
 * MultiRegionConsistency fields of a table's aws_resource.
 *
 * The particle's own region is the table's home; Replicas lists the other
 * regions. This file holds what needs no network: the schema and the rules
 * validate checks, the replica statuses that make a table pending or
 * unavailable, the live replicas folded into the definition's shape, and
 * the canonical desired form. The per-region reads live in
 * replicas_read.c, the steps in replicas_plan.c.
 *
 * A replica's settings come from two places: the overrides (throughput,
 * table class, KMS key) are part of the home table's DescribeTable answer,
 * while deletion protection, point-in-time recovery, contributor insights
 * and tags exist only in the replica's own region and are read there.
 */
#include "replicas.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define REQ      PCF_SCHEMA_REQUIRED

const char *const pcf_table_consistency_modes[] = {"EVENTUAL", "STRONG", NULL};
static const char *const table_classes[] = {"STANDARD", "STANDARD_INFREQUENT_ACCESS", NULL};

static const pcf_schema_field pt_override_fields[] = {
    {"ReadCapacityUnits", PCF_SCHEMA_INTEGER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema pt_override_schema = {"ProvisionedThroughputOverride", pt_override_fields,
                                              COUNT(pt_override_fields), 0};

static const pcf_schema_field od_override_fields[] = {
    {"MaxReadRequestUnits", PCF_SCHEMA_INTEGER, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema od_override_schema = {"OnDemandThroughputOverride", od_override_fields,
                                              COUNT(od_override_fields), 0};

static const pcf_schema_field replica_gsi_fields[] = {
    {"IndexName", PCF_SCHEMA_STRING, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"ProvisionedThroughputOverride", PCF_SCHEMA_OBJECT, 0, NULL, &pt_override_schema,
     PCF_SCHEMA_ANY, NULL},
    {"OnDemandThroughputOverride", PCF_SCHEMA_OBJECT, 0, NULL, &od_override_schema, PCF_SCHEMA_ANY,
     NULL},
};
static const pcf_schema replica_gsi_schema = {"replica GlobalSecondaryIndexes element",
                                              replica_gsi_fields, COUNT(replica_gsi_fields), 0};

static const pcf_schema_field pitr_fields[] = {
    {"PointInTimeRecoveryEnabled", PCF_SCHEMA_BOOL, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"RecoveryPeriodInDays", PCF_SCHEMA_INTEGER, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema pitr_schema = {"replica PointInTimeRecoverySpecification", pitr_fields,
                                       COUNT(pitr_fields), 0};

static const pcf_schema_field insights_fields[] = {
    {"Enabled", PCF_SCHEMA_BOOL, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema insights_schema = {"replica ContributorInsightsSpecification",
                                           insights_fields, COUNT(insights_fields), 0};

static const pcf_schema_field tag_fields[] = {
    {"Key", PCF_SCHEMA_STRING, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"Value", PCF_SCHEMA_STRING, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
static const pcf_schema tag_schema = {"replica Tags element", tag_fields, COUNT(tag_fields), 0};

static const pcf_schema_field replica_fields[] = {
    {"RegionName", PCF_SCHEMA_STRING, REQ, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"KMSMasterKeyId", PCF_SCHEMA_STRING, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"ProvisionedThroughputOverride", PCF_SCHEMA_OBJECT, 0, NULL, &pt_override_schema,
     PCF_SCHEMA_ANY, NULL},
    {"OnDemandThroughputOverride", PCF_SCHEMA_OBJECT, 0, NULL, &od_override_schema, PCF_SCHEMA_ANY,
     NULL},
    {"GlobalSecondaryIndexes", PCF_SCHEMA_LIST, 0, NULL, NULL, PCF_SCHEMA_OBJECT,
     &replica_gsi_schema},
    {"TableClassOverride", PCF_SCHEMA_STRING, 0, table_classes, NULL, PCF_SCHEMA_ANY, NULL},
    {"DeletionProtectionEnabled", PCF_SCHEMA_BOOL, 0, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {"PointInTimeRecoverySpecification", PCF_SCHEMA_OBJECT, 0, NULL, &pitr_schema, PCF_SCHEMA_ANY,
     NULL},
    {"ContributorInsightsSpecification", PCF_SCHEMA_OBJECT, 0, NULL, &insights_schema,
     PCF_SCHEMA_ANY, NULL},
    {"Tags", PCF_SCHEMA_LIST, 0, NULL, NULL, PCF_SCHEMA_OBJECT, &tag_schema},
};
const pcf_schema pcf_table_replica_schema = {"Replicas element", replica_fields,
                                             COUNT(replica_fields), 0};

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* One dash-separated part of a region name: 1 to 12 letters (or digits). */
static int region_part(const char *s, size_t n, int digits)
{
	if (n == 0 || n > 12)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (digits ? !isdigit((unsigned char)s[i]) : !islower((unsigned char)s[i]))
			return 0;
	return 1;
}

/*
 * AWS region names: a two-letter area, one to three words, a number
 * ("eu-west-1", "us-gov-west-1", "ap-southeast-2", "us-isob-east-1").
 */
int pcf_table_region_name_ok(const char *name)
{
	const char *part = name, *dash;
	int parts = 0;

	if (name == NULL || strlen(name) > 32)
		return 0;
	while ((dash = strchr(part, '-')) != NULL) {
		if (!(parts == 0 ? dash - part == 2 && region_part(part, 2, 0)
		                 : region_part(part, (size_t)(dash - part), 0)))
			return 0;
		parts++;
		part = dash + 1;
	}
	return parts >= 2 && parts <= 4 && region_part(part, strlen(part), 1) && strlen(part) <= 2;
}

static int provisioned(const cJSON *resource)
{
	const char *mode = pcf_table_str(resource, "BillingMode");
	return mode == NULL || strcmp(mode, "PAY_PER_REQUEST") != 0;
}

/* An override fits the table's billing mode, and its units are at least 1. */
static void check_overrides(const pcf_particle_def *def, pcf_diags *diags, const cJSON *owner,
                            const char *path)
{
	const cJSON *pt = get(owner, "ProvisionedThroughputOverride");
	const cJSON *od = get(owner, "OnDemandThroughputOverride");
	const cJSON *rcu = get(pt, "ReadCapacityUnits"), *mru = get(od, "MaxReadRequestUnits");
	int on_demand = !provisioned(def->aws_resource);
	char at[320];

	snprintf(at, sizeof(at), "%s.ProvisionedThroughputOverride", path);
	if (pt != NULL && on_demand)
		pcf_particle_def_report(
		    def, diags, at,
		    "expected no ProvisionedThroughputOverride with BillingMode "
		    "PAY_PER_REQUEST, found one");
	else if (cJSON_IsNumber(rcu) && rcu->valuedouble < 1)
		pcf_particle_def_report(def, diags, at,
		                        "expected ReadCapacityUnits of at least 1, found %g",
		                        rcu->valuedouble);
	snprintf(at, sizeof(at), "%s.OnDemandThroughputOverride", path);
	if (od != NULL && !on_demand)
		pcf_particle_def_report(def, diags, at,
		                        "expected OnDemandThroughputOverride only with BillingMode "
		                        "PAY_PER_REQUEST, found it on a provisioned table");
	else if (cJSON_IsNumber(mru) && mru->valuedouble < 1 && mru->valuedouble != -1)
		pcf_particle_def_report(
		    def, diags, at, "expected MaxReadRequestUnits of at least 1 (or -1), found %g",
		    mru->valuedouble);
}

/* Each index override names an index of the table, when the definition lists them. */
static void check_replica_indexes(const pcf_particle_def *def, pcf_diags *diags,
                                  const cJSON *replica, const char *path)
{
	const cJSON *table_gsis = get(def->aws_resource, "GlobalSecondaryIndexes"), *ix;
	char at[320];
	int i = 0;

	cJSON_ArrayForEach(ix, get(replica, "GlobalSecondaryIndexes"))
	{
		const char *name = pcf_table_str(ix, "IndexName");
		snprintf(at, sizeof(at), "%s.GlobalSecondaryIndexes[%d]", path, i++);
		check_overrides(def, diags, ix, at);
		if (name != NULL && cJSON_IsArray(table_gsis) &&
		    pcf_table_find_named(table_gsis, "IndexName", name) == NULL)
			pcf_particle_def_report(
			    def, diags, at,
			    "expected an index of the table's "
			    "GlobalSecondaryIndexes, found %s, which it does not "
			    "list",
			    name);
	}
}

static void check_replica(const pcf_particle_def *def, pcf_diags *diags, const cJSON *replica,
                          int i)
{
	const char *region = pcf_table_str(replica, "RegionName");
	const char *home = pcf_table_str(def->aws_resource, "region_name");
	const cJSON *days =
	    get(get(replica, "PointInTimeRecoverySpecification"), "RecoveryPeriodInDays");
	char path[64], at[160];

	snprintf(path, sizeof(path), "aws_resource.Replicas[%d]", i);
	snprintf(at, sizeof(at), "%s.RegionName", path);
	if (region != NULL && !pcf_table_region_name_ok(region))
		pcf_particle_def_report(def, diags, at,
		                        "expected an AWS region name such as eu-west-1, found %s",
		                        region);
	else if (region != NULL && home != NULL && !strcmp(region, home))
		pcf_particle_def_report(def, diags, at,
		                        "expected a region other than the table's own (region_name "
		                        "%s is its home), found %s",
		                        home, region);
	check_overrides(def, diags, replica, path);
	check_replica_indexes(def, diags, replica, path);
	snprintf(at, sizeof(at), "%s.PointInTimeRecoverySpecification.RecoveryPeriodInDays", path);
	if (cJSON_IsNumber(days) && (days->valuedouble < 1 || days->valuedouble > 35))
		pcf_particle_def_report(def, diags, at, "expected 1 to 35 days, found %g",
		                        days->valuedouble);
}

/* Replication rides on the table's stream: a definition turning it off or
 * narrowing it contradicts its own Replicas. */
static void check_stream(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *stream = get(def->aws_resource, "StreamSpecification");
	const char *view = pcf_table_str(stream, "StreamViewType");

	if (stream == NULL || pcf_table_bool(stream, "StreamEnabled") < 0)
		return;
	if (pcf_table_bool(stream, "StreamEnabled") == 0 ||
	    (view != NULL && strcmp(view, "NEW_AND_OLD_IMAGES") != 0))
		pcf_particle_def_report(def, diags, "aws_resource.StreamSpecification",
		                        "expected a stream with StreamViewType NEW_AND_OLD_IMAGES "
		                        "(replicas replicate through it), found %s",
		                        view != NULL ? view : "a disabled stream");
}

void pcf_table_check_replicas(const pcf_particle_def *def, pcf_diags *diags)
{
	static const char *const lists[] = {"Replicas", NULL};
	const cJSON *replicas = get(def->aws_resource, "Replicas"), *r;
	int i = 0;

	pcf_table_check_witnesses(def, diags);
	if (!cJSON_IsArray(replicas))
		return;
	cJSON_ArrayForEach(r, replicas) check_replica(def, diags, r, i++);
	pcf_table_report_repeats(def, diags, lists, "RegionName", "expected each region once");
	if (cJSON_GetArraySize(replicas) > 0)
		check_stream(def, diags);
}

static int is_unavailable(const char *status)
{
	static const char *const states[] = {"CREATION_FAILED", "REGION_DISABLED",
	                                     "INACCESSIBLE_ENCRYPTION_CREDENTIALS",
	                                     "REPLICATION_NOT_AUTHORIZED", NULL};
	for (size_t i = 0; states[i] != NULL; i++)
		if (!strcmp(status, states[i]))
			return 1;
	return 0;
}

/*
 * A failed replica is named first, whatever the others do: pcf must never
 * act on a table whose replica it cannot reason about. Then any replica
 * that is changing makes the table pending.
 */
pcf_state pcf_table_replicas_state(const cJSON *description, char *why, size_t why_size)
{
	const cJSON *r;
	const cJSON *replicas = get(description, "Replicas");

	cJSON_ArrayForEach(r, replicas)
	{
		const char *status = pcf_table_str(r, "ReplicaStatus");
		const char *detail = pcf_table_str(r, "ReplicaStatusDescription");
		if (status == NULL || !is_unavailable(status))
			continue;
		if (why != NULL)
			snprintf(
			    why, why_size, "replica %s is %s%s%s: pcf does not act on the table",
			    pcf_table_str(r, "RegionName") ? pcf_table_str(r, "RegionName") : "?",
			    status, detail != NULL ? " - " : "", detail != NULL ? detail : "");
		return PCF_STATE_UNAVAILABLE;
	}
	cJSON_ArrayForEach(r, replicas)
	{
		const char *status = pcf_table_str(r, "ReplicaStatus");
		if (status == NULL || !strcmp(status, "ACTIVE"))
			continue;
		if (why != NULL)
			snprintf(why, why_size, "replica %s is %s",
			         pcf_table_str(r, "RegionName") ? pcf_table_str(r, "RegionName")
			                                        : "?",
			         status);
		return PCF_STATE_PENDING;
	}
	return pcf_table_witness_state(description, why, why_size);
}

/* The region field of an ARN ("arn:aws:dynamodb:REGION:..."), into buf; "" when none. */
void pcf_table_arn_region(char *buf, size_t size, const char *arn)
{
	const char *p = arn;
	buf[0] = '\0';
	for (int colons = 0; p != NULL && colons < 3; colons++)
		p = strchr(p, ':') != NULL ? strchr(p, ':') + 1 : NULL;
	if (p != NULL && strchr(p, ':') != NULL)
		snprintf(buf, size, "%.*s", (int)(strchr(p, ':') - p), p);
}

static cJSON *replica_index(const cJSON *ix)
{
	cJSON *out = cJSON_CreateObject();
	if (out == NULL || pcf_table_copy_field(out, ix, "IndexName") < 0 ||
	    pcf_table_copy_field(out, ix, "ProvisionedThroughputOverride") < 0 ||
	    pcf_table_copy_field(out, ix, "OnDemandThroughputOverride") < 0) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

/* One live replica: its status and the overrides the home region answers. */
static cJSON *replica_entry(const cJSON *r, const char *table_class)
{
	const char *cls = pcf_table_str(get(r, "ReplicaTableClassSummary"), "TableClass");
	cJSON *out = cJSON_CreateObject(), *list, *ix;
	const cJSON *live;

	if (out == NULL || pcf_table_copy_field(out, r, "RegionName") < 0 ||
	    pcf_table_copy_field(out, r, "ReplicaStatus") < 0 ||
	    pcf_table_copy_field(out, r, "KMSMasterKeyId") < 0 ||
	    pcf_table_copy_field(out, r, "ProvisionedThroughputOverride") < 0 ||
	    pcf_table_copy_field(out, r, "OnDemandThroughputOverride") < 0 ||
	    !cJSON_AddStringToObject(out, "TableClassOverride", cls != NULL ? cls : table_class))
		goto fail;
	if (cJSON_GetArraySize(get(r, "GlobalSecondaryIndexes")) > 0) {
		if ((list = cJSON_AddArrayToObject(out, "GlobalSecondaryIndexes")) == NULL)
			goto fail;
		cJSON_ArrayForEach(live, get(r, "GlobalSecondaryIndexes"))
		{
			ix = replica_index(live);
			if (!cJSON_AddItemToArray(list, ix)) {
				cJSON_Delete(ix);
				goto fail;
			}
		}
	}
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

int pcf_table_replicas_normalize(cJSON *out, const cJSON *description)
{
	const char *cls = pcf_table_str(out, "TableClass");
	const char *mode = pcf_table_str(description, "MultiRegionConsistency");
	const cJSON *r;
	cJSON *list;
	char home[64];

	/* Before the replicas: a witness still DELETING may outlive the last one. */
	if (pcf_table_witnesses_normalize(out, description) < 0)
		return -1;
	if (cJSON_GetArraySize(get(description, "Replicas")) == 0)
		return 0;
	pcf_table_arn_region(home, sizeof(home), pcf_table_str(description, "TableArn"));
	if ((list = cJSON_AddArrayToObject(out, "Replicas")) == NULL ||
	    !cJSON_AddStringToObject(out, "MultiRegionConsistency",
	                             mode != NULL ? mode : "EVENTUAL"))
		return -1;
	cJSON_ArrayForEach(r, get(description, "Replicas"))
	{
		const char *region = pcf_table_str(r, "RegionName");
		cJSON *entry;
		/* Some answers list the home region among the replicas: it is the table. */
		if (region == NULL || !strcmp(region, home))
			continue;
		entry = replica_entry(r, cls != NULL ? cls : "STANDARD");
		if (!cJSON_AddItemToArray(list, entry)) {
			cJSON_Delete(entry);
			return -1;
		}
	}
	return 0;
}

void pcf_table_replicas_canonical(cJSON *r)
{
	const cJSON *replicas = get(r, "Replicas");
	cJSON *replica;

	/* Consistency means something only for a table with replicas. */
	if (cJSON_GetArraySize(replicas) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(r, "MultiRegionConsistency");
	cJSON_ArrayForEach(replica, replicas)
	{
		cJSON *pitr =
		    cJSON_GetObjectItemCaseSensitive(replica, "PointInTimeRecoverySpecification");
		if (pcf_table_bool(pitr, "PointInTimeRecoveryEnabled") == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(pitr, "RecoveryPeriodInDays");
	}
}

/* An index of a replica without an override of its own says nothing. */
static void drop_plain_indexes(cJSON *replica)
{
	cJSON *list = cJSON_GetObjectItemCaseSensitive(replica, "GlobalSecondaryIndexes");
	cJSON *ix = list != NULL ? list->child : NULL, *next;

	for (; ix != NULL; ix = next) {
		next = ix->next;
		if (get(ix, "ProvisionedThroughputOverride") == NULL &&
		    get(ix, "OnDemandThroughputOverride") == NULL)
			cJSON_Delete(cJSON_DetachItemViaPointer(list, ix));
	}
	if (cJSON_GetArraySize(list) == 0)
		cJSON_DeleteItemFromObjectCaseSensitive(replica, "GlobalSecondaryIndexes");
}

/* Export keeps what a replica does not inherit or default to. */
void pcf_table_replicas_export_clean(cJSON *resource)
{
	const char *cls = pcf_table_str(resource, "TableClass");
	const char *mode = pcf_table_str(resource, "MultiRegionConsistency");
	cJSON *r;

	if (mode != NULL && !strcmp(mode, "EVENTUAL"))
		cJSON_DeleteItemFromObjectCaseSensitive(resource, "MultiRegionConsistency");
	pcf_table_witnesses_export_clean(resource);
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(resource, "Replicas"))
	{
		const char *over = pcf_table_str(r, "TableClassOverride");
		const cJSON *pitr = get(r, "PointInTimeRecoverySpecification");
		const cJSON *ci = get(r, "ContributorInsightsSpecification");
		cJSON_DeleteItemFromObjectCaseSensitive(r, "ReplicaStatus");
		cJSON_DeleteItemFromObjectCaseSensitive(r, "ReplicaArn");
		if (over != NULL && !strcmp(over, cls != NULL ? cls : "STANDARD"))
			cJSON_DeleteItemFromObjectCaseSensitive(r, "TableClassOverride");
		if (pcf_table_bool(r, "DeletionProtectionEnabled") == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(r, "DeletionProtectionEnabled");
		if (pcf_table_bool(pitr, "PointInTimeRecoveryEnabled") == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(r,
			                                        "PointInTimeRecoverySpecification");
		if (pcf_table_bool(ci, "Enabled") == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(r,
			                                        "ContributorInsightsSpecification");
		if (cJSON_GetArraySize(get(r, "Tags")) == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(r, "Tags");
		drop_plain_indexes(r);
	}
}
