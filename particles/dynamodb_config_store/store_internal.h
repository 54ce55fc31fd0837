/*
 * Internals of the configuration store shared by its files (store.c,
 * snapshot.c, table.c, values.c, flavor.c) and its unit tests.
 *
 * A store keeps its own copies of the table and store names. In time-based
 * mode it also holds the snapshot ({"option": {data}, ...}) behind a mutex
 * and a refresh thread that sleeps on a condition variable, so close can
 * wake it at once instead of waiting out the interval.
 */
#ifndef PCF_CONFIG_STORE_INTERNAL_H
#define PCF_CONFIG_STORE_INTERNAL_H

#include <pthread.h>

#include <pcf/config_store.h>
#include <pcf/flavor.h>

struct pcf_config_store {
	pcf_ddb *db; /* borrowed */
	char *table_name;
	char *store_key;
	char *option_key;
	char *store;
	pcf_config_table table; /* points at the strings above */
	pcf_config_mode mode;
	long refresh_interval_ms;
	pcf_config_error_fn on_error;
	void *payload;

	/* Time-based mode only. */
	pthread_mutex_t lock; /* guards snapshot, the sequence numbers and stopping */
	pthread_cond_t wake;  /* signalled by close */
	cJSON *snapshot;
	unsigned long next_seq;      /* handed to each load as it starts */
	unsigned long installed_seq; /* the load the snapshot came from */
	int stopping;
	int thread_started;
	pthread_t thread;
};

/* The key attribute names of a table, defaults applied. */
const char *config_store_key(const pcf_config_table *table);
const char *config_option_key(const pcf_config_table *table);

/* 1 when the table names a non-empty table and non-empty, distinct key names. */
int config_table_valid(const pcf_config_table *table, pcf_error *err);

/* The key {store_key: {"S": store}, option_key: {"S": option}} of one option. */
int config_item_key(cJSON **out, const pcf_config_table *table, const char *store,
                    const char *option, pcf_error *err);

/*
 * Turns Query/Scan items into {"store": {"option": {data}}}, merging into
 * *into (created when NULL). Items without both key attributes as strings
 * are skipped: they are not config store items.
 */
int config_items_group(cJSON **into, const pcf_config_table *table, const cJSON *items,
                       pcf_error *err);

/* Orders obj's members by name (a Scan returns stores in hash order). */
int config_sort_members(cJSON *obj, pcf_error *err);

/* The CreateTable request for a config table. */
int config_create_request(cJSON **out, const pcf_config_table *table, long read_units,
                          long write_units, pcf_error *err);

/* Checks a DescribeTable "Table" object against the table's keys (PCF_ESCHEMA). */
int config_key_schema_check(const cJSON *description, const pcf_config_table *table,
                            pcf_error *err);

/* Reads the store's options from the table as {"option": {data}}; *out is
 * the caller's (an empty object when the store has no items). */
int config_store_load(cJSON **out, pcf_config_store *store, pcf_error *err);

/* Time-based mode (snapshot.c). */
int config_snapshot_start(pcf_config_store *store, pcf_error *err);
void config_snapshot_stop(pcf_config_store *store);
int config_snapshot_reload(pcf_config_store *store, pcf_error *err);
/* Copies of the snapshot's data; PCF_ENOTFOUND for an unknown option. */
int config_snapshot_get(cJSON **out, pcf_config_store *store, const char *option, pcf_error *err);
int config_snapshot_get_all(cJSON **out, pcf_config_store *store, pcf_error *err);
/* Applies a write this process made (data NULL: a delete) to the snapshot. */
void config_snapshot_note_write(pcf_config_store *store, const char *option, const cJSON *data);

/* The flavor's operations (ops.c), hooked into the descriptor in flavor.c. */
int config_sync_state(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err);
int config_start(pcf_particle *p, pcf_error *err);
int config_terminate(pcf_particle *p, pcf_error *err);
int config_diff(pcf_drift *out, pcf_particle *p, const cJSON *current, pcf_error *err);
int config_plan(pcf_plan *out, pcf_particle *p, const cJSON *current, pcf_error *err);
int config_run_step(pcf_particle *p, const pcf_step *step, pcf_error *err);
char *config_describe_start(pcf_particle *p);

#endif
