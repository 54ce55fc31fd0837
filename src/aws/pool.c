/*
 * The easy-handle pool. Idle handles wait on a stack (the most recently
 * used first, whose connection and TLS state are warmest); a condition
 * variable makes callers wait when the cap is reached. The share handle's
 * lock callbacks use one mutex per kind of shared data, as libcurl asks of
 * multi-threaded users of a share handle.
 *
 * Connections are not shared: libcurl does not support a shared
 * connection cache across threads (CURL_LOCK_DATA_CONNECT), so each easy
 * handle keeps its own, and since a handle serves one request at a time
 * one kept connection is all it needs. A handle's connection is reused by
 * whichever request takes the handle next.
 */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

struct pcf_aws_pool {
	pthread_mutex_t lock;
	pthread_cond_t available;
	CURLSH *share;
	pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
	CURL **idle;
	int idle_count;
	int out; /* handles handed out */
	int max_handles;
};

static void share_lock(CURL *easy, curl_lock_data data, curl_lock_access access, void *userp)
{
	struct pcf_aws_pool *pool = userp;
	(void)easy;
	(void)access;
	pthread_mutex_lock(&pool->share_locks[data]);
}

static void share_unlock(CURL *easy, curl_lock_data data, void *userp)
{
	struct pcf_aws_pool *pool = userp;
	(void)easy;
	pthread_mutex_unlock(&pool->share_locks[data]);
}

int pcf_aws_pool_new(pcf_aws_pool **out, int max_handles, pcf_error *err)
{
	pcf_aws_pool *pool = calloc(1, sizeof(*pool));

	*out = NULL;
	if (!pool)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	pool->max_handles = max_handles > 0 ? max_handles : 1;
	pool->idle = calloc((size_t)pool->max_handles, sizeof(*pool->idle));
	pool->share = curl_share_init();
	if (!pool->idle || !pool->share) {
		free(pool->idle);
		if (pool->share)
			curl_share_cleanup(pool->share);
		free(pool);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->available, NULL);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_init(&pool->share_locks[i], NULL);
	curl_share_setopt(pool->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(pool->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(pool->share, CURLSHOPT_USERDATA, pool);
	curl_share_setopt(pool->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(pool->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	*out = pool;
	return 0;
}

/* Called with pool->lock held and a free slot: an idle handle or a new one. */
static CURL *take_locked(pcf_aws_pool *pool)
{
	CURL *easy;

	if (pool->idle_count > 0) {
		easy = pool->idle[--pool->idle_count];
	} else {
		easy = curl_easy_init();
		if (!easy)
			return NULL;
		curl_easy_setopt(easy, CURLOPT_SHARE, pool->share);
		/* Its own cache, kept small: one connection in use, one spare. */
		curl_easy_setopt(easy, CURLOPT_MAXCONNECTS, 2L);
	}
	pool->out++;
	return easy;
}

CURL *pcf_aws_pool_acquire(pcf_aws_pool *pool)
{
	CURL *easy;

	pthread_mutex_lock(&pool->lock);
	while (pool->out >= pool->max_handles)
		pthread_cond_wait(&pool->available, &pool->lock);
	easy = take_locked(pool);
	pthread_mutex_unlock(&pool->lock);
	return easy;
}

CURL *pcf_aws_pool_try_acquire(pcf_aws_pool *pool)
{
	CURL *easy = NULL;

	pthread_mutex_lock(&pool->lock);
	if (pool->out < pool->max_handles)
		easy = take_locked(pool);
	pthread_mutex_unlock(&pool->lock);
	return easy;
}

void pcf_aws_pool_release(pcf_aws_pool *pool, CURL *easy)
{
	if (!easy)
		return;
	/*
	 * No curl_easy_reset: it would detach the share handle. Every request
	 * sets all the options it relies on instead.
	 */
	pthread_mutex_lock(&pool->lock);
	pool->out--;
	pool->idle[pool->idle_count++] = easy;
	pthread_cond_signal(&pool->available);
	pthread_mutex_unlock(&pool->lock);
}

void pcf_aws_pool_free(pcf_aws_pool *pool)
{
	if (!pool)
		return;
	for (int i = 0; i < pool->idle_count; i++)
		curl_easy_cleanup(pool->idle[i]);
	curl_share_cleanup(pool->share);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		pthread_mutex_destroy(&pool->share_locks[i]);
	pthread_cond_destroy(&pool->available);
	pthread_mutex_destroy(&pool->lock);
	free(pool->idle);
	free(pool);
}
