/*
 * The default credential chain and the shared, locked cache in front of it.
 */
#ifndef PCF_AWS_CREDENTIALS_CHAIN_H
#define PCF_AWS_CREDENTIALS_CHAIN_H

#include "credentials.h"

/*
 * Tries the sources in the SDKs' order: environment, web identity, shared
 * files (profile, credential_process), container, EC2 instance metadata.
 * Returns 0 with *out filled, or PCF_ECREDENTIALS (or the broken source's
 * code) with a message naming every source tried and why it failed.
 */
int pcf_aws_credentials_chain_resolve(pcf_aws_credentials *out,
                                      const pcf_aws_credentials_context *ctx, pcf_error *err);

typedef struct pcf_aws_credentials_cache pcf_aws_credentials_cache;

/* How long before expiry temporary credentials are refreshed. */
#define PCF_AWS_CREDENTIALS_REFRESH_S 300
/*
 * While credentials are still valid, refreshes are tried at most this
 * often, so a source that hands out short-lived credentials (or is down)
 * is not asked again on every request.
 */
#define PCF_AWS_CREDENTIALS_RETRY_S 30

/*
 * A cache over resolve (or over a fixed source for tests: pass NULL for
 * the default chain). ctx is copied (its strings too). Free with _free.
 */
int pcf_aws_credentials_cache_new(pcf_aws_credentials_cache **out,
                                  const pcf_aws_credentials_context *ctx,
                                  pcf_aws_credentials_source_fn source, pcf_error *err);
void pcf_aws_credentials_cache_free(pcf_aws_credentials_cache *cache);

/*
 * A cache that always hands out a copy of creds (given by the library user
 * in pcf_aws_options): no source is ever asked, and invalidate keeps them,
 * since there is nothing else to fall back to. Free with _free.
 */
int pcf_aws_credentials_cache_new_fixed(pcf_aws_credentials_cache **out,
                                        const pcf_aws_credentials *creds, pcf_error *err);

/*
 * A copy of current credentials in *out (clean up with
 * pcf_aws_credentials_cleanup), resolving them on first use and again when
 * they are within PCF_AWS_CREDENTIALS_REFRESH_S of expiring. If a refresh
 * fails while the old credentials are still valid, the old ones are used
 * and the refresh is tried again after the retry interval. Thread-safe:
 * the lookup runs outside the lock, one at a time; while it runs, callers
 * get the cached credentials if they are still valid, and otherwise wait
 * for its answer (its error included). Expired cached credentials are never
 * returned.
 */
int pcf_aws_credentials_cache_get(pcf_aws_credentials_cache *cache, pcf_aws_credentials *out,
                                  pcf_error *err);

/* Changes the minimum time between refresh attempts (tests use 0). */
void pcf_aws_credentials_cache_set_retry_interval(pcf_aws_credentials_cache *cache, time_t seconds);

/*
 * Forgets the cached credentials (after the service said they expired),
 * except in a cache made with _new_fixed.
 */
void pcf_aws_credentials_cache_invalidate(pcf_aws_credentials_cache *cache);

#endif
