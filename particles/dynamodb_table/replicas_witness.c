/*
 * The witness of a multi-Region strongly consistent (MRSC) global table:
 * the GlobalTableWitnesses field of a table's aws_resource.
 *
 * An MRSC table is either three replicas, or two replicas (the home table
 * and one entry of Replicas) plus a witness: a Region that holds no table
 * but takes part in the quorum. The DynamoDB API fixes how a witness comes
 * and goes, and this file follows it:
 * - a table has at most one witness, only with MultiRegionConsistency
 *   STRONG, in a Region other than the replicas' and of the same MRSC
 *   Region set (US, EU or AP);
 * - UpdateTable GlobalTableWitnessUpdates creates or deletes one witness
 *   per call; a witness is created only when the MRSC table is created,
 *   that is in the same UpdateTable as the replica Create that carries
 *   MultiRegionConsistency STRONG;
 * - a witness is deleted only together with a replica (same UpdateTable),
 *   which leaves the remaining table single-Region;
 * - DescribeTable answers GlobalTableWitnesses: [{RegionName,
 *   WitnessStatus: CREATING | DELETING | ACTIVE}].
 * So pcf never plans a witness step of its own: replicas_plan.c attaches
 * the witness Create to the first replica Create and the witness Delete to
 * the replica Delete, and what the API cannot do (add a witness to a table
 * that is already global, move it, remove it without a replica) is refused
 * while planning, with what to do instead.
 */
#include "replicas.h"

#include <stdio.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const pcf_schema_field witness_fields[] = {
    {"RegionName", PCF_SCHEMA_STRING, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY, NULL},
};
const pcf_schema pcf_table_witness_schema = {"GlobalTableWitnesses element", witness_fields,
                                             COUNT(witness_fields), 0};

typedef struct region_set {
	const char *name;
	const char *const regions[5];
} region_set;

/* The MRSC Region sets of the DynamoDB documentation; a witness and the
 * replicas it serves come from one of them. */
static const region_set region_sets[] = {
    {"US", {"us-east-1", "us-east-2", "us-west-2", NULL}},
    {"EU", {"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", NULL}},
    {"AP", {"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", NULL}},
};

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* The Region set region belongs to; NULL for one in none of them (which
 * the service judges: pcf does not refuse what a newer set may allow). */
static const region_set *set_of(const char *region)
{
	for (size_t i = 0; region != NULL && i < COUNT(region_sets); i++)
		for (size_t j = 0; region_sets[i].regions[j] != NULL; j++)
			if (!strcmp(region, region_sets[i].regions[j]))
				return &region_sets[i];
	return NULL;
}

/* The first region of the home and the replicas that lies in another known
 * set than the witness's; NULL when none does. */
static const char *other_set_region(const cJSON *resource, const region_set *witness_set)
{
	const char *home = pcf_table_str(resource, "region_name");
	const cJSON *r;

	if (witness_set == NULL)
		return NULL;
	if (set_of(home) != NULL && set_of(home) != witness_set)
		return home;
	cJSON_ArrayForEach(r, get(resource, "Replicas"))
	{
		const char *region = pcf_table_str(r, "RegionName");
		if (set_of(region) != NULL && set_of(region) != witness_set)
			return region;
	}
	return NULL;
}

static void check_witness_region(const pcf_particle_def *def, pcf_diags *diags, const cJSON *w,
                                 int i)
{
	const cJSON *resource = def->aws_resource;
	const char *region = pcf_table_str(w, "RegionName");
	const char *home = pcf_table_str(resource, "region_name"), *other;
	char at[96];

	snprintf(at, sizeof(at), "aws_resource.GlobalTableWitnesses[%d].RegionName", i);
	if (region == NULL)
		return;
	if (!pcf_table_region_name_ok(region))
		pcf_particle_def_report(def, diags, at,
		                        "expected an AWS region name such as us-west-2, found %s",
		                        region);
	else if (home != NULL && !strcmp(region, home))
		pcf_particle_def_report(def, diags, at,
		                        "expected a witness region other than the table's own "
		                        "(region_name %s is its home), found %s",
		                        home, region);
	else if (pcf_table_find_named(get(resource, "Replicas"), "RegionName", region) != NULL)
		pcf_particle_def_report(
		    def, diags, at,
		    "expected a witness region that holds no replica, found %s, "
		    "which Replicas lists",
		    region);
	else if ((other = other_set_region(resource, set_of(region))) != NULL)
		pcf_particle_def_report(def, diags, at,
		                        "expected a region of the same MRSC Region set as the "
		                        "table's replicas, found %s (%s set) with %s (%s set)",
		                        region, set_of(region)->name, other, set_of(other)->name);
}

