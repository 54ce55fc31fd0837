/*
 * The lock client: taking, checking and releasing one lock per key.
 *
 * Taking reads the item (consistently) and asks lock_decide what the rule
 * allows; a take is a PutItem conditional on what was read, so of two
 * runs that read the same item one write wins and the other reads again.
 * While another run holds the lock, each attempt says when to look again,
 * until the wait (counted from the first attempt for that key) runs out;
 * the lock is taken over when its version stayed the same for a full
 * lease as this client observed it across attempts. An attempt never
 * sleeps, so the engine's guard waits on the engine's timer heap instead
 * of in a call thread; pcf_lock_acquire is the sleeping loop over
 * attempts. Checking never touches the network: the renewal thread keeps
 * each lock's state, and a lock not renewed for most of its lease counts
 * as lost even when nobody has taken it yet.
 */
#include "src/lock/client.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "src/common/util.h"

#define DEFAULT_LEASE_MS 20000
/* Renewed items outlive their last write by this much before TTL may delete them. */
#define EXPIRY_MARGIN_S 3600

long lock_now_ms(void)
{
	return (long)pcf_util_now_ms();
}

static int dup_option(char **out, const char *text)
{
	*out = NULL;
	if (!text)
		return 0;
	*out = strdup(text);
	return *out ? 0 : PCF_ENOMEM;
}

int pcf_lock_client_new(pcf_lock_client **out, pcf_ddb *db, const pcf_lock_options *options,
                        pcf_error *err)
{
	pcf_lock_client *c;
	pthread_condattr_t attr;
	int rc = PCF_ENOMEM;

	*out = NULL;
	if (!db || !options || !options->table || !options->table[0] || options->lease_ms < 0 ||
	    options->wait_ms < 0)
		return pcf_error_set(err, PCF_EINVAL,
		                     "a lock client needs a DynamoDB client, a lock table name and "
		                     "a lease and wait of 0 ms or more");
	c = calloc(1, sizeof(*c));
	if (!c || dup_option(&c->table, options->table) ||
	    dup_option(&c->command, options->command ? options->command : "pcf") ||
	    dup_option(&c->default_region, options->default_region))
		goto fail;
	rc = lock_random_hex(c->run_id, sizeof(c->run_id));
	if (rc)
		goto fail;
	c->db = db;
	c->lease_ms = options->lease_ms ? options->lease_ms : DEFAULT_LEASE_MS;
	c->wait_ms = options->wait_ms;
	c->logger = options->logger;
	c->pid = (long)getpid();
	if (gethostname(c->host, sizeof(c->host) - 1) != 0)
		snprintf(c->host, sizeof(c->host), "unknown-host");
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cond, &attr);
	pthread_condattr_destroy(&attr);
	*out = c;
	return 0;
fail:
	if (c) {
		free(c->table);
		free(c->command);
		free(c->default_region);
		free(c);
	}
	return pcf_error_set(err, rc,
	                     rc == PCF_ENOMEM ? "out of memory"
	                                      : "no random numbers for the lock's run id");
}

const char *pcf_lock_client_run_id(const pcf_lock_client *client)
{
	return client->run_id;
}

void pcf_lock_client_cancel(pcf_lock_client *client)
{
	if (client)
		client->cancelled = 1;
}

int lock_read(pcf_lock_info *out, int *found, pcf_lock_client *c, const char *key, pcf_error *err)
{
	cJSON *k = cJSON_CreateObject(), *params = cJSON_CreateObject(), *response = NULL;
	const cJSON *item;
	int rc = PCF_ENOMEM;

	*found = 0;
	if (!k || !params ||
	    !cJSON_AddStringToObject(cJSON_AddObjectToObject(k, LOCK_ATTR_KEY), "S", key) ||
	    !cJSON_AddBoolToObject(params, "ConsistentRead", 1)) {
		pcf_error_set(err, rc, "out of memory");
		goto out;
	}
	rc = pcf_ddb_get_item(&response, c->db, c->table, k, params, err);
	if (rc < 0)
		goto out;
	item = cJSON_GetObjectItemCaseSensitive(response, "Item");
	if (cJSON_IsObject(item)) {
		rc = lock_info_from_item(out, item, err);
		*found = rc == 0;
	}
out:
	cJSON_Delete(k);
	cJSON_Delete(params);
	cJSON_Delete(response);
	return rc;
}

