/*
 * The FAKE multi-region DynamoDB (see fake_regions.h): its state and the
 * answers of each action. One lock guards everything; statuses advance
 * lazily, on the next request after their hold has passed, so nothing
 * runs in the background.
 */
#include "fake_regions.h"
#include "fake_http.h"
#include "fake_regions_witness.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_REGIONS 8
#define ACCOUNT     "123456789012"

typedef struct region_state {
	char name[32];
	int present;
	const char *status;
	const char *next; /* status once the hold is over; NULL: gone */
	long long since_ms;
	cJSON *overrides; /* what Create / Update set: overrides, table class, KMS key */
	int protection, pitr, insights;
	cJSON *tags;
} region_state;

struct pcf_fake_regions {
	pcf_fake_server *server;
	pthread_mutex_t lock;
	pcf_fake_regions_options o;
	region_state regions[MAX_REGIONS];
	int count;
	char consistency[16]; /* MultiRegionConsistency, "" before the first replica */
	fake_witness witness; /* an MRSC table's witness region (fake_regions_witness.c) */
	cJSON *calls;         /* {"region Action": n} */
	int writes;
	int limit_refusals;
};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void send_json(pcf_fake_response *resp, int status, cJSON *body)
{
	static _Thread_local char text[65536];
	char *printed = body != NULL ? cJSON_PrintUnformatted(body) : NULL;
	snprintf(text, sizeof(text), "%s", printed != NULL ? printed : "{}");
	cJSON_free(printed);
	cJSON_Delete(body);
	resp->status = status;
	resp->body = text;
}

static void send_error(pcf_fake_response *resp, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void send_error(pcf_fake_response *resp, const char *type, const char *fmt, ...)
{
	char message[512], full[128];
	cJSON *body = cJSON_CreateObject();
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "com.amazonaws.dynamodb.v20120810#%s", type);
	cJSON_AddStringToObject(body, "__type", full);
	cJSON_AddStringToObject(body, "message", message);
	send_json(resp, 400, body);
}

static region_state *region_of(pcf_fake_regions *f, const char *name, int make)
{
	for (int i = 0; i < f->count; i++)
		if (!strcmp(f->regions[i].name, name))
			return &f->regions[i];
	if (!make || f->count == MAX_REGIONS)
		return NULL;
	region_state *r = &f->regions[f->count++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->overrides = cJSON_CreateObject();
	r->tags = cJSON_CreateArray();
	r->status = r->next = "ACTIVE";
	return r;
}

static int changing(const region_state *r)
{
	return r->present && r->next != NULL && strcmp(r->status, r->next) != 0;
}

static int deleting(const region_state *r)
{
	return r->present && r->next == NULL;
}

/* Ends every hold that has passed. */
static void advance(pcf_fake_regions *f)
{
	long long now = now_ms();
	for (int i = 0; i < f->count; i++) {
		region_state *r = &f->regions[i];
		if (!r->present || (!changing(r) && !deleting(r)) ||
		    now - r->since_ms < f->o.hold_ms)
			continue;
		if (r->next == NULL) {
			r->present = 0;
			r->protection = r->pitr = r->insights = 0;
			cJSON_Delete(r->tags);
			r->tags = cJSON_CreateArray();
			cJSON_Delete(r->overrides);
			r->overrides = cJSON_CreateObject();
		} else {
			r->status = r->next;
		}
	}
	fake_witness_advance(&f->witness, now, f->o.hold_ms);
}

static int any_changing(const pcf_fake_regions *f)
{
	for (int i = 0; i < f->count; i++)
		if (changing(&f->regions[i]) || deleting(&f->regions[i]))
			return 1;
	return fake_witness_changing(&f->witness);
}

/* The home region is regions[0]; any other present one is a replica. */
static int has_replicas(const pcf_fake_regions *f)
{
	for (int i = 1; i < f->count; i++)
		if (f->regions[i].present)
			return 1;
	return 0;
}

static void arn_of(char *buf, size_t size, const pcf_fake_regions *f, const char *region)
{
	snprintf(buf, size, "arn:aws:dynamodb:%s:" ACCOUNT ":table/%s", region, f->o.table);
}

static cJSON *replica_description(const region_state *r)
{
	cJSON *d = cJSON_Duplicate(r->overrides, 1), *cls;
	const char *table_class = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(r->overrides, "TableClassOverride"));
	cJSON_DeleteItemFromObjectCaseSensitive(d, "TableClassOverride");
	cJSON_AddStringToObject(d, "RegionName", r->name);
	cJSON_AddStringToObject(d, "ReplicaStatus", r->status);
	if (!strcmp(r->status, "CREATION_FAILED"))
		cJSON_AddStringToObject(d, "ReplicaStatusDescription",
		                        "the fake's chosen failing region");
	if (table_class != NULL) {
		cls = cJSON_AddObjectToObject(d, "ReplicaTableClassSummary");
		cJSON_AddStringToObject(cls, "TableClass", table_class);
	}
	return d;
}

