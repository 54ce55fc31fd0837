/*
 * Live table -> definition shape, and the definition -> canonical form.
 *
 * DescribeTable answers in its own shape: BillingModeSummary instead of
 * BillingMode, 0/0 throughput on on-demand tables, SSEDescription instead
 * of SSESpecification, no StreamSpecification once a stream is disabled,
 * nothing at all for server defaults (table class, deletion protection on
 * older servers). Here that answer is folded into exactly the fields a
 * CreateTable request would carry, with server defaults spelled out, so
 * that "desired vs current" is a plain structural diff. The desired side
 * gets the mirror treatment (pcf_table_canonical): fields that mean
 * nothing in the state the definition asks for are dropped, so a user's
 * harmless extra (a StreamViewType on a disabled stream) is not drift.
 */
#include "replicas.h"

#include <string.h>

const char *const pcf_table_server_fields[] = {
    "TableArn",       "TableId",         "TableStatus",       "CreationDateTime", "ItemCount",
    "TableSizeBytes", "LatestStreamArn", "LatestStreamLabel", "RawThroughput",    NULL};

static const char *const diff_ignore[] = {
    "region_name", "TableArn", "TableId", "TableStatus", "CreationDateTime", "ItemCount",
    "TableSizeBytes", "LatestStreamArn", "LatestStreamLabel", "RawThroughput",
    /* The service answers with the key's ARN where a definition may name
     * an alias or a key id: the two cannot be compared offline. */
    "SSESpecification.KMSMasterKeyId", "Replicas[*].KMSMasterKeyId", NULL};

static const char *const diff_list_keys[] = {"IndexName",  "AttributeName", "Key",
                                             "RegionName", "StreamArn",     NULL};

/* Attribute definitions that live indexes brought are not drift. Indexes
 * and tags, once the definition lists them (even as an empty list), are the
 * definition's: a definition without GlobalSecondaryIndexes leaves the
 * table's indexes to whoever made them, one with the key is the whole set. */
static const char *const diff_open_lists[] = {"AttributeDefinitions",
                                              "Replicas[*].GlobalSecondaryIndexes", NULL};

const pcf_diff_options pcf_table_diff_options = {
    .ignore = diff_ignore, .list_keys = diff_list_keys, .open_lists = diff_open_lists};

static const char *billing_mode(const cJSON *d)
{
	const cJSON *summary = cJSON_GetObjectItemCaseSensitive(d, "BillingModeSummary");
	const char *mode = pcf_table_str(summary, "BillingMode");
	if (mode == NULL)
		mode = pcf_table_str(d, "BillingMode"); /* dynalite answers it at the top */
	return mode != NULL ? mode : "PROVISIONED";
}

static cJSON *throughput(const cJSON *pt)
{
	cJSON *out = cJSON_CreateObject();
	if (out == NULL || pcf_table_copy_field(out, pt, "ReadCapacityUnits") < 0 ||
	    pcf_table_copy_field(out, pt, "WriteCapacityUnits") < 0) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

static cJSON *projection(const cJSON *p)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *nka = cJSON_GetObjectItemCaseSensitive(p, "NonKeyAttributes");
	if (out == NULL || pcf_table_copy_field(out, p, "ProjectionType") < 0 ||
	    (cJSON_GetArraySize(nka) > 0 && pcf_table_copy_field(out, p, "NonKeyAttributes") < 0)) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

/* One index: name, key schema, projection, and throughput when provisioned. */
static cJSON *index_entry(const cJSON *ix, int with_throughput)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *pt = cJSON_GetObjectItemCaseSensitive(ix, "ProvisionedThroughput");
	if (out == NULL || pcf_table_copy_field(out, ix, "IndexName") < 0 ||
	    pcf_table_copy_field(out, ix, "KeySchema") < 0 ||
	    !cJSON_AddItemToObject(out, "Projection",
	                           projection(cJSON_GetObjectItemCaseSensitive(ix, "Projection"))))
		goto fail;
	if (with_throughput && pt != NULL &&
	    !cJSON_AddItemToObject(out, "ProvisionedThroughput", throughput(pt)))
		goto fail;
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

static int add_indexes(cJSON *to, const cJSON *d, const char *key, int with_throughput)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(d, key), *ix;
	cJSON *out;
	if (cJSON_GetArraySize(list) == 0)
		return 0;
	out = cJSON_AddArrayToObject(to, key);
	if (out == NULL)
		return -1;
	cJSON_ArrayForEach(ix, list)
	{
		if (!cJSON_AddItemToArray(out, index_entry(ix, with_throughput)))
			return -1;
	}
	return 0;
}