/* The condition of a write: the item absent, or at version expected. */
static cJSON *condition(const char *expected)
{
	cJSON *p = cJSON_CreateObject(), *names, *values;

	if (!p)
		return NULL;
	names = cJSON_AddObjectToObject(p, "ExpressionAttributeNames");
	if (!expected) {
		if (!cJSON_AddStringToObject(p, "ConditionExpression",
		                             "attribute_not_exists(#k)") ||
		    !cJSON_AddStringToObject(names, "#k", LOCK_ATTR_KEY))
			goto fail;
		return p;
	}
	values = cJSON_AddObjectToObject(p, "ExpressionAttributeValues");
	if (!cJSON_AddStringToObject(p, "ConditionExpression", "#v = :v") ||
	    !cJSON_AddStringToObject(names, "#v", LOCK_ATTR_VERSION) ||
	    !cJSON_AddStringToObject(cJSON_AddObjectToObject(values, ":v"), "S", expected))
		goto fail;
	return p;
fail:
	cJSON_Delete(p);
	return NULL;
}

int lock_write(pcf_lock_client *c, const char *key, const char *expected, const char *taken_at,
               int released, char *new_version, pcf_error *err)
{
	pcf_lock_info info;
	cJSON *item = NULL, *params = condition(expected);
	int rc = lock_random_hex(new_version, LOCK_VERSION_CHARS + 1);

	if (rc < 0) {
		cJSON_Delete(params);
		return pcf_error_set(err, rc, "no random numbers for the lock's record version");
	}
	memset(&info, 0, sizeof(info));
	info.key = (char *)key;
	info.host = c->host;
	info.pid = c->pid;
	info.run_id = c->run_id;
	info.version = new_version;
	info.lease_ms = c->lease_ms;
	info.command = c->command;
	info.taken_at = (char *)taken_at;
	info.released = released;
	item =
	    lock_info_to_item(&info, (long long)time(NULL) + c->lease_ms / 1000 + EXPIRY_MARGIN_S);
	if (!item || !params)
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	else
		rc = pcf_ddb_put_item(NULL, c->db, c->table, item, params, err);
	cJSON_Delete(item);
	cJSON_Delete(params);
	return rc;
}

static held_lock *find(pcf_lock_client *c, const char *key)
{
	for (held_lock *h = c->locks; h; h = h->next)
		if (strcmp(h->key, key) == 0)
			return h;
	return NULL;
}

/* Whether h may still be acted on; called with c->mu held. */
static int held_state(pcf_lock_client *c, held_lock *h, pcf_error *err)
{
	long now = lock_now_ms();

	if (!h->lost && lock_expiring(h->last_ok_ms, c->lease_ms, now)) {
		char last[sizeof(h->why)];

		/* Cut to what fits beside the sentence around it. */
		snprintf(last, sizeof(last), "%.300s", h->why[0] ? h->why : "none answered");
		h->lost = 1;
		snprintf(h->why, sizeof(h->why),
		         "not renewed for %ld ms of its %ld ms lease (last renewal: %.300s), so "
		         "another run may take it over",
		         now - h->last_ok_ms, c->lease_ms, last);
		pcf_log(&c->logger, PCF_LOG_WARN, "lock %s lost: %s", h->key, h->why);
	}
	if (h->lost)
		return pcf_error_set(
		    err, PCF_ELOCK_LOST,
		    "lock %s in table %s lost: %s; stopped before changing it further", h->key,
		    c->table, h->why);
	return 0;
}

int pcf_lock_check(pcf_lock_client *client, const char *key, pcf_error *err)
{
	held_lock *h;
	int rc;

	pthread_mutex_lock(&client->mu);
	h = find(client, key);
	rc = h ? held_state(client, h, err)
	       : pcf_error_set(err, PCF_ENOTFOUND, "lock %s is not held by this run", key);
	pthread_mutex_unlock(&client->mu);
	return rc;
}

