/*
 * The dynamodb_table flavor, internal interface between its files.
 *
 * The flavor works on two trees of the same shape: the definition's
 * aws_resource (canonicalised so that equivalent spellings compare equal)
 * and the live table normalised from DescribeTable, DescribeTimeToLive,
 * DescribeContinuousBackups and ListTagsOfResource into that CreateTable
 * shape. The diff and the planner only ever compare those two trees, so the
 * server's own fields (timestamps, sizes, ARNs, summaries) never show as
 * drift.
 *
 *   schema.c            validate: field types, enums and the rules DynamoDB enforces
 *   limits.c            validate: DynamoDB's limits (names, counts, units), sorted name sets
 *   status.c            TableStatus / IndexStatus -> pcf_state
 *   normalize.c         DescribeTable (+ TTL, backups, tags) -> definition shape;
 *                       the canonical desired tree; the diff options
 *   planner.c           desired vs current -> ordered UpdateTable steps
 *   planner_settings.c  the TTL, PITR and tag steps
 *   ops.c               sync_state, start, terminate, diff, plan, run_step
 *   flavor.c            the pcf_flavor_dynamodb_table descriptor
 *   items.c             item get / put / delete
 *   export.c            live table -> definition
 *   util.c              cJSON helpers, order-blind equality, the region's client
 */
#ifndef PCF_PARTICLES_DYNAMODB_TABLE_H
#define PCF_PARTICLES_DYNAMODB_TABLE_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <pcf/flavor.h>
#include <pcf/particles.h>

/* The operations table (ops.c) the descriptor (flavor.c) points to. */
extern const pcf_flavor_ops pcf_table_ops;

/* validate op; only reads def. */
void pcf_table_validate(const pcf_particle_def *def, pcf_diags *diags);
/* normalize op: scalars to text where the schema wants strings. */
int pcf_table_normalize_definition(pcf_particle_def *def, pcf_error *err);

/* A sorted set of borrowed names, for membership tests in O(log n) (limits.c). */
typedef struct pcf_table_names {
	const char **names;
	size_t count;
	size_t capacity;
} pcf_table_names;

/* Adds the string `field` of every element of list; -1 when out of memory. */
int pcf_table_names_add(pcf_table_names *set, const cJSON *list, const char *field);
/* Call once after the adds, before pcf_table_names_has. */
void pcf_table_names_sort(pcf_table_names *set);
int pcf_table_names_has(const pcf_table_names *set, const char *name);
void pcf_table_names_cleanup(pcf_table_names *set);

/*
 * Reports each element of the NULL-terminated lists (of def's aws_resource)
 * whose string `field` repeats an earlier one, at that element: "<expected>,
 * found NAME again (first at List[i])". Sorts, so n log n.
 */
void pcf_table_report_repeats(const pcf_particle_def *def, pcf_diags *diags,
                              const char *const *lists, const char *field, const char *expected);
/* A table or index name: 3 to 255 characters of [a-zA-Z0-9_.-]. name NULL: nothing. */
void pcf_table_check_name(const pcf_particle_def *def, pcf_diags *diags, const char *path,
                          const char *name);
/* Every AttributeName in list (1 to 255 bytes), reported at path[i].AttributeName. */
void pcf_table_check_key_names(const pcf_particle_def *def, pcf_diags *diags, const cJSON *list,
                               const char *path);
/* ProvisionedThroughput units of owner (at path) of at least 1. */
void pcf_table_check_capacity(const pcf_particle_def *def, pcf_diags *diags, const cJSON *owner,
                              const char *path);
/* The table-wide limits: name, tags, index counts, capacity, unique names. */
void pcf_table_check_limits(const pcf_particle_def *def, pcf_diags *diags);

/*
 * Maps a DescribeTable "Table" object to a state, as pcf_ddb_table_status
 * does (NULL is MISSING). When why is not NULL it receives what is pending
 * or unavailable ("table t is CREATING", "index by_x is UPDATING"), or ""
 * when running.
 */
pcf_state pcf_table_state(const cJSON *description, char *why, size_t why_size);

/*
 * The live table in the definition's shape. description is DescribeTable's
 * "Table"; ttl the "TimeToLiveDescription", backups the
 * "ContinuousBackupsDescription", tags the tag list: each may be NULL (not
 * read) and then leaves its field out. The server's identity fields
 * (TableArn, TableId, TableStatus, LatestStreamArn, ...) are kept at the top
 * level for lookups; the diff ignores them. Returns a new tree, NULL when
 * out of memory.
 */
cJSON *pcf_table_normalize(const cJSON *description, const cJSON *ttl, const cJSON *backups,
                           const cJSON *tags);

/* Top-level server fields that pcf_table_normalize keeps and export drops. */
extern const char *const pcf_table_server_fields[];

/*
 * The definition's aws_resource in canonical form: region_name dropped,
 * BillingMode made explicit when throughput implies it, throughput dropped
 * under PAY_PER_REQUEST, fields that only mean something when a feature is
 * enabled dropped when it is not. Returns a new tree or NULL.
 */
cJSON *pcf_table_canonical(const cJSON *desired);

/* Options for pcf_diff between a canonical desired tree and a normalised one. */
extern const pcf_diff_options pcf_table_diff_options;

/*
 * The full drift: pcf_diff, plus the elements of GlobalSecondaryIndexes
 * and Tags that the live table has and the definition does not list (the
 * definition owns those lists once it names them). desired is canonical.
 */
int pcf_table_drift(pcf_drift *out, const cJSON *desired, const cJSON *current, pcf_error *err);

/*
 * The steps that bring current (normalised) to desired (canonical), in the
 * order DynamoDB needs them. current NULL: the steps that follow
 * CreateTable (TTL, point-in-time recovery). A change DynamoDB cannot make
 * in place yields a single DeleteTable step flagged
 * PCF_STEP_REPLACE | PCF_STEP_DESTRUCTIVE and nothing else.
 */
int pcf_table_plan(pcf_plan *out, const cJSON *desired, const cJSON *current, pcf_error *err);

/*
 * The steps of pcf_table_plan that never block UpdateTable: TTL,
 * point-in-time recovery, tags (in that order). current may be NULL (right
 * after CreateTable, when only TTL and PITR need a call of their own).
 */
int pcf_table_plan_settings(pcf_plan *out, const cJSON *desired, const cJSON *current,
                            const char *table, pcf_error *err);

/* Small cJSON helpers shared by the files of this flavor; pcf_table_str is
 * pcf_util_json_str under the flavor's prefix. */
const char *pcf_table_str(const cJSON *obj, const char *key);
/* 1 true, 0 false, -1 absent or not a bool. */
int pcf_table_bool(const cJSON *obj, const char *key);
/* The element of array whose field `key` equals name, or NULL. */
cJSON *pcf_table_find_named(const cJSON *array, const char *key, const char *name);
/* Two lists of scalars or objects equal as sets (order ignored). */
int pcf_table_same_set(const cJSON *a, const cJSON *b);

/* The DynamoDB client for a definition's region_name (or the default region). */
int pcf_table_client(pcf_ddb **out, pcf_services *services, const cJSON *resource, pcf_error *err);

#endif
