/*
 * The credential chain and its cache.
 *
 * Sources are tried in order; "not configured" answers are collected into
 * one message ("environment: AWS_ACCESS_KEY_ID not set; web identity: ...")
 * so that a user with no working source sees everything pcf looked at. A
 * source that is configured but broken ends the search, as in the SDKs.
 *
 * A profile named explicitly (--profile, pcf_aws_options.profile) drops the
 * two environment sources, as botocore and the AWS CLI do: `--profile dev`
 * must sign with dev's keys even when AWS_ACCESS_KEY_ID is set for
 * something else. AWS_PROFILE alone is not explicit there, so environment
 * keys still come first with it.
 *
 * The cache holds one set of credentials behind a mutex, held only to read
 * or swap them, never across a lookup (an IMDS, STS or credential_process
 * call can take seconds). At most one lookup is in flight. While the cached
 * credentials are valid but due for a refresh, the caller that notices
 * runs the lookup and every other caller goes on with the cached ones; only
 * callers with nothing valid wait (on a condition variable) for the lookup
 * in flight and take its answer, success or error, rather than start a
 * second one. So many threads starting together still cause one lookup.
 */
#include "credentials_chain.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "src/common/buf.h"

struct source {
	const char *name;
	pcf_aws_credentials_source_fn fn;
	int from_environment; /* skipped when a profile is named explicitly */
};

static const struct source chain[] = {
    {"environment", pcf_aws_credentials_from_env, 1},
    {"web identity", pcf_aws_credentials_from_web_identity, 1},
    {"shared config files", pcf_aws_credentials_from_profile, 0},
    {"container", pcf_aws_credentials_from_container, 0},
    {"instance metadata", pcf_aws_credentials_from_imds, 0},
};

int pcf_aws_credentials_chain_resolve(pcf_aws_credentials *out,
                                      const pcf_aws_credentials_context *ctx, pcf_error *err)
{
	pcf_buf tried = PCF_BUF_INIT;
	pcf_error e = PCF_ERROR_INIT;
	int rc = PCF_ECREDENTIALS;

	int explicit_profile = ctx->profile && *ctx->profile;

	for (size_t i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
		if (explicit_profile && chain[i].from_environment)
			continue;
		pcf_error_clear(&e);
		rc = chain[i].fn(out, ctx, &e);
		if (rc == 0) {
			pcf_log(ctx->logger, PCF_LOG_DEBUG, "credentials from %s", out->source);
			goto out;
		}
		pcf_buf_printf(&tried, "%s%s: %s", tried.len ? "; " : "", chain[i].name, e.message);
		if (rc != PCF_ENOTFOUND)
			break;
	}
	if (rc == PCF_ENOTFOUND)
		rc = PCF_ECREDENTIALS;
	pcf_error_set(err, rc, "no AWS credentials (%s)",
	              tried.data && !tried.failed ? tried.data : "out of memory");
out:
	pcf_buf_cleanup(&tried);
	return rc;
}

struct pcf_aws_credentials_cache {
	pthread_mutex_t lock;
	pthread_cond_t looked_up; /* broadcast when a lookup ends */
	pcf_aws_credentials current;
	int have;
	int fixed;             /* made by _new_fixed: current is all there is */
	int looking_up;        /* a lookup is in flight (outside the lock) */
	unsigned long lookups; /* lookups ended, so a waiter knows its one is done */
	int last_rc;           /* how the last lookup ended, and why */
	pcf_error last_error;
	time_t last_attempt;   /* when a refresh was last tried */
	time_t retry_interval; /* PCF_AWS_CREDENTIALS_RETRY_S unless a test changes it */
	char *profile;
	pcf_aws_credentials_context ctx;
	pcf_logger logger;
	pcf_aws_credentials_source_fn source;
};

int pcf_aws_credentials_cache_new(pcf_aws_credentials_cache **out,
                                  const pcf_aws_credentials_context *ctx,
                                  pcf_aws_credentials_source_fn source, pcf_error *err)
{
	pcf_aws_credentials_cache *c = calloc(1, sizeof(*c));

	*out = NULL;
	if (!c)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	c->ctx = *ctx;
	if (ctx->profile && !(c->profile = strdup(ctx->profile))) {
		free(c);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	c->ctx.profile = c->profile;
	if (ctx->logger) {
		c->logger = *ctx->logger;
		c->ctx.logger = &c->logger;
	}
	c->source = source ? source : pcf_aws_credentials_chain_resolve;
	c->retry_interval = PCF_AWS_CREDENTIALS_RETRY_S;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->looked_up, NULL);
	*out = c;
	return 0;
}

