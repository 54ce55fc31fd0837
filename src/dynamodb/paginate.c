/*
 * Pagination: Query, Scan, ListTables and ListTagsOfResource answer one
 * page and say where the next one starts (LastEvaluatedKey,
 * LastEvaluatedTableName, NextToken). A pager keeps a private copy of the
 * request and moves that marker into it after every page; the all-pages
 * calls drive a pager to the end and merge the lists and counts.
 *
 * Limit stays what the API says it is: the size of one page.
 */
#include "ddb_internal.h"

#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

static const ddb_page_keys page_keys[] = {
    {"Query", "LastEvaluatedKey", "ExclusiveStartKey", "Items"},
    {"Scan", "LastEvaluatedKey", "ExclusiveStartKey", "Items"},
    {"ListTables", "LastEvaluatedTableName", "ExclusiveStartTableName", "TableNames"},
    {"ListTagsOfResource", "NextToken", "NextToken", "Tags"},
};

struct pcf_ddb_pager {
	pcf_ddb *db;
	const ddb_page_keys *keys;
	cJSON *request;
	int done;
};

const ddb_page_keys *ddb_page_keys_find(const char *action)
{
	for (size_t i = 0; action && i < sizeof(page_keys) / sizeof(page_keys[0]); i++)
		if (strcmp(page_keys[i].action, action) == 0)
			return &page_keys[i];
	return NULL;
}

int ddb_page_advance(cJSON *request, const cJSON *page, const ddb_page_keys *keys, pcf_error *err)
{
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(page, keys->next_in_response);
	cJSON *copy;
	/* An empty LastEvaluatedKey is what some servers send on the last page. */
	if (!next || cJSON_IsNull(next) || (cJSON_IsObject(next) && !next->child) ||
	    (cJSON_IsString(next) && !*next->valuestring))
		return 0;
	if (!(copy = cJSON_Duplicate(next, 1)))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_DeleteItemFromObjectCaseSensitive(request, keys->start_in_request);
	if (!cJSON_AddItemToObject(request, keys->start_in_request, copy)) {
		cJSON_Delete(copy);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	return 1;
}

static int add_count(cJSON *total, const cJSON *page, const char *name)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(page, name);
	cJSON *sum = cJSON_GetObjectItemCaseSensitive(total, name);
	if (!cJSON_IsNumber(n))
		return 0;
	if (!sum)
		return cJSON_AddNumberToObject(total, name, n->valuedouble) ? 0 : PCF_ENOMEM;
	cJSON_SetNumberValue(sum, sum->valuedouble + n->valuedouble);
	return 0;
}

/* Collects every page's ConsumedCapacity (an object, or a list) into one array. */
static int add_capacity(cJSON *total, const cJSON *page)
{
	const cJSON *cap = cJSON_GetObjectItemCaseSensitive(page, "ConsumedCapacity");
	cJSON *all = cJSON_GetObjectItemCaseSensitive(total, "ConsumedCapacity");
	const cJSON *el;
	if (!cap)
		return 0;
	if (!all && !(all = cJSON_AddArrayToObject(total, "ConsumedCapacity")))
		return PCF_ENOMEM;
	if (!cJSON_IsArray(cap))
		return cJSON_AddItemToArray(all, cJSON_Duplicate(cap, 1)) ? 0 : PCF_ENOMEM;
	cJSON_ArrayForEach(el, cap)
	{
		if (!cJSON_AddItemToArray(all, cJSON_Duplicate(el, 1)))
			return PCF_ENOMEM;
	}
	return 0;
}

