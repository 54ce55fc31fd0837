/*
 * ResourcePolicy: the table's resource-based policy document.
 *
 * A definition gives the document as a YAML mapping or as a JSON string;
 * both become the same JSON value (pcf_table_canonical_policy), and the
 * live document is parsed too, so two documents compare as JSON values:
 * members in any order, the same numbers however written. A definition
 * that says `ResourcePolicy: null` wants no policy; one without the key
 * leaves the policy to whoever manages it, and pcf then never reads it.
 *
 * CreateTable carries the document (as the JSON text the API takes). On an
 * existing table a change is one PutResourcePolicy and a removal one
 * DeleteResourcePolicy, both after every UpdateTable step (the planner's
 * settings come last). GetResourcePolicy reads it; PolicyNotFoundException
 * means none.
 */
#include "table.h"

#include <string.h>

static const cJSON *get(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

/* A JSON text parsed on its own (no global error pointer); NULL when it is
 * not one JSON value, trailing blanks aside. */
static cJSON *parse(const char *text)
{
	size_t len = strlen(text);
	const char *end = NULL;
	cJSON *v = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (v != NULL && end != NULL && end[strspn(end, " \t\r\n")] != '\0') {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

void pcf_table_check_policy(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *p = get(def->aws_resource, "ResourcePolicy");
	cJSON *parsed;

	if (p == NULL || cJSON_IsNull(p) || cJSON_IsObject(p))
		return;
	if (!cJSON_IsString(p)) {
		pcf_particle_def_report(def, diags, "aws_resource.ResourcePolicy",
		                        "expected a policy document (a mapping or a JSON string), "
		                        "or null for none, found another kind of value");
		return;
	}
	parsed = parse(p->valuestring);
	if (!cJSON_IsObject(parsed))
		pcf_particle_def_report(def, diags, "aws_resource.ResourcePolicy",
		                        "expected a policy document as a JSON object, found %s",
		                        parsed == NULL ? "text that is not JSON"
		                                       : "JSON that is not an object");
	cJSON_Delete(parsed);
}

int pcf_table_canonical_policy(cJSON *resource)
{
	cJSON *p = cJSON_GetObjectItemCaseSensitive(resource, "ResourcePolicy"), *parsed;
	if (!cJSON_IsString(p))
		return 0;
	parsed = parse(p->valuestring);
	if (parsed == NULL) /* refused by validate; kept as text, it can never match */
		return 0;
	/* ...InObject, unlike ...ViaPointer, gives the new item the member's name. */
	if (!cJSON_ReplaceItemInObjectCaseSensitive(resource, "ResourcePolicy", parsed)) {
		cJSON_Delete(parsed);
		return -1;
	}
	return 0;
}

int pcf_table_policy_for_create(cJSON *request)
{
	cJSON *p = cJSON_GetObjectItemCaseSensitive(request, "ResourcePolicy"), *text;
	char *printed;

	if (p == NULL || cJSON_IsString(p))
		return 0;
	if (!cJSON_IsObject(p)) {
		cJSON_DeleteItemFromObjectCaseSensitive(request, "ResourcePolicy");
		return 0;
	}
	if ((printed = cJSON_PrintUnformatted(p)) == NULL)
		return -1;
	text = cJSON_CreateString(printed);
	cJSON_free(printed);
	if (text == NULL ||
	    !cJSON_ReplaceItemInObjectCaseSensitive(request, "ResourcePolicy", text)) {
		cJSON_Delete(text);
		return -1;
	}
	return 0;
}

int pcf_table_read_policy(cJSON **out, pcf_ddb *db, const cJSON *desc, pcf_error *err)
{
	const char *arn = pcf_table_str(desc, "TableArn");
	cJSON *req = cJSON_CreateObject(), *answer = NULL;
	int rc;

	*out = NULL;
	if (arn == NULL) {
		cJSON_Delete(req);
		return pcf_error_set(err, PCF_EBADRESPONSE, "DescribeTable answered no TableArn");
	}
	if (req == NULL || !cJSON_AddStringToObject(req, "ResourceArn", arn)) {
		cJSON_Delete(req);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	rc = pcf_ddb_execute(&answer, db, "GetResourcePolicy", req, err);
	cJSON_Delete(req);
	if (rc == PCF_EPOLICY_NOT_FOUND) {
		pcf_error_clear(err);
		rc = 0;
		*out = cJSON_CreateNull();
	} else if (rc == 0) {
		const char *text = pcf_table_str(answer, "Policy");
		*out = text != NULL ? parse(text) : NULL;
		if (*out == NULL)
			rc = pcf_error_set(err, PCF_EBADRESPONSE,
			                   "GetResourcePolicy answered no policy document that is "
			                   "JSON");
	}
	cJSON_Delete(answer);
	if (rc == 0 && *out == NULL)
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return rc;
}

int pcf_table_read_declared_policy(cJSON **out, pcf_ddb *db, const cJSON *want, const cJSON *desc,
                                   pcf_error *err)
{
	const cJSON *p = get(want, "ResourcePolicy");
	int rc;

	*out = NULL;
	if (p == NULL)
		return 0;
	rc = pcf_table_read_policy(out, db, desc, err);
	if (rc != PCF_EUNKNOWN_OPERATION)
		return rc;
	if (!cJSON_IsNull(p)) {
		pcf_error_prefix(
		    err, "the server does not support resource policies "
		         "(GetResourcePolicy), which the definition sets in ResourcePolicy");
		return rc;
	}
	/* No policy asked for, on a server that has none. */
	pcf_error_clear(err);
	*out = cJSON_CreateNull();
	return *out != NULL ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
}

int pcf_table_attach_policy(cJSON *current, cJSON *policy)
{
	if (policy == NULL || current == NULL) {
		cJSON_Delete(policy);
		return 0;
	}
	if (!cJSON_AddItemToObject(current, "ResourcePolicy", policy)) {
		cJSON_Delete(policy);
		return -1;
	}
	return 0;
}

/* The document as one line for a summary, cut to fit. */
static void policy_text(char *buf, size_t size, const cJSON *p)
{
	char *printed = p != NULL && !cJSON_IsNull(p) ? cJSON_PrintUnformatted(p) : NULL;
	if (printed == NULL) {
		snprintf(buf, size, "none");
		return;
	}
	if (strlen(printed) >= size && size > 4)
		snprintf(buf, size, "%.*s...", (int)(size - 4), printed);
	else
		snprintf(buf, size, "%s", printed);
	cJSON_free(printed);
}

static int policy_step(pcf_plan *out, const char *arn, const cJSON *want, const cJSON *have,
                       pcf_error *err)
{
	const char *action = cJSON_IsNull(want) ? "DeleteResourcePolicy" : "PutResourcePolicy";
	cJSON *req = cJSON_CreateObject();
	char *printed = NULL;
	char from[200], to[200];
	int ok = req != NULL && cJSON_AddStringToObject(req, "ResourceArn", arn) != NULL;

	if (ok && !cJSON_IsNull(want)) {
		printed = cJSON_PrintUnformatted(want);
		ok = printed != NULL && cJSON_AddStringToObject(req, "Policy", printed) != NULL;
		cJSON_free(printed);
	}
	policy_text(from, sizeof(from), have);
	policy_text(to, sizeof(to), want);
	if (!ok ||
	    pcf_plan_add_take(out, action, req, 0, "ResourcePolicy %s -> %s", from, to) < 0) {
		if (!ok)
			cJSON_Delete(req);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory planning %s", action);
	}
	return 0;
}

int pcf_table_plan_policy(pcf_plan *out, const cJSON *desired, const cJSON *current, pcf_error *err)
{
	const cJSON *want = get(desired, "ResourcePolicy");
	const cJSON *have = get(current, "ResourcePolicy");
	const char *arn = pcf_table_str(current, "TableArn");

	if (want == NULL || pcf_table_same_set(want, have) ||
	    (cJSON_IsNull(want) && (have == NULL || cJSON_IsNull(have))))
		return 0;
	if (arn == NULL)
		return pcf_error_set(
		    err, PCF_EBADRESPONSE,
		    "the table description has no TableArn for its resource policy");
	return policy_step(out, arn, want, have, err);
}
