/*
 * The witness Region of the FAKE multi-region DynamoDB (fake_regions.c):
 * no open-source server implements global tables, let alone the witness
 * of a multi-Region strongly consistent (MRSC) one, so the fake models the
 * few rules of the DynamoDB API reference that pcf must respect:
 * - UpdateTable GlobalTableWitnessUpdates holds one Create or Delete;
 * - a Create only in the UpdateTable that makes the table MRSC (a replica
 *   Create with MultiRegionConsistency STRONG on a table without
 *   replicas), in a region that is neither the home nor that replica's;
 * - a Delete only together with a replica Delete, and a replica Delete of
 *   a table with a witness only together with the witness's Delete;
 * - DescribeTable answers GlobalTableWitnesses [{RegionName,
 *   WitnessStatus}], CREATING or DELETING for the fake's hold, then
 *   ACTIVE or gone.
 */
#ifndef PCF_TESTS_FAKE_REGIONS_WITNESS_H
#define PCF_TESTS_FAKE_REGIONS_WITNESS_H

#include <cjson/cJSON.h>
#include <stddef.h>

typedef struct fake_witness {
	char region[32]; /* "" when the table has no witness */
	const char *status;
	const char *next; /* status once the hold is over; NULL: gone */
	long long since_ms;
} fake_witness;

/* Ends the witness's hold once hold_ms have passed since it began. */
void fake_witness_advance(fake_witness *w, long long now_ms, long hold_ms);

/* 1 while the witness is CREATING or DELETING. */
int fake_witness_changing(const fake_witness *w);

/* Adds GlobalTableWitnesses to a table description when there is a witness. */
void fake_witness_describe(const fake_witness *w, cJSON *table);

/*
 * Checks the witness side of an UpdateTable request as the service does:
 * 0, or -1 with the ValidationException message in message. home is the
 * table's region; has_replicas whether the table has any yet.
 */
int fake_witness_check(char *message, size_t size, const fake_witness *w, const cJSON *request,
                       const char *home, int has_replicas);

/* Applies a checked request's GlobalTableWitnessUpdates. */
void fake_witness_apply(fake_witness *w, const cJSON *request, long long now_ms);

#endif
