/*
 * validate, continued: DynamoDB's own limits (name lengths and characters,
 * tags, index counts, capacity units) and the sorted name sets the
 * cross-field checks use.
 *
 * Every check here is linear or n log n in the size of the definition,
 * because definitions may be crafted: duplicates are found by sorting
 * (name, position) pairs, membership by binary search in a sorted set.
 * A count over a limit is reported once and the elements are still
 * checked, so a user sees every problem in one run.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#define TABLE_MAX_TAGS      50
#define TABLE_MAX_GSIS      20
#define TABLE_MAX_LSIS      5
#define TABLE_MAX_NAME      255
#define TABLE_MAX_TAG_KEY   128
#define TABLE_MAX_TAG_VALUE 256

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void pcf_table_names_cleanup(pcf_table_names *set)
{
	free(set->names);
	set->names = NULL;
	set->count = set->capacity = 0;
}

int pcf_table_names_add(pcf_table_names *set, const cJSON *list, const char *field)
{
	const cJSON *item;
	const char *name;

	cJSON_ArrayForEach(item, list)
	{
		if ((name = pcf_table_str(item, field)) == NULL)
			continue;
		if (set->count == set->capacity) {
			size_t capacity = set->capacity ? set->capacity * 2 : 16;
			const char **grown = realloc(set->names, capacity * sizeof(*grown));
			if (grown == NULL)
				return -1;
			set->names = grown;
			set->capacity = capacity;
		}
		set->names[set->count++] = name;
	}
	return 0;
}

void pcf_table_names_sort(pcf_table_names *set)
{
	if (set->count > 1)
		qsort(set->names, set->count, sizeof(*set->names), compare_strings);
}

int pcf_table_names_has(const pcf_table_names *set, const char *name)
{
	return set->count > 0 &&
	       bsearch(&name, set->names, set->count, sizeof(*set->names), compare_strings) != NULL;
}

struct entry {
	const char *name;
	const char *list; /* which list it came from, for its path */
	int index;
	size_t order; /* position in the input: the first of equal names is the original */
};

static int compare_entries(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static size_t collect(struct entry *to, size_t n, const cJSON *resource, const char *list,
                      const char *field)
{
	const cJSON *item;
	int i = 0;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(resource, list))
	{
		const char *name = pcf_table_str(item, field);
		if (name != NULL) {
			to[n].name = name;
			to[n].list = list;
			to[n].index = i;
			to[n].order = n;
			n++;
		}
		i++;
	}
	return n;
}

void pcf_table_report_repeats(const pcf_particle_def *def, pcf_diags *diags,
                              const char *const *lists, const char *field, const char *expected)
{
	const cJSON *resource = def->aws_resource;
	struct entry *entries;
	size_t total = 0, n = 0, i;
	char at[320];

	for (i = 0; lists[i] != NULL; i++)
		total += (size_t)cJSON_GetArraySize(
		    cJSON_GetObjectItemCaseSensitive(resource, lists[i]));
	if (total < 2 || (entries = calloc(total, sizeof(*entries))) == NULL)
		return; /* out of memory: the service still refuses duplicates */
	for (i = 0; lists[i] != NULL; i++)
		n = collect(entries, n, resource, lists[i], field);
	qsort(entries, n, sizeof(*entries), compare_entries);
	for (i = 1; i < n; i++) {
		const struct entry *e = &entries[i], *first = &entries[i - 1];
		if (strcmp(e->name, first->name) != 0)
			continue;
		while (first > entries && strcmp((first - 1)->name, e->name) == 0)
			first--;
		snprintf(at, sizeof(at), "aws_resource.%s[%d].%s", e->list, e->index, field);
		pcf_particle_def_report(def, diags, at, "%s, found %s again (first at %s[%d])",
		                        expected, e->name, first->list, first->index);
	}
	free(entries);
}

