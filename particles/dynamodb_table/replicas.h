/*
 * Global tables: the replica parts of the dynamodb_table flavor (see
 * replicas.c for the design). Internal to the flavor's folder.
 *
 *   replicas.c       schema, validate rules, replica states, live -> definition shape
 *   replicas_read.c  the settings read in each replica's own region
 *   replicas_plan.c  the ReplicaUpdates steps and the per-region setting steps
 *   replicas_witness.c  the witness Region of an MRSC table (GlobalTableWitnesses)
 */
#ifndef PCF_PARTICLES_DYNAMODB_TABLE_REPLICAS_H
#define PCF_PARTICLES_DYNAMODB_TABLE_REPLICAS_H

#include "table.h"

/* The Replicas element schema and the MultiRegionConsistency values, for schema.c. */
extern const pcf_schema pcf_table_replica_schema;
extern const char *const pcf_table_consistency_modes[];

/* 1 when name has the shape of an AWS region name ("eu-west-1"). */
int pcf_table_region_name_ok(const char *name);

/* validate: region names (shape, not the home region, once each), each
 * replica's overrides against the table, the stream replication needs,
 * and the witness rules (pcf_table_check_witnesses). */
void pcf_table_check_replicas(const pcf_particle_def *def, pcf_diags *diags);

/*
 * The state the replicas of a DescribeTable "Table" give an ACTIVE table:
 * unavailable when one is CREATION_FAILED, REGION_DISABLED,
 * INACCESSIBLE_ENCRYPTION_CREDENTIALS or REPLICATION_NOT_AUTHORIZED,
 * pending when one (or the witness) is changing, else running. why (may be
 * NULL) names the replica or witness and its status.
 */
pcf_state pcf_table_replicas_state(const cJSON *description, char *why, size_t why_size);

/* The region field of an ARN, into buf ("" when arn has none). */
void pcf_table_arn_region(char *buf, size_t size, const char *arn);

/*
 * Adds Replicas (each with RegionName, ReplicaStatus and the overrides the
 * home region answers) and MultiRegionConsistency to a normalised table
 * out, from its DescribeTable "Table"; nothing when it has no replicas.
 * GlobalTableWitnesses too, when it has any (pcf_table_witnesses_normalize).
 * 0, or -1 when out of memory.
 */
int pcf_table_replicas_normalize(cJSON *out, const cJSON *description);

/* The canonical desired form's replica part (pcf_table_canonical). */
void pcf_table_replicas_canonical(cJSON *resource);

/* Drops what export leaves out: statuses, ARNs, inherited and default values. */
void pcf_table_replicas_export_clean(cJSON *resource);

/*
 * Reads, for each ACTIVE replica of the normalised current, the settings
 * only its own region holds, with a client for that region:
 * DeletionProtectionEnabled and ReplicaArn always, point-in-time recovery,
 * contributor insights and tags when want's replica names them. want NULL
 * (export) reads everything and skips what a server does not support;
 * want without Replicas reads nothing.
 */
int pcf_table_replicas_read(cJSON *current, const cJSON *want, pcf_services *services,
                            pcf_error *err);

/*
 * The replica steps (after the table's own UpdateTable steps): replica
 * deletes, creates and updates through UpdateTable ReplicaUpdates, one per
 * call, then the settings each replica's region holds. Nothing when want
 * has no Replicas. A delete of a replica with deletion protection is
 * refused (PCF_EREFUSED) here, so that plan says so.
 */
int pcf_table_plan_replicas(pcf_plan *out, const cJSON *want, const cJSON *have, pcf_error *err);

/*
 * The client and request a step runs with: for a step planned for a
 * replica's region, that region's client and the inner request; otherwise
 * the particle's own client and step->request.
 */
int pcf_table_step_target(pcf_ddb **db, const cJSON **request, pcf_particle *p,
                          const pcf_step *step, pcf_error *err);

/* The GlobalTableWitnesses element schema, for schema.c. */
extern const pcf_schema pcf_table_witness_schema;

/* validate: at most one witness, only with MultiRegionConsistency STRONG
 * and exactly one replica, in a region that is neither the home nor a
 * replica's, of the same MRSC Region set as they (when pcf knows the set). */
void pcf_table_check_witnesses(const pcf_particle_def *def, pcf_diags *diags);

/* Pending (why: "witness us-west-2 is CREATING") when a witness of the
 * DescribeTable "Table" is CREATING or DELETING, else running. */
pcf_state pcf_table_witness_state(const cJSON *description, char *why, size_t why_size);

/* Adds GlobalTableWitnesses ([{RegionName, WitnessStatus}]) to a normalised
 * table out when description has any. 0, or -1 when out of memory. */
int pcf_table_witnesses_normalize(cJSON *out, const cJSON *description);

/* Drops what export leaves out of the witnesses (their status). */
void pcf_table_witnesses_export_clean(cJSON *resource);

/* The witness changes a plan carries, each riding on a replica step: the
 * region to create with the first replica Create, to delete with the first
 * replica Delete; NULL: none. Regions point into the want / have trees. */
typedef struct pcf_table_witness_steps {
	const char *create;
	const char *remove;
} pcf_table_witness_steps;

/*
 * The witness changes from want to have. A definition without
 * GlobalTableWitnesses changes none. What DynamoDB cannot do is refused
 * (PCF_EREFUSED) with what to do instead: a witness added to a table that
 * already has replicas, moved to another region, or removed without a
 * replica; and a replica removed without the table's witness.
 */
int pcf_table_plan_witness(pcf_table_witness_steps *out, const cJSON *want, const cJSON *have,
                           pcf_error *err);

/* Adds GlobalTableWitnessUpdates: [{verb: {RegionName: region}}] to an
 * UpdateTable request; region NULL adds nothing. request is freed (and
 * NULL returned) when out of memory; NULL passes through. */
cJSON *pcf_table_with_witness_update(cJSON *request, const char *verb, const char *region);

#endif
