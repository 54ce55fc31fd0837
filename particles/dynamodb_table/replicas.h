/*
 * Global tables: the replica parts of the dynamodb_table flavor (see
 * replicas.c for the design). Internal to the flavor's folder.
 *
 *   replicas.c       schema, validate rules, replica states, live -> definition shape
 *   replicas_read.c  the settings read in each replica's own region
 *   replicas_plan.c  the ReplicaUpdates steps and the per-region setting steps
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
 * replica's overrides against the table, the stream replication needs. */
void pcf_table_check_replicas(const pcf_particle_def *def, pcf_diags *diags);

/*
 * The state the replicas of a DescribeTable "Table" give an ACTIVE table:
 * unavailable when one is CREATION_FAILED, REGION_DISABLED,
 * INACCESSIBLE_ENCRYPTION_CREDENTIALS or REPLICATION_NOT_AUTHORIZED,
 * pending when one is changing, else running. why (may be NULL) names the
 * replica and its status.
 */
pcf_state pcf_table_replicas_state(const cJSON *description, char *why, size_t why_size);

/* The region field of an ARN, into buf ("" when arn has none). */
void pcf_table_arn_region(char *buf, size_t size, const char *arn);

/*
 * Adds Replicas (each with RegionName, ReplicaStatus and the overrides the
 * home region answers) and MultiRegionConsistency to a normalised table
 * out, from its DescribeTable "Table"; nothing when it has no replicas.
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

#endif
