/*
 * A DynamoDB client of a test's own, beside the one the code under test
 * uses, to look at the server directly.
 */
#ifndef PCF_TEST_IT_DDB_H
#define PCF_TEST_IT_DDB_H

#include <pcf/pcf.h>

/* A client of endpoint in us-east-1; the caller frees it with pcf_ddb_free. */
pcf_ddb *it_ddb_for(const char *endpoint);

/* Sets table's provisioned throughput to read_units reads and 5 writes (UpdateTable). */
void it_ddb_set_read_units(pcf_ddb *db, const char *table, int read_units);

#endif