void pcf_table_check_witnesses(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *list = get(def->aws_resource, "GlobalTableWitnesses"), *w;
	const char *mode = pcf_table_str(def->aws_resource, "MultiRegionConsistency");
	int n = cJSON_GetArraySize(list), replicas, i = 0;
	char at[64];

	if (!cJSON_IsArray(list) || n == 0)
		return;
	replicas = cJSON_GetArraySize(get(def->aws_resource, "Replicas"));
	cJSON_ArrayForEach(w, list)
	{
		if (i > 0) {
			snprintf(at, sizeof(at), "aws_resource.GlobalTableWitnesses[%d]", i);
			pcf_particle_def_report(
			    def, diags, at,
			    "expected at most one witness (an MRSC global table "
			    "has one), found %d",
			    n);
		}
		check_witness_region(def, diags, w, i++);
	}
	if (mode == NULL || strcmp(mode, "STRONG") != 0)
		pcf_particle_def_report(def, diags, "aws_resource.GlobalTableWitnesses",
		                        "expected MultiRegionConsistency: STRONG with a witness "
		                        "(only MRSC global tables have one), found %s",
		                        mode != NULL ? mode : "no MultiRegionConsistency");
	if (replicas != 1)
		pcf_particle_def_report(def, diags, "aws_resource.GlobalTableWitnesses",
		                        "expected exactly one entry in Replicas with a witness (an "
		                        "MRSC table is two replicas and a witness), found %d",
		                        replicas);
}

pcf_state pcf_table_witness_state(const cJSON *description, char *why, size_t why_size)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, get(description, "GlobalTableWitnesses"))
	{
		const char *status = pcf_table_str(w, "WitnessStatus");
		const char *region = pcf_table_str(w, "RegionName");
		if (status == NULL || !strcmp(status, "ACTIVE"))
			continue;
		if (why != NULL)
			snprintf(why, why_size, "witness %s is %s", region != NULL ? region : "?",
			         status);
		return PCF_STATE_PENDING;
	}
	return PCF_STATE_RUNNING;
}

int pcf_table_witnesses_normalize(cJSON *out, const cJSON *description)
{
	const cJSON *w;
	cJSON *list;

	if (cJSON_GetArraySize(get(description, "GlobalTableWitnesses")) == 0)
		return 0;
	if ((list = cJSON_AddArrayToObject(out, "GlobalTableWitnesses")) == NULL)
		return -1;
	cJSON_ArrayForEach(w, get(description, "GlobalTableWitnesses"))
	{
		cJSON *entry = cJSON_CreateObject();
		if (entry == NULL || pcf_table_copy_field(entry, w, "RegionName") < 0 ||
		    pcf_table_copy_field(entry, w, "WitnessStatus") < 0 ||
		    !cJSON_AddItemToArray(list, entry)) {
			cJSON_Delete(entry);
			return -1;
		}
	}
	return 0;
}

void pcf_table_witnesses_export_clean(cJSON *resource)
{
	cJSON *w;
	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(resource, "GlobalTableWitnesses"))
	    cJSON_DeleteItemFromObjectCaseSensitive(w, "WitnessStatus");
}

static const char *first_region(const cJSON *owner)
{
	const cJSON *list = get(owner, "GlobalTableWitnesses");
	return pcf_table_str(cJSON_IsArray(list) ? list->child : NULL, "RegionName");
}

/* Live replicas the definition's Replicas no longer lists: the deletes
 * replicas_plan.c will plan. */
