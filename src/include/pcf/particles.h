/*
 * The built-in flavors and the services they share.
 *
 * pcf_services holds one DynamoDB client per region, created on first use
 * from a base set of transport options (a particle's `region_name` picks
 * its region; otherwise the default region). It is what the CLI passes to
 * the engine as options.services. Thread-safe.
 */
#ifndef PCF_PARTICLES_H
#define PCF_PARTICLES_H

#include <stddef.h>

#include <pcf/export.h>
#include <pcf/dynamodb.h>
#include <pcf/flavor.h>

#ifdef __cplusplus
extern "C" {
#endif

PCF_EXTERN extern const pcf_flavor pcf_flavor_dynamodb_table;
PCF_EXTERN extern const pcf_flavor pcf_flavor_dynamodb_config_store;

/* Every built-in flavor; *count receives how many. The array is static. */
PCF_EXTERN const pcf_flavor *const *pcf_particles_flavors(size_t *count);

/*
 * The resource_name op of both DynamoDB flavors: "table T in region R",
 * NULL without a TableName. R is region_name, else the default region of
 * services (a pcf_services: --region, AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's); "in the run's region" when services is NULL or names none.
 * The endpoint is the run's, the same for every particle. Caller frees.
 */
PCF_EXTERN char *pcf_particles_table_resource_name(const pcf_particle_def *def, void *services);

typedef struct pcf_services pcf_services;

/* base is copied (its strings too); NULL means defaults. Free with pcf_services_free. */
PCF_EXTERN int pcf_services_new(pcf_services **out, const pcf_aws_options *base, pcf_error *err);
PCF_EXTERN void pcf_services_free(pcf_services *services);

/* The client for region (NULL: the default region); *out is owned by
 * services: borrowed until pcf_services_free, never freed by the caller. */
PCF_EXTERN int pcf_services_ddb(pcf_ddb **out, pcf_services *services, const char *region,
                                pcf_error *err);

/*
 * Item operations on the table a particle names (aws_resource.TableName,
 * in its region_name or the default region). Keys and items are given and
 * returned either as plain JSON ({"id":"a1","n":3}) or as DynamoDB JSON
 * ({"id":{"S":"a1"},"n":{"N":"3"}}).
 */
typedef enum pcf_item_format {
	PCF_ITEM_AUTO, /* input only: DynamoDB JSON when every top-level value is one
	                * attribute value ({"S":..}, {"N":..}, {"M":..}, ...), else plain */
	PCF_ITEM_PLAIN,
	PCF_ITEM_DYNAMODB
} pcf_item_format;

/*
 * Reads the item with this key. *out receives a new tree in `output` format
 * (PCF_ITEM_AUTO there means plain); the caller frees it with cJSON_Delete.
 * No such item: PCF_ENOTFOUND and *out NULL. def is borrowed.
 */
PCF_EXTERN int pcf_table_item_get(cJSON **out, pcf_services *services, const pcf_particle_def *def,
                                  const cJSON *key, pcf_item_format input, pcf_item_format output,
                                  pcf_error *err);

/* Writes item (replacing any item with the same key); item is borrowed. */
PCF_EXTERN int pcf_table_item_put(pcf_services *services, const pcf_particle_def *def,
                                  const cJSON *item, pcf_item_format input, pcf_error *err);

/*
 * Deletes the item with this key. old (may be NULL) receives the deleted
 * item in `output` format, or NULL when there was none; caller frees.
 * Deleting a missing item is not an error.
 */
PCF_EXTERN int pcf_table_item_delete(cJSON **old, pcf_services *services,
                                     const pcf_particle_def *def, const cJSON *key,
                                     pcf_item_format input, pcf_item_format output, pcf_error *err);

/*
 * Reads a live table (DescribeTable, and where the server supports them
 * DescribeTimeToLive, DescribeContinuousBackups, ListTagsOfResource) and
 * builds a particle definition that reproduces it:
 * {"pcf_name": table, "flavor": "dynamodb_table", "desired_state": "running",
 *  "aws_resource": {CreateTable shape, plus TimeToLiveSpecification,
 *  PointInTimeRecoverySpecification and region_name when region is set}}.
 * Server defaults and disabled features are left out, so applying the
 * export to a new name yields an identical table. region may be NULL (the
 * default region). *out is new; the caller frees it with cJSON_Delete.
 */
PCF_EXTERN int pcf_table_export(cJSON **out, pcf_services *services, const char *table,
                                const char *region, pcf_error *err);

#ifdef __cplusplus
}
#endif
#endif