/* The table as region `seen_from` describes it; the other regions are its replicas. */
static cJSON *table_description(const pcf_fake_regions *f, const region_state *seen_from)
{
	cJSON *t = cJSON_CreateObject(), *list, *o;
	char arn[160];
	int replicas = 0;

	arn_of(arn, sizeof(arn), f, seen_from->name);
	cJSON_AddStringToObject(t, "TableName", f->o.table);
	cJSON_AddStringToObject(t, "TableStatus", any_changing(f) ? "UPDATING" : "ACTIVE");
	cJSON_AddStringToObject(t, "TableArn", arn);
	cJSON_AddItemToObject(t, "AttributeDefinitions",
	                      cJSON_Parse("[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}]"));
	cJSON_AddItemToObject(t, "KeySchema",
	                      cJSON_Parse("[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}]"));
	o = cJSON_AddObjectToObject(t, "BillingModeSummary");
	cJSON_AddStringToObject(o, "BillingMode",
	                        f->o.on_demand ? "PAY_PER_REQUEST" : "PROVISIONED");
	o = cJSON_AddObjectToObject(t, "ProvisionedThroughput");
	cJSON_AddNumberToObject(o, "ReadCapacityUnits", f->o.on_demand ? 0 : 5);
	cJSON_AddNumberToObject(o, "WriteCapacityUnits", f->o.on_demand ? 0 : 5);
	cJSON_AddBoolToObject(t, "DeletionProtectionEnabled", seen_from->protection);
	list = cJSON_CreateArray();
	for (int i = 0; i < f->count; i++) {
		if (&f->regions[i] == seen_from || !f->regions[i].present)
			continue;
		cJSON_AddItemToArray(list, replica_description(&f->regions[i]));
		replicas++;
	}
	if (replicas > 0) {
		cJSON_AddItemToObject(t, "Replicas", list);
		o = cJSON_AddObjectToObject(t, "StreamSpecification");
		cJSON_AddBoolToObject(o, "StreamEnabled", 1);
		cJSON_AddStringToObject(o, "StreamViewType", "NEW_AND_OLD_IMAGES");
		cJSON_AddStringToObject(t, "MultiRegionConsistency",
		                        f->consistency[0] ? f->consistency : "EVENTUAL");
	} else {
		cJSON_Delete(list);
	}
	fake_witness_describe(&f->witness, t);
	return t;
}

/* The region a request was signed for: ".../DATE/REGION/dynamodb/aws4_request". */
static void signed_region(char *out, size_t size, const pcf_fake_request *req)
{
	const char *p = strstr(req->headers, "Credential=");
	out[0] = '\0';
	for (int slashes = 0; p != NULL && slashes < 2; slashes++)
		p = strchr(p, '/') != NULL ? strchr(p, '/') + 1 : NULL;
	if (p != NULL && strchr(p, '/') != NULL)
		snprintf(out, size, "%.*s", (int)(strchr(p, '/') - p), p);
}

