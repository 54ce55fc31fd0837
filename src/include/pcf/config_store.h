/*
 * The configuration store: application configuration kept in a DynamoDB
 * table, after Sebastian Dahlgren's "DynamoDB Config Store".
 *
 * One table holds many stores. Each item is one option of one store: the
 * partition key attribute (default "_store") holds the store name, the sort
 * key attribute (default "_option") the option name, and every other
 * attribute is the option's data, handed to callers as a plain JSON object
 * ({"host": "db.internal", "port": 5432, "tls": true}).
 *
 * A pcf_config_store is one store opened in one of two read modes:
 * - direct: every get goes to DynamoDB with a consistent read;
 * - time-based: the store's options are loaded once at open, then a
 *   background thread reloads them every refresh_interval_ms into an
 *   in-memory snapshot; get never touches the network, and a failed
 *   refresh keeps the last good snapshot and is reported to on_error.
 * Writes (set, delete) always go straight to DynamoDB; in time-based mode
 * they also update the snapshot, so a process reads its own writes.
 *
 * Thread-safety: a pcf_config_store may be used from several threads at
 * once. The pcf_ddb it was opened with is borrowed and must outlive it.
 *
 * Ownership: `const cJSON *` parameters are borrowed; a `cJSON **out`
 * receives a new tree the caller frees with cJSON_Delete (NULL on failure).
 */
#ifndef PCF_CONFIG_STORE_H
#define PCF_CONFIG_STORE_H

#include <stddef.h>

#include <cjson/cJSON.h>
#include <pcf/export.h>
#include <pcf/dynamodb.h>
#include <pcf/error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PCF_CONFIG_DEFAULT_STORE_KEY  "_store"
#define PCF_CONFIG_DEFAULT_OPTION_KEY "_option"

/* Where stores live: a table and its two key attribute names. Caller storage. */
typedef struct pcf_config_table {
	const char *name;       /* the table name; required */
	const char *store_key;  /* partition key attribute; NULL: "_store" */
	const char *option_key; /* sort key attribute; NULL: "_option" */
} pcf_config_table;

#define PCF_CONFIG_TABLE_INIT                                                                      \
	{                                                                                          \
		.name = NULL, .store_key = NULL, .option_key = NULL                                \
	}

/*
 * The table a dynamodb_config_store definition names: *out gets its
 * aws_resource's TableName, StoreKey and OptionKey, and *region (may be
 * NULL) its region_name or NULL. The strings are borrowed from resource.
 * Fails with PCF_EINVAL when resource is not an object or has no
 * TableName.
 */
PCF_EXTERN int pcf_config_table_from_resource(pcf_config_table *out, const char **region,
                                              const cJSON *resource, pcf_error *err);

/*
 * Checks that the table exists and that its key schema is exactly
 * store_key (HASH, type S) + option_key (RANGE, type S). Fails with
 * PCF_ERESOURCE_NOT_FOUND when the table is missing and PCF_ESCHEMA
 * ("MisconfiguredSchema: ...", naming the key found and the key expected)
 * when its keys differ.
 */
PCF_EXTERN int pcf_config_table_check(pcf_ddb *db, const pcf_config_table *table, pcf_error *err);

/* How pcf_config_table_ensure creates a missing table. */
typedef struct pcf_config_create_options {
	long read_units; /* 0 with write_units 0: on-demand (PAY_PER_REQUEST) */
	long write_units;
	long timeout_ms;       /* wait for ACTIVE at most this long; 0: 300000 */
	long poll_interval_ms; /* 0: 500 */
} pcf_config_create_options;

/* The seed's default: a table with 1 read and 1 write unit. */
#define PCF_CONFIG_CREATE_OPTIONS_INIT                                                             \
	{                                                                                          \
		.read_units = 1, .write_units = 1, .timeout_ms = 0, .poll_interval_ms = 0          \
	}

/*
 * Makes sure the table exists with the configured keys, as
 * pcf_ddb_ensure_table does: checks the key schema of a table that exists,
 * creates it when missing (a concurrent creator counts as success; a table
 * being deleted is waited out first), and waits until it is ACTIVE. Fails with
 * PCF_ETABLE_NOT_CREATED
 * ("TableNotCreated: ...") when CreateTable fails, PCF_ETABLE_NOT_READY
 * ("TableNotReady: ...") when the table is not ACTIVE within timeout_ms,
 * and PCF_ESCHEMA ("MisconfiguredSchema: ...") when the keys differ.
 * options may be NULL (PCF_CONFIG_CREATE_OPTIONS_INIT).
 */
PCF_EXTERN int pcf_config_table_ensure(pcf_ddb *db, const pcf_config_table *table,
                                       const pcf_config_create_options *options, pcf_error *err);

/*
 * Every option of the table, or of one store (store non-NULL), as
 * {"store": {"option": {data}, ...}, ...}, stores in name order and each
 * store's options in sort-key order. Reads are consistent; all pages are
 * followed. A store with no options is absent from *out.
 */
PCF_EXTERN int pcf_config_table_read(cJSON **out, pcf_ddb *db, const pcf_config_table *table,
                                     const char *store, pcf_error *err);