int ddb_page_accumulate(cJSON *total, const cJSON *page, const ddb_page_keys *keys, pcf_error *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(page, keys->list_field);
	cJSON *all = cJSON_GetObjectItemCaseSensitive(total, keys->list_field);
	const cJSON *el;
	if (list && !cJSON_IsArray(list))
		return pcf_error_set(err, PCF_EBADRESPONSE, "%s: %s is not a list", keys->action,
		                     keys->list_field);
	if (!all && !(all = cJSON_AddArrayToObject(total, keys->list_field)))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	cJSON_ArrayForEach(el, list)
	{
		if (!cJSON_AddItemToArray(all, cJSON_Duplicate(el, 1)))
			return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	if (strcmp(keys->list_field, "Items") == 0 &&
	    (add_count(total, page, "Count") < 0 || add_count(total, page, "ScannedCount") < 0 ||
	     add_capacity(total, page) < 0))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	return 0;
}

int pcf_ddb_pager_new(pcf_ddb_pager **out, pcf_ddb *db, const char *action, const cJSON *request,
                      pcf_error *err)
{
	const ddb_page_keys *keys = ddb_page_keys_find(action);
	pcf_ddb_pager *p;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if (!db || !keys)
		return pcf_error_set(err, PCF_EINVAL, "%s cannot be paged",
		                     action ? action : "NULL");
	if (request && !cJSON_IsObject(request))
		return pcf_error_set(err, PCF_EINVAL, "%s: the request must be a JSON object",
		                     action);
	if (!(p = calloc(1, sizeof(*p))))
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	p->request = request ? cJSON_Duplicate(request, 1) : cJSON_CreateObject();
	if (!p->request) {
		free(p);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	p->db = db;
	p->keys = keys;
	*out = p;
	return 0;
}

int pcf_ddb_pager_next(cJSON **page, pcf_ddb_pager *pager, pcf_error *err)
{
	int rc;
	if (!page || !pager)
		return pcf_error_set(err, PCF_EINVAL, "page and pager are required");
	*page = NULL;
	if (pager->done)
		return 0;
	rc = ddb_call(page, pager->db, pager->keys->action, pager->request, err);
	if (rc < 0)
		return rc;
	rc = ddb_page_advance(pager->request, *page, pager->keys, err);
	if (rc < 0) {
		cJSON_Delete(*page);
		*page = NULL;
		return rc;
	}
	pager->done = (rc == 0);
	return 0;
}

void pcf_ddb_pager_free(pcf_ddb_pager *pager)
{
	if (!pager)
		return;
	cJSON_Delete(pager->request);
	free(pager);
}

int pcf_ddb_paginate_all(cJSON **out, pcf_ddb *db, const char *action, const cJSON *request,
                         pcf_error *err)
{
	pcf_ddb_pager *pager = NULL;
	cJSON *total = NULL, *page = NULL;
	int rc;
	if (!out)
		return pcf_error_set(err, PCF_EINVAL, "out is NULL");
	*out = NULL;
	if ((rc = pcf_ddb_pager_new(&pager, db, action, request, err)) < 0)
		return rc;
	if (!(total = cJSON_CreateObject())) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	/* The list is there even when no page had one. */
	if (!cJSON_AddArrayToObject(total, pager->keys->list_field)) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	while ((rc = pcf_ddb_pager_next(&page, pager, err)) == 0 && page) {
		rc = ddb_page_accumulate(total, page, pager->keys, err);
		cJSON_Delete(page);
		page = NULL;
		if (rc < 0)
			goto out;
	}
	if (rc == 0) {
		*out = total;
		total = NULL;
	}
out:
	cJSON_Delete(total);
	pcf_ddb_pager_free(pager);
	return rc;
}

static int items_request(const char *action, const cJSON *request, pcf_error *err)
{
	if (!cJSON_IsObject(request) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(request, "TableName")))
		return pcf_error_set(err, PCF_EINVAL, "%s needs a request with a TableName",
		                     action);
	return 0;
}

int pcf_ddb_query(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err)
{
	int rc = items_request("Query", request, err);
	if (out)
		*out = NULL;
	return rc < 0 ? rc : pcf_ddb_paginate_all(out, db, "Query", request, err);
}

int pcf_ddb_scan(cJSON **out, pcf_ddb *db, const cJSON *request, pcf_error *err)
{
	int rc = items_request("Scan", request, err);
	if (out)
		*out = NULL;
	return rc < 0 ? rc : pcf_ddb_paginate_all(out, db, "Scan", request, err);
}