int pcf_aws_credentials_cache_new_fixed(pcf_aws_credentials_cache **out,
                                        const pcf_aws_credentials *creds, pcf_error *err)
{
	pcf_aws_credentials_context none = {NULL, NULL, 0, 0};
	pcf_aws_credentials_cache *c;
	int rc;

	if ((rc = pcf_aws_credentials_cache_new(&c, &none, NULL, err)) < 0)
		return rc;
	if (pcf_aws_credentials_copy(&c->current, creds) < 0) {
		pcf_aws_credentials_cache_free(c);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	/* Never due for a refresh: expiration 0 means the cache never looks them up again. */
	c->current.expiration = 0;
	c->have = 1;
	c->fixed = 1;
	*out = c;
	return 0;
}

void pcf_aws_credentials_cache_free(pcf_aws_credentials_cache *cache)
{
	if (!cache)
		return;
	pcf_aws_credentials_cleanup(&cache->current);
	pthread_cond_destroy(&cache->looked_up);
	pthread_mutex_destroy(&cache->lock);
	free(cache->profile);
	free(cache);
}

/* Called with the lock held. Expired credentials are never valid. */
static int valid_at(const pcf_aws_credentials_cache *cache, time_t now)
{
	return cache->have && (cache->current.expiration == 0 || now < cache->current.expiration);
}

/*
 * Called with the lock held, for valid credentials: inside the refresh
 * window, and the last attempt (which may have failed) long enough ago.
 */
static int due(const pcf_aws_credentials_cache *cache, time_t now)
{
	const pcf_aws_credentials *c = &cache->current;

	return c->expiration != 0 && now + PCF_AWS_CREDENTIALS_REFRESH_S >= c->expiration &&
	       now >= cache->last_attempt + cache->retry_interval;
}

/*
 * Called with the lock held and no lookup in flight; returns with the lock
 * held. The lock is dropped while the source runs, so other callers keep
 * reading the cached credentials meanwhile; looking_up keeps them from
 * starting a lookup of their own.
 */
static void look_up(pcf_aws_credentials_cache *cache, time_t now)
{
	pcf_aws_credentials fresh = PCF_AWS_CREDENTIALS_INIT;
	pcf_error e = PCF_ERROR_INIT;
	int rc;

	cache->looking_up = 1;
	cache->last_attempt = now;
	pthread_mutex_unlock(&cache->lock);
	rc = cache->source(&fresh, &cache->ctx, &e);
	pthread_mutex_lock(&cache->lock);
	if (rc == 0) {
		pcf_aws_credentials_cleanup(&cache->current);
		cache->current = fresh;
		cache->have = 1;
	} else if (valid_at(cache, time(NULL))) {
		pcf_log(cache->ctx.logger, PCF_LOG_WARN,
		        "refreshing credentials failed, using the current ones until they "
		        "expire: %s",
		        e.message);
	}
	cache->last_rc = rc;
	cache->last_error = e;
	cache->looking_up = 0;
	cache->lookups++;
	pthread_cond_broadcast(&cache->looked_up);
}

/* Called with the lock held and nothing valid: waits for the lookup in flight. */
static void wait_for_lookup(pcf_aws_credentials_cache *cache)
{
	unsigned long seen = cache->lookups;

	while (cache->lookups == seen)
		pthread_cond_wait(&cache->looked_up, &cache->lock);
}

int pcf_aws_credentials_cache_get(pcf_aws_credentials_cache *cache, pcf_aws_credentials *out,
                                  pcf_error *err)
{
	time_t now = time(NULL);
	int answered = 0; /* a lookup ended for this call: its answer is current */
	int rc = 0;

	pthread_mutex_lock(&cache->lock);
	if (valid_at(cache, now)) {
		if (!cache->looking_up && due(cache, now)) {
			look_up(cache, now);
			answered = 1;
		}
	} else {
		if (cache->looking_up)
			wait_for_lookup(cache);
		else
			look_up(cache, now);
		answered = 1;
	}
	/*
	 * Credentials a source has just handed over are used even if the local
	 * clock already calls them expired (the service judges them); cached
	 * ones only until they expire.
	 */
	if (cache->have && ((answered && cache->last_rc == 0) || valid_at(cache, time(NULL)))) {
		if (pcf_aws_credentials_copy(out, &cache->current) < 0)
			rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	} else if (answered && cache->last_rc < 0) {
		rc = cache->last_rc;
		if (err)
			*err = cache->last_error;
	} else {
		rc = pcf_error_set(err, PCF_ECREDENTIALS,
		                   "no valid AWS credentials: they expired or were discarded "
		                   "while being looked up");
	}
	pthread_mutex_unlock(&cache->lock);
	return rc;
}

void pcf_aws_credentials_cache_set_retry_interval(pcf_aws_credentials_cache *cache, time_t seconds)
{
	pthread_mutex_lock(&cache->lock);
	cache->retry_interval = seconds;
	pthread_mutex_unlock(&cache->lock);
}

void pcf_aws_credentials_cache_invalidate(pcf_aws_credentials_cache *cache)
{
	pthread_mutex_lock(&cache->lock);
	if (cache->fixed) {
		pthread_mutex_unlock(&cache->lock);
		return;
	}
	pcf_aws_credentials_cleanup(&cache->current);
	cache->have = 0;
	pthread_mutex_unlock(&cache->lock);
}