static int add_stream(cJSON *to, const cJSON *d)
{
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(d, "StreamSpecification");
	cJSON *out = cJSON_AddObjectToObject(to, "StreamSpecification");
	int on = pcf_table_bool(spec, "StreamEnabled") == 1;
	if (out == NULL || !cJSON_AddBoolToObject(out, "StreamEnabled", on))
		return -1;
	if (on && pcf_table_copy_field(out, spec, "StreamViewType") < 0)
		return -1;
	return 0;
}

/* No SSEDescription (or a disabled one) is the default AWS-owned key. */
static int add_sse(cJSON *to, const cJSON *d)
{
	const cJSON *sse = cJSON_GetObjectItemCaseSensitive(d, "SSEDescription");
	const char *status = pcf_table_str(sse, "Status");
	const char *arn = pcf_table_str(sse, "KMSMasterKeyArn");
	cJSON *out = cJSON_AddObjectToObject(to, "SSESpecification");
	int on = status != NULL && (!strcmp(status, "ENABLED") || !strcmp(status, "ENABLING") ||
	                            !strcmp(status, "UPDATING"));
	if (out == NULL || !cJSON_AddBoolToObject(out, "Enabled", on))
		return -1;
	if (on && pcf_table_copy_field(out, sse, "SSEType") < 0)
		return -1;
	if (on && arn != NULL && !cJSON_AddStringToObject(out, "KMSMasterKeyId", arn))
		return -1;
	return 0;
}

static int add_ttl(cJSON *to, const cJSON *ttl)
{
	const char *status = pcf_table_str(ttl, "TimeToLiveStatus");
	int on = status != NULL && (!strcmp(status, "ENABLED") || !strcmp(status, "ENABLING"));
	cJSON *out = cJSON_AddObjectToObject(to, "TimeToLiveSpecification");
	if (out == NULL || !cJSON_AddBoolToObject(out, "Enabled", on))
		return -1;
	if (on && pcf_table_copy_field(out, ttl, "AttributeName") < 0)
		return -1;
	return 0;
}

static int add_pitr(cJSON *to, const cJSON *backups)
{
	const cJSON *pitr =
	    cJSON_GetObjectItemCaseSensitive(backups, "PointInTimeRecoveryDescription");
	const char *status = pcf_table_str(pitr, "PointInTimeRecoveryStatus");
	cJSON *out = cJSON_AddObjectToObject(to, "PointInTimeRecoverySpecification");
	int on = status != NULL && !strcmp(status, "ENABLED");
	if (out == NULL || !cJSON_AddBoolToObject(out, "PointInTimeRecoveryEnabled", on))
		return -1;
	if (on && pcf_table_copy_field(out, pitr, "RecoveryPeriodInDays") < 0)
		return -1;
	return 0;
}

static int add_table_settings(cJSON *out, const cJSON *d)
{
	const cJSON *cls = cJSON_GetObjectItemCaseSensitive(d, "TableClassSummary");
	const char *table_class = pcf_table_str(cls, "TableClass");
	int protection = pcf_table_bool(d, "DeletionProtectionEnabled") == 1;

	if (add_stream(out, d) < 0 || add_sse(out, d) < 0)
		return -1;
	if (!cJSON_AddStringToObject(out, "TableClass",
	                             table_class != NULL ? table_class : "STANDARD"))
		return -1;
	if (!cJSON_AddBoolToObject(out, "DeletionProtectionEnabled", protection))
		return -1;
	return 0;
}

/*
 * On demand, the throughput is dropped from the definition shape, but some
 * servers keep an index's old values and refuse the same value when the
 * table switches back to PROVISIONED ("requested value equals the current
 * value"). The raw index values are kept aside for the planner as
 * RawThroughput {Indexes: [{IndexName, ProvisionedThroughput}]}, a server
 * field that the diff ignores and export drops.
 */
static int add_raw_throughput(cJSON *to, const cJSON *d)
{
	const cJSON *ix;
	cJSON *raw, *list;

	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "GlobalSecondaryIndexes")) == 0)
		return 0;
	raw = cJSON_AddObjectToObject(to, "RawThroughput");
	list = raw != NULL ? cJSON_AddArrayToObject(raw, "Indexes") : NULL;
	if (list == NULL)
		return -1;
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(d, "GlobalSecondaryIndexes"))
	{
		cJSON *entry = cJSON_CreateObject();
		const cJSON *pt = cJSON_GetObjectItemCaseSensitive(ix, "ProvisionedThroughput");
		if (!cJSON_AddItemToArray(list, entry) ||
		    pcf_table_copy_field(entry, ix, "IndexName") < 0 ||
		    (pt != NULL &&
		     !cJSON_AddItemToObject(entry, "ProvisionedThroughput", throughput(pt))))
			return -1;
	}
	return 0;
}

