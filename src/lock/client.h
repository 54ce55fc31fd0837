/*
 * The lock client's insides, shared by its files: the client (client.c:
 * taking, checking, releasing), the renewal thread (heartbeat.c) and the
 * table's administration (admin.c).
 *
 * Every held lock sits in one list under the client's mutex, and so does
 * every lock being waited for. The renewal
 * thread marks the locks it is renewing in_flight and writes without the
 * mutex; a release waits until its lock is not in flight, so a renewal and
 * a release of one lock never race each other's conditional writes.
 */
#ifndef PCF_LOCK_CLIENT_H
#define PCF_LOCK_CLIENT_H

#include "src/lock/lock_internal.h"

typedef struct held_lock {
	char *key;
	char version[LOCK_VERSION_CHARS + 1]; /* the version this client wrote last */
	char taken_at[32];
	long last_ok_ms; /* when the last write that succeeded was sent */
	int lost;        /* 1: never change its resource again */
	int in_flight;   /* the renewal thread is writing it */
	int releasing;   /* a release waits for in_flight to clear */
	char why[512];   /* why it was lost, or the last renewal error */
	struct held_lock *next;
} held_lock;

/*
 * A lock this client waits for: what it saw of the record (a takeover is
 * judged by what this client observed over time) and when it first asked,
 * which --lock-timeout counts from. Dropped when the wait ends either way.
 */
typedef struct lock_wait {
	char *key;
	lock_observation obs;
	long first_ms;
	struct lock_wait *next;
} lock_wait;

struct pcf_lock_client {
	pcf_ddb *db;
	char *table;
	char *command;
	char *default_region;
	long lease_ms;
	long wait_ms;
	pcf_logger logger;
	char run_id[LOCK_VERSION_CHARS + 1];
	char host[256];
	long pid;

	pthread_mutex_t mu;
	pthread_cond_t cond; /* on a monotonic clock: renewal ticks and in_flight changes */
	held_lock *locks;
	lock_wait *waits;
	pthread_t thread;
	int thread_started;
	int stopping;
	volatile sig_atomic_t cancelled;
};

/* Monotonic ms. */
long lock_now_ms(void);

/*
 * Writes the lock item for key with a new version into new_version, the
 * holder being this client, conditional on condition: NULL (the item must
 * be absent) or expected, the version it must still have. released marks
 * it released. 0, PCF_ECONDITIONAL_CHECK_FAILED or the service's error.
 */
int lock_write(pcf_lock_client *c, const char *key, const char *expected, const char *taken_at,
               int released, char *new_version, pcf_error *err);

/* Reads key's item consistently: 0 with *found 0 or 1 (then *out filled). */
int lock_read(pcf_lock_info *out, int *found, pcf_lock_client *c, const char *key, pcf_error *err);

/* Starts the renewal thread unless it runs; called with c->mu held. */
int lock_heartbeat_start(pcf_lock_client *c, pcf_error *err);
/* Stops and joins it. */
void lock_heartbeat_stop(pcf_lock_client *c);

#endif
