/*
 * The renewal thread: one per client, whatever the number of locks held.
 *
 * Every third of the lease it writes each held lock anew with a fresh
 * record version, conditional on the version it wrote last. A refused
 * condition means another writer changed the record (a run that took it
 * over, or `pcf unlock`): the lock is lost at once. Any other failure is
 * kept as the reason, and pcf_lock_check declares the lock lost once most
 * of a lease passed without a renewal, since other runs may then take it.
 * A renewal that succeeds records when it was sent, which is the
 * conservative end: other runs count the lease from when they saw it.
 */
#include "src/lock/client.h"

#include "src/common/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Renews one lock marked in_flight; takes and returns with c->mu held. */
static void renew(pcf_lock_client *c, held_lock *h)
{
	char expected[LOCK_VERSION_CHARS + 1], version[LOCK_VERSION_CHARS + 1];
	char taken_at[sizeof(h->taken_at)];
	pcf_error err = PCF_ERROR_INIT;
	long sent = lock_now_ms();
	int rc;

	memcpy(expected, h->version, sizeof(expected));
	memcpy(taken_at, h->taken_at, sizeof(taken_at));
	pthread_mutex_unlock(&c->mu);
	rc = lock_write(c, h->key, expected, taken_at, 0, version, &err);
	pthread_mutex_lock(&c->mu);
	if (rc == 0) {
		memcpy(h->version, version, sizeof(h->version));
		h->last_ok_ms = sent;
		h->why[0] = '\0';
	} else if (rc == PCF_ECONDITIONAL_CHECK_FAILED) {
		h->lost = 1;
		snprintf(h->why, sizeof(h->why),
		         "its record was changed by another writer (a run that took it over, or "
		         "pcf unlock)");
		pcf_log(&c->logger, PCF_LOG_WARN, "lock %s lost: %s", h->key, h->why);
	} else {
		snprintf(h->why, sizeof(h->why), "%.500s", err.message);
		pcf_log(&c->logger, PCF_LOG_INFO, "could not renew lock %s: %s", h->key,
		        err.message);
	}
	h->in_flight = 0;
	pthread_cond_broadcast(&c->cond);
}

/* One round over every lock neither lost nor being released; c->mu held. */
static void renew_all(pcf_lock_client *c)
{
	held_lock **batch;
	size_t n = 0, k = 0;

	for (held_lock *h = c->locks; h; h = h->next)
		n++;
	batch = calloc(n ? n : 1, sizeof(*batch));
	if (!batch)
		return; /* tried again next round; a lock not renewed in time is lost anyway */
	for (held_lock *h = c->locks; h; h = h->next) {
		if (!h->lost && !h->releasing) {
			h->in_flight = 1;
			batch[k++] = h;
		}
	}
	/* A lock in flight is never freed, so the batch stays valid without the mutex. */
	for (size_t i = 0; i < k; i++)
		renew(c, batch[i]);
	free(batch);
}

static void *heartbeat(void *arg)
{
	pcf_lock_client *c = arg;
	long period_ms = c->lease_ms / 3 > 0 ? c->lease_ms / 3 : 1;

	pthread_mutex_lock(&c->mu);
	while (!c->stopping) {
		struct timespec at;
		int rc = 0;

		pcf_util_monotonic_after(&at, period_ms);
		while (!c->stopping && rc != ETIMEDOUT)
			rc = pthread_cond_timedwait(&c->cond, &c->mu, &at);
		if (!c->stopping)
			renew_all(c);
	}
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

int lock_heartbeat_start(pcf_lock_client *c, pcf_error *err)
{
	if (c->thread_started)
		return 0;
	if (pthread_create(&c->thread, NULL, heartbeat, c) != 0)
		return pcf_error_set(err, PCF_ENOMEM, "could not start the lock renewal thread");
	c->thread_started = 1;
	return 0;
}

void lock_heartbeat_stop(pcf_lock_client *c)
{
	pthread_mutex_lock(&c->mu);
	c->stopping = 1;
	pthread_cond_broadcast(&c->cond);
	pthread_mutex_unlock(&c->mu);
	if (c->thread_started)
		pthread_join(c->thread, NULL);
	c->thread_started = 0;
}
