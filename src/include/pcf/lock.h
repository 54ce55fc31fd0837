/*
 * Lease locks in a DynamoDB table, one per particle, so that pcf runs on
 * any number of machines never change the same resource at once.
 *
 * A lock is one item keyed by a string (the guard below uses
 * "REGION/TABLE"): who holds it (host, pid, a random run id), a record
 * version number (a random value written anew on every write), the lease
 * in ms, the command and when it was taken. It is taken with a
 * conditional PutItem that succeeds when the item is absent, released, or
 * unchanged (the same record version) for a full lease as this process
 * observed it on its own monotonic clock - the rule of Amazon's DynamoDB
 * lock client, so no two machines' clocks are ever compared. One thread
 * per client renews every held lock at a third of the lease, each write
 * conditional on the version it last wrote. A lock whose renewal was
 * refused (someone took it over) or that could not be renewed for most
 * of a lease is lost: pcf_lock_check says so and the holder must stop
 * changing that resource.
 *
 * What this cannot prevent: changes by anything that does not take the
 * lock (the console, other tools, pcf without --lock-table), and a change
 * already in flight when the lock is lost.
 *
 * Thread-safety: a client is safe to share between threads (the engine's
 * workers); pcf_lock_client_free belongs to one thread once the others
 * are done with it.
 */
#ifndef PCF_LOCK_H
#define PCF_LOCK_H

#include <stddef.h>

#include <pcf/export.h>
#include <pcf/common.h>
#include <pcf/dynamodb.h>
#include <pcf/engine.h>
#include <pcf/error.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pcf_lock_client pcf_lock_client;

typedef struct pcf_lock_options {
	const char *table;   /* the lock table; required */
	long lease_ms;       /* 0: 20000; renewed every lease_ms / 3 */
	long wait_ms;        /* how long acquire waits for a held lock; 0: fail at once */
	const char *command; /* what the holder runs ("apply"), shown to others; NULL: "pcf" */
	const char *default_region; /* region of particles without region_name (lock keys);
	                             * NULL: the lock table's */
	pcf_logger logger;
} pcf_lock_options;

#define PCF_LOCK_OPTIONS_INIT                                                                      \
	{                                                                                          \
		.table = NULL, .lease_ms = 0, .wait_ms = 0, .command = NULL,                       \
		.default_region = NULL, .logger = PCF_LOGGER_INIT                                  \
	}

/*
 * A client on db (borrowed: it must outlive the client) with options
 * (copied, strings too). Starts no thread until the first lock is held.
 * Free with pcf_lock_client_free, which releases every lock still held.
 */
PCF_EXTERN int pcf_lock_client_new(pcf_lock_client **out, pcf_ddb *db,
                                   const pcf_lock_options *options, pcf_error *err);
PCF_EXTERN void pcf_lock_client_free(pcf_lock_client *client);

/* This client's run id (random, fixed for its life); borrowed. */
PCF_EXTERN const char *pcf_lock_client_run_id(const pcf_lock_client *client);

/*
 * Creates the lock table when it is missing (on-demand billing, key
 * lock_key, TTL on expires_at so that released items go away), waiting up
 * to timeout_ms for it to become ACTIVE. A server that cannot set TTL is
 * logged and accepted: the locks work without it.
 */
PCF_EXTERN int pcf_lock_ensure_table(pcf_lock_client *client, long timeout_ms, pcf_error *err);

/*
 * Takes the lock of key, waiting up to options.wait_ms while another run
 * holds it. 0 when this client holds it (also when it already did);
 * PCF_ELOCKED with "locked by HOST pid N (run R, COMMAND, since T)" when
 * the wait ran out; PCF_ELOCK_LOST when this client held it and lost it;
 * PCF_ECANCELLED after pcf_lock_client_cancel; else the service's error.
 */
PCF_EXTERN int pcf_lock_acquire(pcf_lock_client *client, const char *key, pcf_error *err);

