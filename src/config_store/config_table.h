/*
 * The configuration store's table helpers that the dynamodb_config_store
 * flavor and the library's own files share: key names with their defaults,
 * item keys, and the table's creation and description under the seed's
 * error names (MisconfiguredSchema, TableNotCreated, TableNotReady).
 * Internal to libpcf: not exported.
 */
#ifndef PCF_CONFIG_TABLE_H
#define PCF_CONFIG_TABLE_H

#include <pcf/config_store.h>

/* The key attribute names of a table, defaults applied. */
const char *config_store_key(const pcf_config_table *table);
const char *config_option_key(const pcf_config_table *table);

/* 0 when the table names a non-empty table and non-empty, distinct key names. */
int config_table_valid(const pcf_config_table *table, pcf_error *err);

/* The key {store_key: {"S": store}, option_key: {"S": option}} of one option. */
int config_item_key(cJSON **out, const pcf_config_table *table, const char *store,
                    const char *option, pcf_error *err);

/* The CreateTable request for a config table; 0 and 0 units: on-demand. */
int config_create_request(cJSON **out, const pcf_config_table *table, long read_units,
                          long write_units, pcf_error *err);

/*
 * 0 when a DescribeTable "Table" object has the table's keys: store_key
 * (HASH, S) + option_key (RANGE, S); else PCF_ESCHEMA ("MisconfiguredSchema:
 * ...", naming the key found and the one expected). The comparison is
 * pcf_ddb_ensure_table's (src/dynamodb/ensure.c).
 */
int config_table_keys_check(const cJSON *description, const pcf_config_table *table,
                            pcf_error *err);

/*
 * DescribeTable's "Table" for the table, its key schema checked:
 * PCF_ERESOURCE_NOT_FOUND when there is no such table, PCF_ESCHEMA as
 * config_table_keys_check says.
 * *out (may be NULL) is the caller's.
 */
int config_table_describe(cJSON **out, pcf_ddb *db, const pcf_config_table *table, pcf_error *err);

/*
 * Sends CreateTable for the table without waiting for it; a table created
 * meanwhile by someone else is success. A refusal is PCF_ETABLE_NOT_CREATED
 * ("TableNotCreated: ..."), the service's error kept in err.
 */
int config_table_create(pcf_ddb *db, const pcf_config_table *table, long read_units,
                        long write_units, pcf_error *err);

#endif