cJSON *pcf_table_normalize(const cJSON *d, const cJSON *ttl, const cJSON *backups,
                           const cJSON *tags)
{
	cJSON *out = cJSON_CreateObject();
	const char *mode = billing_mode(d);
	int provisioned = strcmp(mode, "PAY_PER_REQUEST") != 0;
	size_t i;

	if (out == NULL || pcf_table_copy_field(out, d, "TableName") < 0 ||
	    pcf_table_copy_field(out, d, "AttributeDefinitions") < 0 ||
	    pcf_table_copy_field(out, d, "KeySchema") < 0 ||
	    !cJSON_AddStringToObject(out, "BillingMode", mode))
		goto fail;
	if (provisioned && cJSON_GetObjectItemCaseSensitive(d, "ProvisionedThroughput") != NULL &&
	    !cJSON_AddItemToObject(
	        out, "ProvisionedThroughput",
	        throughput(cJSON_GetObjectItemCaseSensitive(d, "ProvisionedThroughput"))))
		goto fail;
	if (add_indexes(out, d, "GlobalSecondaryIndexes", provisioned) < 0 ||
	    add_indexes(out, d, "LocalSecondaryIndexes", 0) < 0 || add_table_settings(out, d) < 0)
		goto fail;
	if (tags != NULL && !cJSON_AddItemToObject(out, "Tags", cJSON_Duplicate(tags, 1)))
		goto fail;
	if (pcf_table_normalize_throughput_modes(out, d) < 0)
		goto fail;
	if ((ttl != NULL && add_ttl(out, ttl) < 0) ||
	    (backups != NULL && add_pitr(out, backups) < 0))
		goto fail;
	for (i = 0; pcf_table_server_fields[i] != NULL; i++)
		if (pcf_table_copy_field(out, d, pcf_table_server_fields[i]) < 0)
			goto fail;
	if ((!provisioned && add_raw_throughput(out, d) < 0) ||
	    pcf_table_replicas_normalize(out, d) < 0)
		goto fail;
	return out;
fail:
	cJSON_Delete(out);
	return NULL;
}

static void drop_throughput_everywhere(cJSON *r)
{
	cJSON *ix;
	cJSON_DeleteItemFromObjectCaseSensitive(r, "ProvisionedThroughput");
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(r, "GlobalSecondaryIndexes"))
	    cJSON_DeleteItemFromObjectCaseSensitive(ix, "ProvisionedThroughput");
}

static void canonical_projections(cJSON *r, const char *key)
{
	cJSON *ix;
	cJSON_ArrayForEach(ix, cJSON_GetObjectItemCaseSensitive(r, key))
	{
		cJSON *p = cJSON_GetObjectItemCaseSensitive(ix, "Projection");
		const char *type = pcf_table_str(p, "ProjectionType");
		if (type != NULL && strcmp(type, "INCLUDE") != 0)
			cJSON_DeleteItemFromObjectCaseSensitive(p, "NonKeyAttributes");
	}
}

/* Drops the fields of an object that only matter when flag is true. */
static void when_off_keep_only(cJSON *r, const char *key, const char *flag)
{
	cJSON *spec = cJSON_GetObjectItemCaseSensitive(r, key), *item, *next;
	if (!cJSON_IsObject(spec) || pcf_table_bool(spec, flag) != 0)
		return;
	for (item = spec->child; item != NULL; item = next) {
		next = item->next;
		if (strcmp(item->string, flag) != 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(spec, item));
	}
}

cJSON *pcf_table_canonical(const cJSON *desired)
{
	cJSON *r = cJSON_Duplicate(desired, 1);
	const char *mode;

	if (r == NULL)
		return NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(r, "region_name");
	mode = pcf_table_str(r, "BillingMode");
	if (mode == NULL && cJSON_GetObjectItemCaseSensitive(r, "ProvisionedThroughput") != NULL) {
		if (!cJSON_AddStringToObject(r, "BillingMode", "PROVISIONED"))
			goto fail;
	} else if (mode != NULL && !strcmp(mode, "PAY_PER_REQUEST")) {
		drop_throughput_everywhere(r);
	}
	canonical_projections(r, "GlobalSecondaryIndexes");
	canonical_projections(r, "LocalSecondaryIndexes");
	when_off_keep_only(r, "StreamSpecification", "StreamEnabled");
	when_off_keep_only(r, "SSESpecification", "Enabled");
	when_off_keep_only(r, "TimeToLiveSpecification", "Enabled");
	pcf_table_replicas_canonical(r);
	when_off_keep_only(r, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled");
	if (pcf_table_canonical_policy(r) < 0)
		goto fail;
	return r;
fail:
	cJSON_Delete(r);
	return NULL;
}
