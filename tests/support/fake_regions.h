/*
 * A FAKE multi-region DynamoDB for the global-table tests: no open-source
 * server implements replicas (moto accepts ReplicaUpdates and ignores
 * them), so this one models the little of them pcf relies on. It runs on
 * tests/support/fake_http and keeps one table, with a home region and
 * replicas, answering each request as the region it was signed for (the
 * SigV4 credential scope; every region shares the loopback endpoint).
 *
 * What it models, as the DynamoDB API reference describes it:
 * - UpdateTable ReplicaUpdates with one Create / Update / Delete per call,
 *   refused with LimitExceededException while a replica is still changing;
 * - CREATING, UPDATING and DELETING held for hold_ms, the table UPDATING
 *   meanwhile; a replica created in fail_region ends CREATION_FAILED;
 * - DescribeTable per region (a replica region answers once its replica
 *   exists, listing the other regions as replicas);
 * - per-region deletion protection, point-in-time recovery, contributor
 *   insights and tags, refused through another region's endpoint;
 * - a protected replica cannot be deleted;
 * - the witness Region of an MRSC table (fake_regions_witness.h).
 */
#ifndef PCF_TESTS_FAKE_REGIONS_H
#define PCF_TESTS_FAKE_REGIONS_H

#include <cjson/cJSON.h>

typedef struct pcf_fake_regions_options {
	const char *home;        /* the table's own region, e.g. "us-east-1" */
	const char *table;       /* the table name */
	int on_demand;           /* 1: PAY_PER_REQUEST, 0: PROVISIONED 5/5 */
	long hold_ms;            /* how long a replica stays CREATING / UPDATING / DELETING */
	const char *fail_region; /* a replica created there ends CREATION_FAILED; may be NULL */
} pcf_fake_regions_options;

typedef struct pcf_fake_regions pcf_fake_regions;

/* Starts the fake with the table ACTIVE in its home region and no replicas. 0 or -1. */
int pcf_fake_regions_start(pcf_fake_regions **out, const pcf_fake_regions_options *options);

/* "http://127.0.0.1:PORT" */
const char *pcf_fake_regions_url(const pcf_fake_regions *f);

/* Makes an ACTIVE replica in region at once, as if created long ago. 0 or -1. */
int pcf_fake_regions_add_replica(pcf_fake_regions *f, const char *region);

/* Sets a region's deletion protection (as if set by someone else). */
void pcf_fake_regions_set_protection(pcf_fake_regions *f, const char *region, int on);

/*
 * A copy of one region's state, the caller frees: {"present": bool,
 * "status": "...", "overrides": {...}, "protection": bool, "pitr": bool,
 * "insights": bool, "tags": [...]}; NULL for a region the fake never saw.
 */
cJSON *pcf_fake_regions_region(pcf_fake_regions *f, const char *region);

/* Calls of action signed for region (NULL: any region) so far. */
int pcf_fake_regions_calls(pcf_fake_regions *f, const char *region, const char *action);

/* Calls that change something (not Describe* or List*), in every region. */
int pcf_fake_regions_writes(pcf_fake_regions *f);

/* LimitExceededException answers given so far. */
int pcf_fake_regions_limit_refusals(pcf_fake_regions *f);

/* Stops the server and frees. Accepts NULL. */
void pcf_fake_regions_stop(pcf_fake_regions *f);

#endif
