/*
 * The FAKE multi-region DynamoDB's witness (see fake_regions_witness.h for
 * what it models and why a fake).
 */
#include "fake_regions_witness.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *str(const cJSON *obj, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* The one action of an update list ({"Create": {...}}) and its RegionName. */
static const char *action_of(const cJSON *list, const char **region)
{
	const cJSON *action =
	    cJSON_IsArray(list) && list->child != NULL ? list->child->child : NULL;
	*region = str(action, "RegionName");
	return action != NULL ? action->string : NULL;
}

void fake_witness_advance(fake_witness *w, long long now_ms, long hold_ms)
{
	if (!fake_witness_changing(w) || now_ms - w->since_ms < hold_ms)
		return;
	if (w->next == NULL)
		memset(w, 0, sizeof(*w));
	else
		w->status = w->next;
}

int fake_witness_changing(const fake_witness *w)
{
	return w->region[0] != '\0' && (w->next == NULL || strcmp(w->status, w->next) != 0);
}

void fake_witness_describe(const fake_witness *w, cJSON *table)
{
	cJSON *list, *entry;
	if (w->region[0] == '\0')
		return;
	list = cJSON_AddArrayToObject(table, "GlobalTableWitnesses");
	entry = cJSON_CreateObject();
	cJSON_AddStringToObject(entry, "RegionName", w->region);
	cJSON_AddStringToObject(entry, "WitnessStatus", w->status);
	cJSON_AddItemToArray(list, entry);
}

static int refuse(char *message, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int refuse(char *message, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(message, size, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *or_none(const char *region)
{
	return region != NULL ? region : "(none)";
}

static int check_create(char *message, size_t size, const fake_witness *w, const cJSON *request,
                        const char *home, int has_replicas, const char *region)
{
	const char *replica = NULL;
	const char *verb =
	    action_of(cJSON_GetObjectItemCaseSensitive(request, "ReplicaUpdates"), &replica);
	const char *mode = str(request, "MultiRegionConsistency");

	if (w->region[0] != '\0' || has_replicas || verb == NULL || strcmp(verb, "Create") != 0 ||
	    mode == NULL || strcmp(mode, "STRONG") != 0)
		return refuse(
		    message, size,
		    "A witness (%s) can only be added when creating an MRSC global table: "
		    "with a replica Create and MultiRegionConsistency STRONG",
		    or_none(region));
	if (region == NULL || !strcmp(region, home) || (replica && !strcmp(region, replica)))
		return refuse(message, size,
		              "The witness region %s must differ from the replicas' regions",
		              or_none(region));
	return 0;
}

int fake_witness_check(char *message, size_t size, const fake_witness *w, const cJSON *request,
                       const char *home, int has_replicas)
{
	const cJSON *updates =
	    cJSON_GetObjectItemCaseSensitive(request, "GlobalTableWitnessUpdates");
	const char *region = NULL, *replica = NULL;
	const char *verb = action_of(updates, &region);
	const char *replica_verb =
	    action_of(cJSON_GetObjectItemCaseSensitive(request, "ReplicaUpdates"), &replica);
	int replica_delete = replica_verb != NULL && !strcmp(replica_verb, "Delete");

	if (updates == NULL)
		return w->region[0] != '\0' && replica_delete
		           ? refuse(message, size,
		                    "A replica of an MRSC table with a witness can only be removed "
		                    "together with the witness (%s)",
		                    w->region)
		           : 0;
	if (cJSON_GetArraySize(updates) != 1 || verb == NULL)
		return refuse(message, size, "One witness update per UpdateTable, found %d",
		              cJSON_GetArraySize(updates));
	if (!strcmp(verb, "Create"))
		return check_create(message, size, w, request, home, has_replicas, region);
	if (strcmp(verb, "Delete") != 0)
		return refuse(message, size, "Unknown witness update %s", verb);
	if (region == NULL || strcmp(region, w->region) != 0 || strcmp(w->status, "ACTIVE") != 0)
		return refuse(message, size, "Witness not found (or not ACTIVE) in region %s",
		              or_none(region));
	if (!replica_delete)
		return refuse(message, size,
		              "The witness %s can only be removed together with a replica", region);
	return 0;
}

void fake_witness_apply(fake_witness *w, const cJSON *request, long long now_ms)
{
	const char *region = NULL;
	const char *verb = action_of(
	    cJSON_GetObjectItemCaseSensitive(request, "GlobalTableWitnessUpdates"), &region);

	if (verb == NULL || region == NULL)
		return;
	if (!strcmp(verb, "Create")) {
		snprintf(w->region, sizeof(w->region), "%s", region);
		w->status = "CREATING";
		w->next = "ACTIVE";
	} else {
		w->status = "DELETING";
		w->next = NULL;
	}
	w->since_ms = now_ms;
}