static void count_call(pcf_fake_regions *f, const char *region, const char *action)
{
	char key[160];
	cJSON *n;
	snprintf(key, sizeof(key), "%s %s", region, action);
	n = cJSON_GetObjectItemCaseSensitive(f->calls, key);
	if (n == NULL)
		cJSON_AddNumberToObject(f->calls, key, 1);
	else
		cJSON_SetNumberValue(n, n->valuedouble + 1);
	if (strncmp(action, "Describe", 8) != 0 && strncmp(action, "List", 4) != 0)
		f->writes++;
}

/* The table in region, or NULL after answering ResourceNotFoundException. */
static region_state *table_in(pcf_fake_regions *f, const char *region, pcf_fake_response *resp)
{
	region_state *r = region_of(f, region, 0);
	if (r == NULL || !r->present || !strcmp(r->status, "CREATING") ||
	    !strcmp(r->status, "CREATION_FAILED")) {
		send_error(resp, "ResourceNotFoundException",
		           "Requested resource not found: Table: %s not found in %s", f->o.table,
		           region);
		return NULL;
	}
	return r;
}

static void answer_table(pcf_fake_response *resp, const pcf_fake_regions *f,
                         const region_state *here, const char *key)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, key, table_description(f, here));
	send_json(resp, 200, body);
}

static void replica_create(pcf_fake_regions *f, const cJSON *spec, const char *name,
                           const cJSON *request)
{
	region_state *r = region_of(f, name, 1);
	const char *mode = cJSON_GetStringValue(
	    cJSON_GetObjectItemCaseSensitive(request, "MultiRegionConsistency"));
	r->present = 1;
	r->status = "CREATING";
	r->next = f->o.fail_region != NULL && !strcmp(name, f->o.fail_region) ? "CREATION_FAILED"
	                                                                      : "ACTIVE";
	r->since_ms = now_ms();
	cJSON_Delete(r->overrides);
	r->overrides = cJSON_Duplicate(spec, 1);
	cJSON_DeleteItemFromObjectCaseSensitive(r->overrides, "RegionName");
	if (!f->consistency[0])
		snprintf(f->consistency, sizeof(f->consistency), "%s",
		         mode != NULL ? mode : "EVENTUAL");
}

/* One of Create / Update / Delete, checked as the service checks it; 0 or answered. */
static int replica_update(pcf_fake_regions *f, const cJSON *update, const cJSON *request,
                          pcf_fake_response *resp)
{
	const cJSON *spec = update != NULL ? update->child : NULL, *field;
	const char *verb = spec != NULL ? spec->string : "";
	const char *name =
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(spec, "RegionName"));
	region_state *r = name != NULL ? region_of(f, name, 0) : NULL;

	if (name == NULL)
		send_error(resp, "ValidationException", "a replica update needs a RegionName");
	else if (!strcmp(verb, "Create") && r != NULL && r->present)
		send_error(resp, "ValidationException",
		           "Failed to create the new replica of table %s: %s already has one",
		           f->o.table, name);
	else if (!strcmp(verb, "Create"))
		replica_create(f, spec, name, request);
	else if (r == NULL || !r->present || strcmp(r->status, "ACTIVE") != 0)
		send_error(resp, "ValidationException", "Replica not found in region %s", name);
	else if (!strcmp(verb, "Delete") && r->protection)
		send_error(resp, "ValidationException",
		           "Resource cannot be deleted as it is currently protected against "
		           "deletion. Disable deletion protection first.");
	else if (!strcmp(verb, "Delete") || !strcmp(verb, "Update")) {
		r->status = !strcmp(verb, "Delete") ? "DELETING" : "UPDATING";
		r->next = !strcmp(verb, "Delete") ? NULL : "ACTIVE";
		r->since_ms = now_ms();
		cJSON_ArrayForEach(field, spec)
		{
			if (strcmp(field->string, "RegionName") != 0 && !strcmp(verb, "Update")) {
				cJSON_DeleteItemFromObjectCaseSensitive(r->overrides,
				                                        field->string);
				cJSON_AddItemToObject(r->overrides, field->string,
				                      cJSON_Duplicate(field, 1));
			}
		}
	} else
		send_error(resp, "ValidationException", "unknown replica update %s", verb);
	return resp->body != NULL ? -1 : 0;
}

