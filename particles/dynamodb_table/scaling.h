/*
 * Shared by autoscaling.c (schema, checks, read, adoption) and
 * autoscaling_plan.c (steps and running them).
 */
#ifndef PCF_PARTICLES_DYNAMODB_TABLE_SCALING_H
#define PCF_PARTICLES_DYNAMODB_TABLE_SCALING_H

#include "managed.h"

/* One scalable dimension: the definition's key, DynamoDB's units, the metric. */
typedef struct pcf_table_scaling_dim {
	const char *key;    /* "ReadCapacity" */
	const char *units;  /* "ReadCapacityUnits" */
	const char *metric; /* "DynamoDBReadCapacityUtilization" */
} pcf_table_scaling_dim;

extern const pcf_table_scaling_dim pcf_table_scaling_dims[2];

/* "table/T" or "table/T/index/I" (index NULL: the table). */
void pcf_table_scaling_resource(char *buf, size_t size, const char *table, const char *index);
/* "dynamodb:table:ReadCapacityUnits" or "dynamodb:index:..." for dims[dim]. */
void pcf_table_scaling_dimension(char *buf, size_t size, const char *index, size_t dim);

#endif
