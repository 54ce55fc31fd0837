/*
 * KinesisStreamingDestinations [{StreamArn, ApproximateCreationDateTimePrecision}]:
 * the Kinesis data streams a table's changes are copied to.
 * DescribeKinesisStreamingDestination lists them with a status; a
 * destination is the table's while ACTIVE, ENABLING or UPDATING, and
 * ENABLING, DISABLING and UPDATING are pending (the engine waits). Enable,
 * Disable and UpdateKinesisStreamingDestination change one destination per
 * call. The definition's list is the whole set once it is given: a live
 * destination it does not name is disabled. A precision the definition
 * leaves out is whatever the service chose.
 */
#include "managed.h"

#include <stdio.h>
#include <string.h>

#define KEY       "KinesisStreamingDestinations"
#define PRECISION "ApproximateCreationDateTimePrecision"

static const char *const precisions[] = {"MILLISECOND", "MICROSECOND", NULL};

static const pcf_schema_field kinesis_fields[] = {
    {"StreamArn", PCF_SCHEMA_STRING, PCF_SCHEMA_REQUIRED, NULL, NULL, PCF_SCHEMA_ANY, NULL},
    {PRECISION, PCF_SCHEMA_STRING, 0, precisions, NULL, PCF_SCHEMA_ANY, NULL},
};
const pcf_schema pcf_table_kinesis_schema = {"KinesisStreamingDestinations element", kinesis_fields,
                                             sizeof(kinesis_fields) / sizeof(kinesis_fields[0]), 0};

/* "arn:PARTITION:kinesis:REGION:ACCOUNT:stream/NAME", each part non-empty. */
static int stream_arn_ok(const char *arn)
{
	const char *p = arn;
	if (strncmp(p, "arn:", 4) != 0)
		return 0;
	p += 4;
	p += strcspn(p, ":");
	if (*p != ':' || p == arn + 4 || strncmp(p, ":kinesis:", 9) != 0)
		return 0;
	p += 9;
	for (int part = 0; part < 2; part++) {
		size_t n = strcspn(p, ":");
		if (n == 0 || p[n] != ':')
			return 0;
		p += n + 1;
	}
	return strncmp(p, "stream/", 7) == 0 && p[7] != '\0';
}

void pcf_table_check_kinesis(const pcf_particle_def *def, pcf_diags *diags)
{
	static const char *const lists[] = {KEY, NULL};
	const cJSON *d;
	char at[320];
	int i = 0;

	cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(def->aws_resource, KEY))
	{
		const char *arn = pcf_table_str(d, "StreamArn");
		snprintf(at, sizeof(at), "aws_resource.%s[%d].StreamArn", KEY, i++);
		if (arn != NULL && !stream_arn_ok(arn))
			pcf_particle_def_report(
			    def, diags, at,
			    "expected a Kinesis stream ARN "
			    "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME), found %s",
			    arn);
	}
	pcf_table_report_repeats(def, diags, lists, "StreamArn",
	                         "expected each Kinesis stream named once");
}

/* The destination as the definition would spell it. */
static cJSON *destination(const cJSON *d)
{
	cJSON *out = cJSON_CreateObject();
	const char *precision = pcf_table_str(d, PRECISION);
	if (out == NULL ||
	    !cJSON_AddStringToObject(out, "StreamArn", pcf_table_str(d, "StreamArn")) ||
	    (precision != NULL && !cJSON_AddStringToObject(out, PRECISION, precision))) {
		cJSON_Delete(out);
		return NULL;
	}
	return out;
}

static int is(const char *status, const char *a, const char *b, const char *c)
{
	return status != NULL &&
	       (!strcmp(status, a) || !strcmp(status, b) || (c != NULL && !strcmp(status, c)));
}

