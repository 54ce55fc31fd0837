/*
 * The table settings that DynamoDB does not take in CreateTable or
 * UpdateTable but through calls of their own once the table and its
 * indexes are ACTIVE: contributor insights (insights.c), Kinesis streaming
 * destinations (kinesis.c) and autoscaled capacity through Application
 * Auto Scaling (autoscaling.c). managed.c ties them to the flavor's
 * operations, each through one hook.
 *
 * Each is read only when the definition names it, as TTL and PITR are: a
 * setting the definition omits is never drift, and a server without the
 * feature keeps working for definitions that do not use it. Naming one
 * makes the definition its owner: `ContributorInsightsSpecification:
 * {Enabled: false}` disables, `KinesisStreamingDestinations: []` disables
 * every destination, and `AutoScaling: {}` deregisters every scalable
 * target of the table and its indexes.
 */
#ifndef PCF_PARTICLES_DYNAMODB_TABLE_MANAGED_H
#define PCF_PARTICLES_DYNAMODB_TABLE_MANAGED_H

#include "table.h"

#include "particles/services.h"

/* Schemas that schema.c's field tables point to. */
extern const pcf_schema pcf_table_insights_schema;
extern const pcf_schema pcf_table_kinesis_schema; /* one KinesisStreamingDestinations element */
extern const pcf_schema pcf_table_autoscaling_schema;

/* validate: the rules of these settings that a schema cannot express. */
void pcf_table_check_managed(const pcf_particle_def *def, pcf_diags *diags);
void pcf_table_check_kinesis(const pcf_particle_def *def, pcf_diags *diags);
void pcf_table_check_autoscaling(const pcf_particle_def *def, pcf_diags *diags);

/* What one read adds to the live tree, and whether a setting is changing. */
typedef struct pcf_table_live {
	pcf_services *services;
	pcf_ddb *db;
	const char *region; /* region_name, or NULL */
	const char *table;
	int everything; /* export: read every setting, whatever the definition names */
	int pending;    /* out: 1 when a setting is changing (ENABLING, ...) */
	int missing;    /* out: the server lacked the feature last read */
	char why[256];  /* out: what is changing */
} pcf_table_live;

/*
 * Adds to current (the normalised live table) the settings that want (the
 * definition's aws_resource) names, or all of them when live->everything.
 * An action the server does not know is an error naming the setting when
 * the definition turns the setting on; otherwise the setting is off.
 */
int pcf_table_read_managed(pcf_table_live *live, cJSON *current, const cJSON *want, pcf_error *err);
int pcf_table_read_insights(pcf_table_live *live, cJSON *current, const cJSON *want,
                            pcf_error *err);
int pcf_table_read_kinesis(pcf_table_live *live, cJSON *current, const cJSON *want, pcf_error *err);
int pcf_table_read_autoscaling(pcf_table_live *live, cJSON *current, const cJSON *want,
                               pcf_error *err);

/*
 * 1 when a failed call (rc, err) says that the server has no such action
 * or service, rather than that the call went wrong: UnknownOperation, an
 * endpoint without the service (404: dynoxide and dynalite for Application
 * Auto Scaling), or a 5xx page that is no AWS answer (moto for actions it
 * does not implement).
 */
int pcf_table_feature_missing(int rc, const pcf_error *err);

/* export: adds every one of these settings the live table has to resource. */
int pcf_table_export_managed(cJSON *resource, pcf_services *services, pcf_ddb *db,
                             const char *region, pcf_error *err);

/*
 * sync_state's part: adds what the definition names to current and turns
 * a running *state into pending (with its detail) while a setting changes.
 */
int pcf_table_sync_managed(pcf_particle *p, pcf_state *state, cJSON *current, pcf_ddb *db,
                           pcf_error *err);

/* The canonical desired tree with autoscaled capacity adopted from current; caller frees. */
cJSON *pcf_table_wanted(const pcf_particle *p, const cJSON *current);

/* Records that a setting is changing: "what" is added to live->why. */
void pcf_table_live_pending(pcf_table_live *live, const char *what);

/*
 * Capacity that autoscaling manages is the autoscaler's: its live value is
 * copied into want (canonical) so that it is never drift nor re-sent.
 */
void pcf_table_adopt_autoscaled(cJSON *want, const cJSON *current);

/* Drift the structural diff cannot see: a scalable target the definition's AutoScaling drops. */
int pcf_table_drift_managed(pcf_drift *out, const cJSON *want, const cJSON *current);

/*
 * Steps, appended to out. current NULL: right after CreateTable. The
 * deregistrations come before every UpdateTable step (a table leaving
 * autoscaling may be switching to on-demand); everything else after them.
 */
int pcf_table_plan_deregistrations(pcf_plan *out, const cJSON *want, const cJSON *current,
                                   const char *table, pcf_error *err);
int pcf_table_plan_managed(pcf_plan *out, const cJSON *want, const cJSON *current,
                           const char *table, pcf_error *err);
int pcf_table_plan_insights(pcf_plan *out, const cJSON *want, const cJSON *current,
                            const char *table, pcf_error *err);
int pcf_table_plan_kinesis(pcf_plan *out, const cJSON *want, const cJSON *current,
                           const char *table, pcf_error *err);
int pcf_table_plan_autoscaling(pcf_plan *out, const cJSON *want, const cJSON *current,
                               const char *table, pcf_error *err);

/* 1 when action is an Application Auto Scaling call (run by pcf_table_run_autoscaling). */
int pcf_table_is_autoscaling_action(const char *action);
int pcf_table_run_autoscaling(pcf_particle *p, const pcf_step *step, pcf_error *err);

/* Removes from a CreateTable request what CreateTable does not take (per-index insights). */
void pcf_table_strip_managed(cJSON *request);

/* Adds a step, taking request; summary as printf. */
int pcf_table_managed_step(pcf_plan *out, const char *action, cJSON *request, pcf_error *err,
                           const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