/*
 * One attempt at key's lock, never sleeping: one read and, when the rule
 * allows, one take. 0 when this client holds it (also when it already
 * did). While another run holds it and options.wait_ms, counted from this
 * client's first attempt for key, has not run out: PCF_ELOCKED with
 * err->retryable set and err->retry_after_ms saying when to try again
 * ("lock KEY held by HOST pid N (run R, COMMAND, since T)"); what this
 * client saw of the record is kept between attempts, so a lock left
 * unchanged for a lease is taken over. Once the wait ran out: PCF_ELOCKED,
 * not retryable, as pcf_lock_acquire says it. The wait ends with the
 * final answer, or with pcf_lock_release of key when the caller gives up.
 */
PCF_EXTERN int pcf_lock_try_acquire(pcf_lock_client *client, const char *key, pcf_error *err);

/*
 * Whether this client still holds key's lock and may change its resource:
 * 0, PCF_ELOCK_LOST (taken over, or not renewed for most of a lease; the
 * message says which) or PCF_ENOTFOUND (never taken). No network.
 */
PCF_EXTERN int pcf_lock_check(pcf_lock_client *client, const char *key, pcf_error *err);

/*
 * Releases key's lock with a write conditional on the version this client
 * last wrote; a lock lost meanwhile is left to its new holder (0). Not
 * held: 0 (a wait for it of pcf_lock_try_acquire ends).
 */
PCF_EXTERN int pcf_lock_release(pcf_lock_client *client, const char *key, pcf_error *err);

/*
 * Makes waits in pcf_lock_acquire end with PCF_ECANCELLED, for the rest of
 * the client's life (as pcf_engine_cancel does for its engine);
 * async-signal-safe. pcf_lock_try_acquire and the engine guard never wait,
 * so they do not look at it: the engine's own cancel ends their waits.
 */
PCF_EXTERN void pcf_lock_client_cancel(pcf_lock_client *client);

/* A lock item as read from the table. */
typedef struct pcf_lock_info {
	char *key;
	char *host;
	long pid;
	char *run_id;
	char *version; /* the record version number */
	long lease_ms;
	char *command;
	char *taken_at; /* UTC, ISO 8601, the holder's clock: for people, never compared */
	int released;
} pcf_lock_info;

PCF_EXTERN void pcf_lock_info_cleanup(pcf_lock_info *info);
/* Frees an array of count infos from pcf_lock_list. */
PCF_EXTERN void pcf_lock_info_free(pcf_lock_info *infos, size_t count);

/*
 * Every lock not released, by key, in *out (free with pcf_lock_info_free).
 * A missing lock table is PCF_ERESOURCE_NOT_FOUND.
 */
PCF_EXTERN int pcf_lock_list(pcf_lock_info **out, size_t *count, pcf_lock_client *client,
                             pcf_error *err);

/*
 * Releases key's lock whoever holds it (`pcf unlock`): reads it and marks
 * it released with a write conditional on the version read. *was (may be
 * NULL) receives what was there (cleanup with pcf_lock_info_cleanup).
 * PCF_ENOTFOUND when there is no held lock; PCF_ECONDITIONAL_CHECK_FAILED
 * when it changed between the read and the write (its holder is alive).
 */
PCF_EXTERN int pcf_lock_force_release(pcf_lock_info *was, pcf_lock_client *client, const char *key,
                                      pcf_error *err);

/*
 * The key of a particle's lock: "REGION/TABLE" for a particle whose
 * aws_resource names a TableName (REGION its region_name, else
 * default_region), else "particle/FLAVOR:NAME". A new string (free), or
 * NULL when out of memory.
 */
PCF_EXTERN char *pcf_lock_particle_key(const pcf_particle_def *def, const char *default_region);

/*
 * Makes an engine take client's locks: fills options->before_change,
 * options->particle_done and options->guard_payload. Each particle's lock
 * is taken before the engine reads it and checked before every change;
 * while another run holds it, the guard refuses for now
 * (pcf_lock_try_acquire) and the engine asks again after the wait it
 * names, holding no call thread meanwhile, up to options.wait_ms. A
 * final refusal fails that particle with the lock's error (PCF_ELOCKED /
 * PCF_ELOCK_LOST) while the others go on. The lock is released when the
 * particle is done. Keys as pcf_lock_particle_key with
 * options.default_region.
 */
PCF_EXTERN void pcf_lock_engine_guard(pcf_engine_options *options, pcf_lock_client *client);

#ifdef __cplusplus
}
#endif
#endif
