/*
 * Time-based mode: the in-memory snapshot and the thread that refreshes it.
 *
 * The seed's TimeBasedConfigStore reloads every option of the store every
 * N seconds and answers reads from memory. Here a load (one consistent
 * Query) runs without the lock and only the pointer swap takes it, so
 * readers never wait for the network. Each load draws a sequence number
 * when it starts; a load that finishes after a newer one (or after a write
 * this process made) is dropped, so the snapshot never goes back in time.
 * A failed refresh leaves the snapshot alone and goes to on_error.
 *
 * The refresh thread sleeps on a condition variable against the monotonic
 * clock, so close wakes it at once and a wall-clock jump cannot stall it.
 */
#include "store_internal.h"

#include "src/common/util.h"

#include <errno.h>
#include <time.h>

int config_snapshot_reload(pcf_config_store *store, pcf_error *err)
{
	cJSON *fresh = NULL;
	unsigned long seq;
	int rc;

	pthread_mutex_lock(&store->lock);
	seq = ++store->next_seq;
	pthread_mutex_unlock(&store->lock);
	if ((rc = config_store_load(&fresh, store, err)) < 0)
		return rc;
	pthread_mutex_lock(&store->lock);
	if (seq > store->installed_seq) {
		cJSON *old = store->snapshot;
		store->snapshot = fresh;
		store->installed_seq = seq;
		fresh = old;
	}
	pthread_mutex_unlock(&store->lock);
	cJSON_Delete(fresh);
	return 0;
}

static void *refresh_main(void *arg)
{
	pcf_config_store *store = arg;
	struct timespec deadline;

	pthread_mutex_lock(&store->lock);
	while (!store->stopping) {
		int wait_rc = 0;
		pcf_util_monotonic_after(&deadline, store->refresh_interval_ms);
		while (!store->stopping && wait_rc != ETIMEDOUT)
			wait_rc = pthread_cond_timedwait(&store->wake, &store->lock, &deadline);
		if (store->stopping)
			break;
		pthread_mutex_unlock(&store->lock);
		{
			pcf_error e = PCF_ERROR_INIT;
			if (config_snapshot_reload(store, &e) < 0 && store->on_error)
				store->on_error(&e, store->payload);
		}
		pthread_mutex_lock(&store->lock);
	}
	pthread_mutex_unlock(&store->lock);
	return NULL;
}

static int sync_init(pcf_config_store *store, pcf_error *err)
{
	pthread_condattr_t attr;
	int rc;
	if (pthread_mutex_init(&store->lock, NULL) != 0)
		return pcf_error_set(err, PCF_EINTERNAL, "cannot create the snapshot lock");
	rc = pthread_condattr_init(&attr);
	if (rc == 0) {
		rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
		if (rc == 0)
			rc = pthread_cond_init(&store->wake, &attr);
		pthread_condattr_destroy(&attr);
	}
	if (rc != 0) {
		pthread_mutex_destroy(&store->lock);
		return pcf_error_set(err, PCF_EINTERNAL, "cannot create the refresh condition");
	}
	return 0;
}

int config_snapshot_start(pcf_config_store *store, pcf_error *err)
{
	int rc;
	if ((rc = sync_init(store, err)) < 0)
		return rc;
	/* The first load is the caller's: open fails when it fails. */
	if ((rc = config_snapshot_reload(store, err)) < 0)
		goto fail;
	if (pthread_create(&store->thread, NULL, refresh_main, store) != 0) {
		rc = pcf_error_set(err, PCF_EINTERNAL, "cannot start the refresh thread");
		goto fail;
	}
	store->thread_started = 1;
	return 0;
fail:
	cJSON_Delete(store->snapshot);
	store->snapshot = NULL;
	pthread_cond_destroy(&store->wake);
	pthread_mutex_destroy(&store->lock);
	return rc;
}

void config_snapshot_stop(pcf_config_store *store)
{
	if (!store->thread_started)
		return;
	pthread_mutex_lock(&store->lock);
	store->stopping = 1;
	pthread_cond_signal(&store->wake);
	pthread_mutex_unlock(&store->lock);
	pthread_join(store->thread, NULL);
	store->thread_started = 0;
	cJSON_Delete(store->snapshot);
	store->snapshot = NULL;
	pthread_cond_destroy(&store->wake);
	pthread_mutex_destroy(&store->lock);
}

int config_snapshot_get(cJSON **out, pcf_config_store *store, const char *option, pcf_error *err)
{
	const cJSON *data;
	int rc = 0;
	pthread_mutex_lock(&store->lock);
	data = cJSON_GetObjectItemCaseSensitive(store->snapshot, option);
	if (!data)
		rc = pcf_error_set(err, PCF_ENOTFOUND, "store %s has no option %s", store->store,
		                   option);
	else if (!(*out = cJSON_Duplicate(data, 1)))
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	pthread_mutex_unlock(&store->lock);
	return rc;
}

int config_snapshot_get_all(cJSON **out, pcf_config_store *store, pcf_error *err)
{
	int rc = 0;
	pthread_mutex_lock(&store->lock);
	if (!(*out = cJSON_Duplicate(store->snapshot, 1)))
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	pthread_mutex_unlock(&store->lock);
	return rc;
}

void config_snapshot_note_write(pcf_config_store *store, const char *option, const cJSON *data)
{
	cJSON *copy = data ? cJSON_Duplicate(data, 1) : NULL;
	pthread_mutex_lock(&store->lock);
	cJSON_DeleteItemFromObjectCaseSensitive(store->snapshot, option);
	if (copy && !cJSON_AddItemToObject(store->snapshot, option, copy))
		cJSON_Delete(copy);
	/* Loads already in flight started before this write: drop them. */
	store->installed_seq = store->next_seq;
	pthread_mutex_unlock(&store->lock);
}