static void update_table(pcf_fake_regions *f, region_state *here, const cJSON *request,
                         pcf_fake_response *resp)
{
	const cJSON *updates = cJSON_GetObjectItemCaseSensitive(request, "ReplicaUpdates");
	const cJSON *protection =
	    cJSON_GetObjectItemCaseSensitive(request, "DeletionProtectionEnabled");
	char message[256];

	if (updates != NULL && any_changing(f)) {
		f->limit_refusals++;
		send_error(resp, "LimitExceededException",
		           "Only one replica update at a time is allowed for table %s; wait "
		           "until every replica is ACTIVE",
		           f->o.table);
		return;
	}
	if (any_changing(f)) {
		send_error(resp, "ResourceInUseException",
		           "Attempt to change a resource which is still in use: table %s is being "
		           "updated",
		           f->o.table);
		return;
	}
	if (updates != NULL && cJSON_GetArraySize(updates) != 1) {
		send_error(resp, "ValidationException",
		           "the fake takes one replica update per call");
		return;
	}
	if (fake_witness_check(message, sizeof(message), &f->witness, request, f->o.home,
	                       has_replicas(f)) < 0) {
		send_error(resp, "ValidationException", "%s", message);
		return;
	}
	if (updates != NULL && replica_update(f, updates->child, request, resp) < 0)
		return;
	fake_witness_apply(&f->witness, request, now_ms());
	if (updates == NULL && !cJSON_IsBool(protection)) {
		send_error(resp, "ValidationException", "the fake does not do this UpdateTable");
		return;
	}
	if (cJSON_IsBool(protection))
		here->protection = cJSON_IsTrue(protection);
	answer_table(resp, f, here, "TableDescription");
}

static void pitr_answer(pcf_fake_response *resp, const region_state *r)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *d = cJSON_AddObjectToObject(body, "ContinuousBackupsDescription");
	cJSON *p = cJSON_AddObjectToObject(d, "PointInTimeRecoveryDescription");
	cJSON_AddStringToObject(d, "ContinuousBackupsStatus", "ENABLED");
	cJSON_AddStringToObject(p, "PointInTimeRecoveryStatus", r->pitr ? "ENABLED" : "DISABLED");
	send_json(resp, 200, body);
}

static void insights_answer(pcf_fake_response *resp, const pcf_fake_regions *f,
                            const region_state *r)
{
	cJSON *body = cJSON_CreateObject();
	cJSON_AddStringToObject(body, "TableName", f->o.table);
	cJSON_AddStringToObject(body, "ContributorInsightsStatus",
	                        r->insights ? "ENABLED" : "DISABLED");
	send_json(resp, 200, body);
}

/* The service refuses a table's ARN through another region's endpoint. */
static int arn_here(const pcf_fake_regions *f, const region_state *r, const cJSON *request,
                    pcf_fake_response *resp)
{
	const char *arn =
	    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(request, "ResourceArn"));
	char want[160];
	arn_of(want, sizeof(want), f, r->name);
	if (arn != NULL && !strcmp(arn, want))
		return 1;
	send_error(resp, "ValidationException", "Invalid ARN %s for the endpoint of region %s",
	           arn != NULL ? arn : "(none)", r->name);
	return 0;
}