/* Writes the take and records the lock as held. */
static int take(pcf_lock_client *c, const char *key, const char *expected, pcf_error *err)
{
	held_lock *h = calloc(1, sizeof(*h));
	long sent = lock_now_ms();
	int rc;

	if (!h || !(h->key = strdup(key))) {
		free(h);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	lock_utc_now(h->taken_at, sizeof(h->taken_at));
	rc = lock_write(c, key, expected, h->taken_at, 0, h->version, err);
	if (rc == 0) {
		h->last_ok_ms = sent;
		pthread_mutex_lock(&c->mu);
		rc = lock_heartbeat_start(c, err);
		if (rc == 0) {
			h->next = c->locks;
			c->locks = h;
			h = NULL;
		}
		pthread_mutex_unlock(&c->mu);
		if (rc == 0)
			pcf_log(&c->logger, PCF_LOG_INFO, "took lock %s (lease %ld ms)", key,
			        c->lease_ms);
	}
	if (h) {
		free(h->key);
		free(h);
	}
	return rc;
}

/* Sleeps ms in slices, ending early when cancelled. */
static int nap(pcf_lock_client *c, long ms, pcf_error *err)
{
	while (ms > 0 && !c->cancelled) {
		long slice = ms < 100 ? ms : 100;

		pcf_util_sleep_ms(slice);
		ms -= slice;
	}
	return c->cancelled
	           ? pcf_error_set(err, PCF_ECANCELLED, "cancelled while waiting for a lock")
	           : 0;
}

/*
 * Held by another run: PCF_ELOCKED, final once the wait that ends at
 * deadline is over, else retryable with when to look again.
 */
static int held_elsewhere(pcf_lock_client *c, const char *key, const pcf_lock_info *holder,
                          long deadline, pcf_error *err)
{
	long left = deadline - lock_now_ms(), poll = lock_poll_ms(c->lease_ms);

	if (left <= 0)
		return lock_locked_error(err, key, holder);
	pcf_error_set(err, PCF_ELOCKED, "lock %s held by %s pid %ld (run %s, %s, since %s)", key,
	              holder->host, holder->pid, holder->run_id, holder->command, holder->taken_at);
	err->retryable = 1;
	err->retry_after_ms = poll < left ? poll : left;
	return PCF_ELOCKED;
}

/* One read and, when the rule allows, one take. 2: another run wrote between; read again. */
static int attempt(pcf_lock_client *c, const char *key, lock_observation *obs, long deadline,
                   pcf_error *err)
{
	pcf_lock_info seen;
	int found, rc;
	lock_verdict v;

	rc = lock_read(&seen, &found, c, key, err);
	if (rc < 0)
		return pcf_error_prefix(err, "reading lock %s in table %s", key, c->table);
	v = lock_decide(found ? &seen : NULL, c->run_id, obs, lock_now_ms());
	if (v == LOCK_WAIT) {
		rc = held_elsewhere(c, key, &seen, deadline, err);
	} else {
		rc = take(c, key, v == LOCK_TAKE_ABSENT ? NULL : seen.version, err);
		if (rc == 0 && v == LOCK_TAKE_EXPIRED)
			pcf_log(&c->logger, PCF_LOG_WARN,
			        "took over lock %s from %s pid %ld (run %s): not renewed for a "
			        "lease of %ld ms",
			        key, seen.host, seen.pid, seen.run_id, seen.lease_ms);
		if (rc == PCF_ECONDITIONAL_CHECK_FAILED) {
			pcf_error_clear(err);
			rc = 2;
		} else if (rc < 0) {
			pcf_error_prefix(err, "taking lock %s in table %s", key, c->table);
		}
	}
	if (found)
		pcf_lock_info_cleanup(&seen);
	return rc;
}

static lock_wait **find_wait(pcf_lock_client *c, const char *key)
{
	lock_wait **at = &c->waits;

	while (*at && strcmp((*at)->key, key) != 0)
		at = &(*at)->next;
	return at;
}

/* Ends the wait for key, if any; called with c->mu held. */
static void drop_wait(pcf_lock_client *c, const char *key)
{
	lock_wait **at = find_wait(c, key), *w = *at;

	if (!w)
		return;
	*at = w->next;
	free(w->key);
	free(w);
}

/*
 * 1 and the wait's observation and start when key is not held (a wait
 * starts now when none was going on), else what pcf_lock_check says.
 */
static int not_held(pcf_lock_client *c, const char *key, lock_wait *out, pcf_error *err)
{
	held_lock *h;
	lock_wait *w;
	int rc = 1;

	pthread_mutex_lock(&c->mu);
	h = find(c, key);
	w = *find_wait(c, key);
	if (h) {
		rc = held_state(c, h, err);
	} else if (!w) {
		w = calloc(1, sizeof(*w));
		if (w && (w->key = strdup(key)) != NULL) {
			w->first_ms = lock_now_ms();
			w->next = c->waits;
			c->waits = w;
		} else {
			free(w);
			w = NULL;
			rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		}
	}
	if (rc == 1)
		*out = *w;
	pthread_mutex_unlock(&c->mu);
	return rc;
}

int pcf_lock_try_acquire(pcf_lock_client *client, const char *key, pcf_error *err)
{
	pcf_error mine = PCF_ERROR_INIT;
	lock_wait w;
	int rc;

	/* Whether to keep waiting is read from the error, so there must be one. */
	if (!err)
		err = &mine;
	rc = not_held(client, key, &w, err);
	if (rc <= 0)
		return rc;
	/* Another run wrote between the read and the take: read again at once. */
	do
		rc = attempt(client, key, &w.obs, w.first_ms + client->wait_ms, err);
	while (rc == 2);
	pthread_mutex_lock(&client->mu);
	if (rc < 0 && err->retryable) {
		lock_wait *kept = *find_wait(client, key);

		if (kept)
			kept->obs = w.obs;
	} else {
		drop_wait(client, key);
	}
	pthread_mutex_unlock(&client->mu);
	return rc;
}

int pcf_lock_acquire(pcf_lock_client *client, const char *key, pcf_error *err)
{
	pcf_error mine = PCF_ERROR_INIT;
	int rc;

	if (!err)
		err = &mine;
	for (;;) {
		rc = pcf_lock_try_acquire(client, key, err);
		if (rc >= 0 || !err->retryable)
			return rc; /* final: the wait is over */
		if (rc == PCF_ELOCKED && (rc = nap(client, err->retry_after_ms, err)) == 0)
			continue;
		/* Cancelled, or the lock table refusing for now: this call gives up. */
		pthread_mutex_lock(&client->mu);
		drop_wait(client, key);
		pthread_mutex_unlock(&client->mu);
		return rc;
	}
}

int pcf_lock_release(pcf_lock_client *client, const char *key, pcf_error *err)
{
	char version[LOCK_VERSION_CHARS + 1];
	held_lock *h, **at;
	int rc;

	pthread_mutex_lock(&client->mu);
	drop_wait(client, key); /* a wait given up (a cancelled or timed-out run) ends too */
	for (at = &client->locks; *at && strcmp((*at)->key, key) != 0; at = &(*at)->next)
		;
	h = *at;
	if (h) {
		h->releasing = 1;
		while (h->in_flight)
			pthread_cond_wait(&client->cond, &client->mu);
		for (at = &client->locks; *at != h; at = &(*at)->next)
			;
		*at = h->next;
	}
	pthread_mutex_unlock(&client->mu);
	if (!h)
		return 0;
	/* Conditional on our last version: a lock taken over stays with its new holder. */
	rc = lock_write(client, key, h->version, h->taken_at, 1, version, err);
	if (rc == PCF_ECONDITIONAL_CHECK_FAILED) {
		pcf_log(&client->logger, PCF_LOG_INFO, "lock %s was not ours any more at release",
		        key);
		pcf_error_clear(err);
		rc = 0;
	} else if (rc < 0) {
		pcf_error_prefix(err, "releasing lock %s in table %s", key, client->table);
	}
	free(h->key);
	free(h);
	return rc;
}

void pcf_lock_client_free(pcf_lock_client *client)
{
	pcf_error err = PCF_ERROR_INIT;

	if (!client)
		return;
	lock_heartbeat_stop(client);
	while (client->locks) {
		char *key = strdup(client->locks->key);

		if (!key)
			break;
		if (pcf_lock_release(client, key, &err) < 0)
			pcf_log(&client->logger, PCF_LOG_WARN, "%s", err.message);
		free(key);
	}
	while (client->locks) {
		held_lock *h = client->locks;

		client->locks = h->next;
		free(h->key);
		free(h);
	}
	while (client->waits)
		drop_wait(client, client->waits->key);
	pthread_cond_destroy(&client->cond);
	pthread_mutex_destroy(&client->mu);
	free(client->table);
	free(client->command);
	free(client->default_region);
	free(client);
}
