/*
 * A pool of libcurl easy handles. Each handle keeps its own connection
 * (libcurl does not support sharing a connection cache between threads);
 * they share the DNS cache and TLS sessions through a curl share handle
 * with locks, so a new connection resumes a TLS session another opened.
 * At most max_handles are handed out at once; that is the connection cap
 * (DYNAMODB_MAX_CLIENTS).
 */
#ifndef PCF_AWS_POOL_H
#define PCF_AWS_POOL_H

#include <curl/curl.h>

#include <pcf/error.h>

typedef struct pcf_aws_pool pcf_aws_pool;

/* Returns 0 and *out (free with pcf_aws_pool_free), or PCF_ENOMEM. */
int pcf_aws_pool_new(pcf_aws_pool **out, int max_handles, pcf_error *err);

/*
 * A handle attached to the shared caches; it may carry a previous request's
 * options, so the caller sets every option it relies on. Blocks while max_handles are out. NULL
 * only when out of memory.
 */
CURL *pcf_aws_pool_acquire(pcf_aws_pool *pool);

/* Like acquire, but NULL at once when max_handles are out. */
CURL *pcf_aws_pool_try_acquire(pcf_aws_pool *pool);

/* Gives a handle back; its connection stays open for the next request on it. */
void pcf_aws_pool_release(pcf_aws_pool *pool, CURL *easy);

/* Every handle must have been released. Accepts NULL. */
void pcf_aws_pool_free(pcf_aws_pool *pool);

#endif