static int replicas_leaving(const cJSON *want, const cJSON *have)
{
	const cJSON *h;
	int n = 0;
	cJSON_ArrayForEach(h, get(have, "Replicas"))
	{
		const char *region = pcf_table_str(h, "RegionName");
		if (region != NULL &&
		    pcf_table_find_named(get(want, "Replicas"), "RegionName", region) == NULL)
			n++;
	}
	return n;
}

/* The witness is declared (wanted, NULL: none) where one lives (live, NULL: none). */
static int plan_declared(pcf_table_witness_steps *out, const cJSON *want, const cJSON *have,
                         const char *wanted, const char *live, pcf_error *err)
{
	const char *table = pcf_table_str(want, "TableName");
	const char *mode = pcf_table_str(want, "MultiRegionConsistency");
	char home[64];

	pcf_table_arn_region(home, sizeof(home), pcf_table_str(have, "TableArn"));
	if (wanted != NULL && !strcmp(wanted, home))
		return pcf_error_set(err, PCF_EINVAL,
		                     "table %s: GlobalTableWitnesses lists %s, the table's own "
		                     "region; a witness is a region without a replica",
		                     table, wanted);
	if (wanted == NULL && live != NULL && replicas_leaving(want, have) == 0)
		return pcf_error_set(
		    err, PCF_EREFUSED,
		    "table %s: witness %s is not in the definition, but DynamoDB removes a witness "
		    "only together with a replica (the table becomes single-Region): remove the "
		    "replica from Replicas too, or keep the witness",
		    table, live);
	if (wanted != NULL && live != NULL && strcmp(wanted, live) != 0)
		return pcf_error_set(
		    err, PCF_EREFUSED,
		    "table %s: witness %s -> %s: DynamoDB cannot move a witness; remove the "
		    "replica and the witness from the definition, apply, then declare both anew",
		    table, live, wanted);
	if (wanted != NULL && live == NULL && cJSON_GetArraySize(get(have, "Replicas")) > 0)
		return pcf_error_set(
		    err, PCF_EREFUSED,
		    "table %s: witness %s: DynamoDB adds a witness only with the replica that "
		    "makes "
		    "the table an MRSC global table, and the table already has replicas; remove "
		    "them first, or list a third replica instead of a witness",
		    table, wanted);
	if (wanted != NULL && live == NULL && (mode == NULL || strcmp(mode, "STRONG") != 0))
		return pcf_error_set(err, PCF_EINVAL,
		                     "table %s: witness %s needs MultiRegionConsistency STRONG",
		                     table, wanted);
	out->create = wanted != NULL && live == NULL ? wanted : NULL;
	out->remove = wanted == NULL ? live : NULL;
	return 0;
}

int pcf_table_plan_witness(pcf_table_witness_steps *out, const cJSON *want, const cJSON *have,
                           pcf_error *err)
{
	const char *live = first_region(have);

	out->create = out->remove = NULL;
	if (get(want, "GlobalTableWitnesses") != NULL)
		return plan_declared(out, want, have, first_region(want), live, err);
	/* Left alone by the definition, but a replica delete without the
	 * witness's would be refused by the service: say so while planning. */
	if (live != NULL && replicas_leaving(want, have) > 0)
		return pcf_error_set(
		    err, PCF_EREFUSED,
		    "table %s: a replica is to be removed, but DynamoDB removes one of an MRSC "
		    "table with witness %s only together with the witness: add "
		    "GlobalTableWitnesses: [] to remove both",
		    pcf_table_str(want, "TableName"), live);
	return 0;
}

cJSON *pcf_table_with_witness_update(cJSON *request, const char *verb, const char *region)
{
	cJSON *list, *update, *body;

	if (request == NULL || region == NULL)
		return request;
	if ((list = cJSON_AddArrayToObject(request, "GlobalTableWitnessUpdates")) == NULL ||
	    (update = cJSON_CreateObject()) == NULL)
		goto fail;
	if (!cJSON_AddItemToArray(list, update)) {
		cJSON_Delete(update);
		goto fail;
	}
	if ((body = cJSON_AddObjectToObject(update, verb)) == NULL ||
	    !cJSON_AddStringToObject(body, "RegionName", region))
		goto fail;
	return request;
fail:
	cJSON_Delete(request);
	return NULL;
}