/* current[KEY] from one DescribeKinesisStreamingDestination answer. */
static int fold(pcf_table_live *live, cJSON *current, const cJSON *answer, pcf_error *err)
{
	cJSON *list = cJSON_AddArrayToObject(current, KEY);
	const cJSON *d;
	char what[400];

	if (list == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_ArrayForEach(
	    d, cJSON_GetObjectItemCaseSensitive(answer, "KinesisDataStreamDestinations"))
	{
		const char *status = pcf_table_str(d, "DestinationStatus");
		if (pcf_table_str(d, "StreamArn") == NULL)
			continue;
		if (is(status, "ENABLING", "DISABLING", "UPDATING")) {
			snprintf(what, sizeof(what), "Kinesis destination %s %s",
			         pcf_table_str(d, "StreamArn"), status);
			pcf_table_live_pending(live, what);
		}
		if (is(status, "ACTIVE", "ENABLING", "UPDATING") &&
		    !cJSON_AddItemToArray(list, destination(d)))
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	return 0;
}

int pcf_table_read_kinesis(pcf_table_live *live, cJSON *current, const cJSON *want, pcf_error *err)
{
	const cJSON *wanted = cJSON_GetObjectItemCaseSensitive(want, KEY);
	cJSON *req, *answer = NULL;
	int rc;

	if (wanted == NULL && !live->everything)
		return 0;
	req = cJSON_CreateObject();
	if (req == NULL || !cJSON_AddStringToObject(req, "TableName", live->table)) {
		cJSON_Delete(req);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	rc = pcf_ddb_execute(&answer, live->db, "DescribeKinesisStreamingDestination", req, err);
	cJSON_Delete(req);
	if (pcf_table_feature_missing(rc, err) && cJSON_GetArraySize(wanted) > 0)
		return pcf_error_prefix(err,
		                        "%s: the server does not support Kinesis streaming "
		                        "destinations, which the definition lists",
		                        KEY);
	if (pcf_table_feature_missing(rc, err))
		pcf_error_clear(err); /* none, on a server without them */
	else if (rc < 0)
		return pcf_error_prefix(err, "reading %s", KEY);
	rc = fold(live, current, answer, err);
	cJSON_Delete(answer);
	return rc;
}

static cJSON *request(const char *table, const char *arn, const char *config, const char *precision)
{
	cJSON *req = cJSON_CreateObject(), *conf;
	if (req == NULL || !cJSON_AddStringToObject(req, "TableName", table) ||
	    !cJSON_AddStringToObject(req, "StreamArn", arn))
		goto fail;
	if (config != NULL && precision != NULL &&
	    ((conf = cJSON_AddObjectToObject(req, config)) == NULL ||
	     !cJSON_AddStringToObject(conf, PRECISION, precision)))
		goto fail;
	return req;
fail:
	cJSON_Delete(req);
	return NULL;
}

static int plan_disables(pcf_plan *out, const cJSON *wanted, const cJSON *have, const char *table,
                         pcf_error *err)
{
	const cJSON *h;
	int rc;
	cJSON_ArrayForEach(h, have)
	{
		const char *arn = pcf_table_str(h, "StreamArn");
		if (arn == NULL || pcf_table_find_named(wanted, "StreamArn", arn) != NULL)
			continue;
		rc = pcf_table_managed_step(out, "DisableKinesisStreamingDestination",
		                            request(table, arn, NULL, NULL), err,
		                            "Kinesis destination %s: enabled -> disabled", arn);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int pcf_table_plan_kinesis(pcf_plan *out, const cJSON *want, const cJSON *current,
                           const char *table, pcf_error *err)
{
	const cJSON *wanted = cJSON_GetObjectItemCaseSensitive(want, KEY), *w;
	const cJSON *have = cJSON_GetObjectItemCaseSensitive(current, KEY);
	int rc;

	if (wanted == NULL)
		return 0;
	if ((rc = plan_disables(out, wanted, have, table, err)) < 0)
		return rc;
	cJSON_ArrayForEach(w, wanted)
	{
		const char *arn = pcf_table_str(w, "StreamArn"),
		           *precision = pcf_table_str(w, PRECISION);
		const cJSON *h = pcf_table_find_named(have, "StreamArn", arn);
		const char *had = pcf_table_str(h, PRECISION);
		if (arn == NULL)
			continue;
		if (h == NULL)
			rc = pcf_table_managed_step(
			    out, "EnableKinesisStreamingDestination",
			    request(table, arn, "EnableKinesisStreamingConfiguration", precision),
			    err, "Kinesis destination %s: disabled -> enabled%s%s", arn,
			    precision != NULL ? ", precision " : "",
			    precision != NULL ? precision : "");
		else if (precision != NULL && (had == NULL || strcmp(had, precision) != 0))
			rc = pcf_table_managed_step(
			    out, "UpdateKinesisStreamingDestination",
			    request(table, arn, "UpdateKinesisStreamingConfiguration", precision),
			    err, "Kinesis destination %s: precision %s -> %s", arn,
			    had != NULL ? had : "(none)", precision);
		if (rc < 0)
			return rc;
	}
	return 0;
}