/* Characters as the service counts them: UTF-8 code points. */
static size_t characters(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int name_chars_ok(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

void pcf_table_check_name(const pcf_particle_def *def, pcf_diags *diags, const char *path,
                          const char *name)
{
	size_t n;

	if (name == NULL)
		return;
	n = strlen(name);
	if (n >= 3 && n <= TABLE_MAX_NAME && name_chars_ok(name))
		return;
	pcf_particle_def_report(def, diags, path,
	                        "expected a name of 3 to 255 characters from a-z A-Z 0-9 _ . -, "
	                        "found \"%.40s%s\" (%zu characters)",
	                        name, n > 40 ? "..." : "", characters(name));
}

/* Attribute names count UTF-8 bytes. */
static void check_attribute_name(const pcf_particle_def *def, pcf_diags *diags, const char *path,
                                 const char *name)
{
	size_t n = name ? strlen(name) : 1;

	if (n < 1 || n > TABLE_MAX_NAME)
		pcf_particle_def_report(def, diags, path,
		                        "expected a name of 1 to 255 characters, found %zu", n);
}

void pcf_table_check_key_names(const pcf_particle_def *def, pcf_diags *diags, const cJSON *list,
                               const char *path)
{
	const cJSON *item;
	char at[320];
	int i = 0;

	cJSON_ArrayForEach(item, list)
	{
		snprintf(at, sizeof(at), "%s[%d].AttributeName", path, i++);
		check_attribute_name(def, diags, at, pcf_table_str(item, "AttributeName"));
	}
}

void pcf_table_check_capacity(const pcf_particle_def *def, pcf_diags *diags, const cJSON *owner,
                              const char *path)
{
	static const char *const units[] = {"ReadCapacityUnits", "WriteCapacityUnits"};
	const cJSON *pt = cJSON_GetObjectItemCaseSensitive(owner, "ProvisionedThroughput");
	char at[320];

	for (size_t i = 0; cJSON_IsObject(pt) && i < 2; i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(pt, units[i]);
		if (!cJSON_IsNumber(v) || v->valuedouble >= 1)
			continue;
		snprintf(at, sizeof(at), "%s.ProvisionedThroughput.%s", path, units[i]);
		pcf_particle_def_report(def, diags, at,
		                        "expected at least 1 capacity unit, found %.17g",
		                        v->valuedouble);
	}
}

static void check_count(const pcf_particle_def *def, pcf_diags *diags, const char *list, int max,
                        const char *what)
{
	int n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(def->aws_resource, list));
	char at[64];

	if (n <= max)
		return;
	snprintf(at, sizeof(at), "aws_resource.%s", list);
	pcf_particle_def_report(def, diags, at, "expected at most %d %s, found %d", max, what, n);
}

static void check_tags(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *tag;
	const char *text;
	char at[64];
	size_t n;
	int i = 0;

	check_count(def, diags, "Tags", TABLE_MAX_TAGS, "tags");
	cJSON_ArrayForEach(tag, cJSON_GetObjectItemCaseSensitive(def->aws_resource, "Tags"))
	{
		if ((text = pcf_table_str(tag, "Key")) != NULL &&
		    ((n = characters(text)) < 1 || n > TABLE_MAX_TAG_KEY)) {
			snprintf(at, sizeof(at), "aws_resource.Tags[%d].Key", i);
			pcf_particle_def_report(
			    def, diags, at, "expected a tag key of 1 to 128 characters, found %zu",
			    n);
		}
		if ((text = pcf_table_str(tag, "Value")) != NULL &&
		    (n = characters(text)) > TABLE_MAX_TAG_VALUE) {
			snprintf(at, sizeof(at), "aws_resource.Tags[%d].Value", i);
			pcf_particle_def_report(
			    def, diags, at,
			    "expected a tag value of at most 256 characters, found %zu", n);
		}
		i++;
	}
}

void pcf_table_check_limits(const pcf_particle_def *def, pcf_diags *diags)
{
	static const char *const tags[] = {"Tags", NULL};
	static const char *const attributes[] = {"AttributeDefinitions", NULL};
	static const char *const indexes[] = {"GlobalSecondaryIndexes", "LocalSecondaryIndexes",
	                                      NULL};

	pcf_table_check_name(def, diags, "aws_resource.TableName",
	                     pcf_table_str(def->aws_resource, "TableName"));
	pcf_table_check_key_names(
	    def, diags, cJSON_GetObjectItemCaseSensitive(def->aws_resource, "AttributeDefinitions"),
	    "aws_resource.AttributeDefinitions");
	pcf_table_check_capacity(def, diags, def->aws_resource, "aws_resource");
	check_count(def, diags, "GlobalSecondaryIndexes", TABLE_MAX_GSIS,
	            "global secondary indexes");
	check_count(def, diags, "LocalSecondaryIndexes", TABLE_MAX_LSIS, "local secondary indexes");
	check_tags(def, diags);
	pcf_table_report_repeats(def, diags, tags, "Key", "expected unique tag keys");
	pcf_table_report_repeats(def, diags, attributes, "AttributeName",
	                         "expected each attribute defined once");
	pcf_table_report_repeats(def, diags, indexes, "IndexName", "expected unique index names");
}