static void set_tags(region_state *r, const cJSON *request, int removing)
{
	const cJSON *list =
	    cJSON_GetObjectItemCaseSensitive(request, removing ? "TagKeys" : "Tags");
	const cJSON *t;
	cJSON_ArrayForEach(t, list)
	{
		const char *key =
		    removing ? cJSON_GetStringValue(t)
		             : cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(t, "Key"));
		cJSON *old = r->tags->child, *next;
		for (; old != NULL; old = next) {
			next = old->next;
			if (key != NULL &&
			    !strcmp(
			        cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(old, "Key")),
			        key))
				cJSON_Delete(cJSON_DetachItemViaPointer(r->tags, old));
		}
		if (!removing)
			cJSON_AddItemToArray(r->tags, cJSON_Duplicate(t, 1));
	}
}

static void tags_action(pcf_fake_regions *f, region_state *r, const char *action,
                        const cJSON *request, pcf_fake_response *resp)
{
	cJSON *body = cJSON_CreateObject();
	if (!arn_here(f, r, request, resp)) {
		cJSON_Delete(body);
		return;
	}
	if (!strcmp(action, "ListTagsOfResource"))
		cJSON_AddItemToObject(body, "Tags", cJSON_Duplicate(r->tags, 1));
	else
		set_tags(r, request, !strcmp(action, "UntagResource"));
	send_json(resp, 200, body);
}

static void dispatch(pcf_fake_regions *f, const char *region, const char *action,
                     const cJSON *request, pcf_fake_response *resp)
{
	region_state *r = table_in(f, region, resp);
	const cJSON *spec;

	if (r == NULL)
		return;
	if (!strcmp(action, "DescribeTable")) {
		answer_table(resp, f, r, "Table");
	} else if (!strcmp(action, "UpdateTable")) {
		update_table(f, r, request, resp);
	} else if (!strcmp(action, "DescribeContinuousBackups")) {
		pitr_answer(resp, r);
	} else if (!strcmp(action, "UpdateContinuousBackups")) {
		spec =
		    cJSON_GetObjectItemCaseSensitive(request, "PointInTimeRecoverySpecification");
		r->pitr = cJSON_IsTrue(
		    cJSON_GetObjectItemCaseSensitive(spec, "PointInTimeRecoveryEnabled"));
		pitr_answer(resp, r);
	} else if (!strcmp(action, "DescribeTimeToLive")) {
		send_json(
		    resp, 200,
		    cJSON_Parse("{\"TimeToLiveDescription\":{\"TimeToLiveStatus\":\"DISABLED\"}}"));
	} else if (!strcmp(action, "DescribeContributorInsights")) {
		insights_answer(resp, f, r);
	} else if (!strcmp(action, "UpdateContributorInsights")) {
		spec = cJSON_GetObjectItemCaseSensitive(request, "ContributorInsightsAction");
		r->insights = cJSON_GetStringValue(spec) != NULL &&
		              !strcmp(cJSON_GetStringValue(spec), "ENABLE");
		insights_answer(resp, f, r);
	} else if (!strcmp(action, "ListTagsOfResource") || !strcmp(action, "TagResource") ||
	           !strcmp(action, "UntagResource")) {
		tags_action(f, r, action, request, resp);
	} else {
		send_error(resp, "UnknownOperationException", "the fake does not do %s", action);
	}
}

static void handle(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	pcf_fake_regions *f = payload;
	char action[64], region[32];
	cJSON *body;

	pcf_fake_dynamodb_action(action, sizeof(action), req);
	signed_region(region, sizeof(region), req);
	body = cJSON_ParseWithLength(req->body != NULL ? req->body : "{}",
	                             req->body != NULL ? req->body_len : 2);
	pthread_mutex_lock(&f->lock);
	advance(f);
	count_call(f, region, action);
	dispatch(f, region, action, body, resp);
	pthread_mutex_unlock(&f->lock);
	cJSON_Delete(body);
}

