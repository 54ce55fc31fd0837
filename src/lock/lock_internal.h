/*
 * What the lock files share: the item's attribute names, the acquisition
 * rule as a pure function (so its cases are unit-tested without a server),
 * and the conversions between an item and a pcf_lock_info.
 */
#ifndef PCF_LOCK_INTERNAL_H
#define PCF_LOCK_INTERNAL_H

#include <pthread.h>
#include <signal.h>

#include <pcf/lock.h>

#define LOCK_ATTR_KEY      "lock_key"
#define LOCK_ATTR_VERSION  "record_version"
#define LOCK_ATTR_EXPIRES  "expires_at"
#define LOCK_VERSION_CHARS 32 /* hex digits of a record version number or run id */

/*
 * What this process saw of a lock it waits for: the version first seen and
 * when (on its own monotonic clock). A lease counts from that moment, never
 * from a time written by another machine.
 */
typedef struct lock_observation {
	int valid;
	char version[LOCK_VERSION_CHARS + 1];
	long since_ms;
} lock_observation;

typedef enum lock_verdict {
	LOCK_TAKE_ABSENT,   /* no item: put if it is still absent */
	LOCK_TAKE_RELEASED, /* released: put if its version is unchanged */
	LOCK_TAKE_EXPIRED,  /* the same version seen for a full lease: put if unchanged */
	LOCK_OURS,          /* this run's own lock */
	LOCK_WAIT           /* held by a run that may be alive */
} lock_verdict;

/*
 * The acquisition rule. seen: the item read (NULL: absent); run_id: this
 * client's; obs: updated when a new version shows up; now_ms: this
 * process's monotonic clock.
 */
lock_verdict lock_decide(const pcf_lock_info *seen, const char *run_id, lock_observation *obs,
                         long now_ms);

/* How long to sleep between reads while waiting for a lock of this lease. */
long lock_poll_ms(long lease_ms);

/*
 * From the lock renewed last at last_ok_ms (the send time of the last
 * renewal that succeeded): whether the holder must stop changing things
 * now. True from five sixths of the lease on: renewals at a third of it
 * may fail once without effect, and the last sixth is kept for a change
 * already on its way.
 */
int lock_expiring(long last_ok_ms, long lease_ms, long now_ms);

/* An item (attribute values) as an info; 0, PCF_EBADRESPONSE or PCF_ENOMEM. */
int lock_info_from_item(pcf_lock_info *out, const cJSON *item, pcf_error *err);
/* An info as a new item (attribute values) with expires_at; NULL when out of memory. */
cJSON *lock_info_to_item(const pcf_lock_info *info, long long expires_at_s);

/* "locked by HOST pid N (run R, COMMAND, since T)" into err with PCF_ELOCKED. */
int lock_locked_error(pcf_error *err, const char *key, const pcf_lock_info *holder);

/* LOCK_VERSION_CHARS random hex digits into out (size > LOCK_VERSION_CHARS). */
int lock_random_hex(char *out, size_t size);

/* The current UTC time as "2026-11-30T11:08:44Z". */
void lock_utc_now(char *out, size_t size);

#endif