typedef enum pcf_config_mode {
	PCF_CONFIG_DIRECT,    /* every read goes to DynamoDB */
	PCF_CONFIG_TIME_BASED /* reads answer from a snapshot refreshed in the background */
} pcf_config_mode;

/*
 * Told about each failed background refresh, on the refresh thread. The
 * snapshot the store answers from is unchanged. MUST be thread-safe.
 */
typedef void (*pcf_config_error_fn)(const pcf_error *err, void *payload);

typedef struct pcf_config_store_options {
	pcf_config_table table;
	const char *store; /* the store name; required */
	pcf_config_mode mode;
	long refresh_interval_ms; /* time-based; 0: 300000 (the seed's 300 s) */
	int create_table;         /* 1: pcf_config_table_ensure at open; 0: only check it */
	pcf_config_create_options create;
	pcf_config_error_fn on_error; /* may be NULL */
	void *payload;                /* passed to on_error */
} pcf_config_store_options;

/* Designated, so that no value can shift onto another field when one is added (a field
 * left out is 0); every field is named so that C++ -Wextra stays quiet. */
#define PCF_CONFIG_STORE_OPTIONS_INIT                                                              \
	{                                                                                          \
		.table = PCF_CONFIG_TABLE_INIT, .store = NULL, .mode = PCF_CONFIG_DIRECT,          \
		.refresh_interval_ms = 0, .create_table = 1,                                       \
		.create = PCF_CONFIG_CREATE_OPTIONS_INIT, .on_error = NULL, .payload = NULL        \
	}

typedef struct pcf_config_store pcf_config_store;

/*
 * Opens a store: ensures (or checks) its table, and in time-based mode
 * loads the first snapshot and starts the refresh thread. db is borrowed
 * and must outlive the store; options and its strings are copied. Fails
 * with the table errors above, or with the first load's error. Close with
 * pcf_config_store_close.
 */
PCF_EXTERN int pcf_config_store_open(pcf_config_store **out, pcf_ddb *db,
                                     const pcf_config_store_options *options, pcf_error *err);

/*
 * Stops the refresh thread (waiting for a refresh in flight) and frees the
 * store. No other thread may be using the store any more. Accepts NULL.
 */
PCF_EXTERN void pcf_config_store_close(pcf_config_store *store);

/*
 * Replaces option's data with data (a JSON object whose keys are not the
 * table's key attributes) in one PutItem.
 */
PCF_EXTERN int pcf_config_store_set(pcf_config_store *store, const char *option, const cJSON *data,
                                    pcf_error *err);

/* Option's data as a JSON object; PCF_ENOTFOUND when the store has no such option. */
PCF_EXTERN int pcf_config_store_get(cJSON **out, pcf_config_store *store, const char *option,
                                    pcf_error *err);

/* Every option of the store as {"option": {data}, ...} ({} when empty). */
PCF_EXTERN int pcf_config_store_get_all(cJSON **out, pcf_config_store *store, pcf_error *err);

/*
 * Deletes option in one DeleteItem. Deleting an option that does not exist
 * succeeds. old (may be NULL) receives the deleted option's data, or NULL
 * when there was none; the caller frees it. When the delete was made but
 * its answer was lost (the retry found the option gone), old is NULL too
 * and err, when given, keeps that answer's error with maybe_applied set
 * although 0 is returned, so a caller can tell it from "there was none".
 */
PCF_EXTERN int pcf_config_store_delete(cJSON **old, pcf_config_store *store, const char *option,
                                       pcf_error *err);

/*
 * Time-based: reloads the snapshot now, on the calling thread, and returns
 * the outcome (a failure keeps the old snapshot). Direct: does nothing.
 */
PCF_EXTERN int pcf_config_store_reload(pcf_config_store *store, pcf_error *err);

/*
 * key=value typing for option data, as `pcf config set` does it. Each of
 * args[0..count) is "key=value". Without json_values a value becomes a
 * number when it is an integer or decimal without a superfluous leading
 * zero ("42", "-1.5"; "007" stays text), true/false a boolean, null null,
 * anything else a string. With json_values each value is JSON text. *out
 * is a new object; a key given twice, an empty key or a missing '=' fail
 * with PCF_EINVAL naming the argument.
 */
PCF_EXTERN int pcf_config_parse_assignments(cJSON **out, const char *const *args, size_t count,
                                            int json_values, pcf_error *err);

/*
 * Option data <-> DynamoDB items. item_from_data builds the item for
 * (store, option) from a plain JSON object, refusing (PCF_EINVAL) data that
 * is not an object or that uses a key attribute's name. data_from_item
 * turns an item back into its plain data, without the key attributes.
 */
PCF_EXTERN int pcf_config_item_from_data(cJSON **out, const pcf_config_table *table,
                                         const char *store, const char *option, const cJSON *data,
                                         pcf_error *err);
PCF_EXTERN int pcf_config_data_from_item(cJSON **out, const pcf_config_table *table,
                                         const cJSON *item, pcf_error *err);

#ifdef __cplusplus
}
#endif
#endif
