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
 *   throughput_modes.c  OnDemandThroughput and WarmThroughput (table and indexes)
 *   resource_policy.c   ResourcePolicy: read, compare as JSON, put / delete
 *   ignore_changes.c    the envelope's ignore_changes; settling desired against live
 *   key_order.c         the attribute order of multi-attribute index keys; the table's diff
 *   ops.c               sync_state, start, terminate, diff, plan, run_step
 *   flavor.c            the pcf_flavor_dynamodb_table descriptor
 *   items.c             item get / put / delete
 *   export.c            live table -> definition
 *   util.c              cJSON helpers, order-blind equality, the region's client
 *   replicas*.c         global tables: Replicas and MultiRegionConsistency (replicas.h)
 *   managed.h           contributor insights (insights.c), Kinesis destinations
 *                       (kinesis.c), AutoScaling (autoscaling*.c), tied in by managed.c
 */
#ifndef PCF_PARTICLES_DYNAMODB_TABLE_H
#define PCF_PARTICLES_DYNAMODB_TABLE_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <pcf/flavor.h>
#include <pcf/particles.h>

/* HASH (and RANGE) attributes a global index's key may have (multi-attribute keys). */
#define PCF_TABLE_MAX_KEY_ATTRIBUTES 4

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
/* A change's answer (CreateTable, UpdateTable, DeleteTable: a TableDescription) as
 * the engine's next read when it says the table is pending, or with created, when
 * it is ACTIVE and tells all the definition asks about; NULL is ignored. */
void pcf_table_offer_answer(pcf_particle *p, const cJSON *description, int created);

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

/* An aws_resource field the table schema knows (schema.c). */
int pcf_table_known_field(const char *name);
/*
 * 1 when DescribeTable alone shows every setting want (a definition's
 * aws_resource) names, so that a DescribeTable answer is all sync_state
 * would read; 0 when want names anything another call reads (TTL, tags,
 * resource policy, autoscaling, ...) or a key this rule does not know.
 */
int pcf_table_described_alone(const cJSON *want);

/* throughput_modes.c: validate OnDemandThroughput and WarmThroughput. */
void pcf_table_check_throughput_modes(const pcf_particle_def *def, pcf_diags *diags);
/* Adds both settings of description (DescribeTable's "Table") to out, a
 * normalised tree whose BillingMode is set; an on-demand table or index
 * without a cap gets -1 / -1. -1 when out of memory. */
int pcf_table_normalize_throughput_modes(cJSON *out, const cJSON *description);
/* Each defined WarmThroughput member at or below the live one takes the live value. */
void pcf_table_settle_warm(cJSON *want, const cJSON *have);
/* One line per defined WarmThroughput member of want (canonical, not yet
 * settled) below the live one in have, saying that nothing will be done:
 * the service never lowers it. A new string the caller frees; NULL when
 * there is none (or out of memory). */
char *pcf_table_warm_notes(const cJSON *want, const cJSON *have);
/* A GSI Create body with index's OnDemandThroughput and WarmThroughput;
 * consumes body, NULL when out of memory. */
cJSON *pcf_table_with_index_modes(cJSON *body, const cJSON *index);
/* The UpdateTable steps of both settings for the table and each live index
 * not in dropped (names); mode: the billing mode once the plan's billing
 * step ran. */
int pcf_table_plan_throughput_modes(pcf_plan *out, const cJSON *want, const cJSON *have,
                                    const char *mode, const cJSON *dropped, pcf_error *err);

/* resource_policy.c */
void pcf_table_check_policy(const pcf_particle_def *def, pcf_diags *diags);
/* A JSON-string ResourcePolicy of resource replaced by its value; -1 out of memory. */
int pcf_table_canonical_policy(cJSON *resource);
/* A CreateTable request's ResourcePolicy as the JSON text the API takes
 * (null: dropped); -1 out of memory. */
int pcf_table_policy_for_create(cJSON *request);
/* GetResourcePolicy of the table described by desc: *out the document, or
 * a JSON null when the table has none. */
int pcf_table_read_policy(cJSON **out, pcf_ddb *db, const cJSON *desc, pcf_error *err);
/* pcf_table_read_policy when want declares ResourcePolicy (*out NULL when
 * it does not); a server without resource policies has none, which is an
 * error only when want sets one. */
int pcf_table_read_declared_policy(cJSON **out, pcf_ddb *db, const cJSON *want, const cJSON *desc,
                                   pcf_error *err);
/* Adds policy (taken; NULL: nothing) to current as ResourcePolicy; -1 out of memory. */
int pcf_table_attach_policy(cJSON *current, cJSON *policy);
/* The PutResourcePolicy / DeleteResourcePolicy step, when desired declares a change. */
int pcf_table_plan_policy(pcf_plan *out, const cJSON *desired, const cJSON *current,
                          pcf_error *err);

/* ignore_changes.c */
void pcf_table_check_ignore_changes(const pcf_particle_def *def, pcf_diags *diags);
/* The canonical desired tree want settled against the live have: def's
 * ignore_changes paths take the live values, warm throughput its live
 * value above the floor. have NULL: nothing. */
int pcf_table_settle(cJSON *want, const cJSON *have, const pcf_particle_def *def);

/* key_order.c: two key schemas with the same elements and, per KeyType, the
 * same attribute order (multi-attribute keys compose in that order). */
int pcf_table_same_key_schema(const cJSON *a, const cJSON *b);
/* pcf_diff with the table's options, plus an index key listed in another
 * order. want is canonical (and settled). Returns pcf_diff's codes. */
int pcf_table_diff(pcf_drift *out, const cJSON *want, const cJSON *current);

/* Small cJSON helpers shared by the files of this flavor; pcf_table_str is
 * pcf_util_json_str under the flavor's prefix. */
const char *pcf_table_str(const cJSON *obj, const char *key);
/* 1 true, 0 false, -1 absent or not a bool. */
int pcf_table_bool(const cJSON *obj, const char *key);
/* The element of array whose field `key` equals name, or NULL. */
cJSON *pcf_table_find_named(const cJSON *array, const char *key, const char *name);
/* Two lists of scalars or objects equal as sets (order ignored). */
int pcf_table_same_set(const cJSON *a, const cJSON *b);
/* A deep copy of from's field key into to under the same key; 0 also when
 * from has no such field, -1 when out of memory. */
int pcf_table_copy_field(cJSON *to, const cJSON *from, const char *key);

/* The DynamoDB client for a definition's region_name (or the default region). */
int pcf_table_client(pcf_ddb **out, pcf_services *services, const cJSON *resource, pcf_error *err);

#endif