int pcf_fake_regions_start(pcf_fake_regions **out, const pcf_fake_regions_options *options)
{
	pcf_fake_regions *f = calloc(1, sizeof(*f));
	region_state *home;

	*out = NULL;
	if (f == NULL)
		return -1;
	f->o = *options;
	f->calls = cJSON_CreateObject();
	pthread_mutex_init(&f->lock, NULL);
	home = region_of(f, options->home, 1);
	home->present = 1;
	if (pcf_fake_server_start(&f->server, handle, f) < 0) {
		pcf_fake_regions_stop(f);
		return -1;
	}
	*out = f;
	return 0;
}

const char *pcf_fake_regions_url(const pcf_fake_regions *f)
{
	return pcf_fake_server_url(f->server);
}

int pcf_fake_regions_add_replica(pcf_fake_regions *f, const char *region)
{
	region_state *r;
	pthread_mutex_lock(&f->lock);
	r = region_of(f, region, 1);
	if (r != NULL) {
		r->present = 1;
		r->status = r->next = "ACTIVE";
		if (!f->consistency[0])
			snprintf(f->consistency, sizeof(f->consistency), "EVENTUAL");
	}
	pthread_mutex_unlock(&f->lock);
	return r != NULL ? 0 : -1;
}

void pcf_fake_regions_set_protection(pcf_fake_regions *f, const char *region, int on)
{
	region_state *r;
	pthread_mutex_lock(&f->lock);
	if ((r = region_of(f, region, 0)) != NULL)
		r->protection = on;
	pthread_mutex_unlock(&f->lock);
}

cJSON *pcf_fake_regions_region(pcf_fake_regions *f, const char *region)
{
	region_state *r;
	cJSON *out = NULL;

	pthread_mutex_lock(&f->lock);
	advance(f);
	if ((r = region_of(f, region, 0)) != NULL) {
		out = cJSON_CreateObject();
		cJSON_AddBoolToObject(out, "present", r->present);
		cJSON_AddStringToObject(out, "status", r->present ? r->status : "GONE");
		cJSON_AddItemToObject(out, "overrides", cJSON_Duplicate(r->overrides, 1));
		cJSON_AddBoolToObject(out, "protection", r->protection);
		cJSON_AddBoolToObject(out, "pitr", r->pitr);
		cJSON_AddBoolToObject(out, "insights", r->insights);
		cJSON_AddItemToObject(out, "tags", cJSON_Duplicate(r->tags, 1));
	}
	pthread_mutex_unlock(&f->lock);
	return out;
}

int pcf_fake_regions_calls(pcf_fake_regions *f, const char *region, const char *action)
{
	const cJSON *n;
	int total = 0;
	char want[160];

	snprintf(want, sizeof(want), "%s %s", region != NULL ? region : "", action);
	pthread_mutex_lock(&f->lock);
	cJSON_ArrayForEach(n, f->calls)
	{
		const char *space = strchr(n->string, ' ');
		if (region != NULL ? !strcmp(n->string, want)
		                   : space != NULL && !strcmp(space + 1, action))
			total += (int)n->valuedouble;
	}
	pthread_mutex_unlock(&f->lock);
	return total;
}

/* Reads one counter under the lock the server threads update it with. */
static int locked_count(pcf_fake_regions *f, const int *counter)
{
	int n;
	pthread_mutex_lock(&f->lock);
	n = *counter;
	pthread_mutex_unlock(&f->lock);
	return n;
}

int pcf_fake_regions_writes(pcf_fake_regions *f)
{
	return locked_count(f, &f->writes);
}

int pcf_fake_regions_limit_refusals(pcf_fake_regions *f)
{
	return locked_count(f, &f->limit_refusals);
}

void pcf_fake_regions_stop(pcf_fake_regions *f)
{
	if (f == NULL)
		return;
	pcf_fake_server_stop(f->server);
	for (int i = 0; i < f->count; i++) {
		cJSON_Delete(f->regions[i].overrides);
		cJSON_Delete(f->regions[i].tags);
	}
	cJSON_Delete(f->calls);
	pthread_mutex_destroy(&f->lock);
	free(f);
}
