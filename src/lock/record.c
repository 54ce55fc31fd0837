/*
 * The lock record and the rule for taking it.
 *
 * The rule is Amazon's DynamoDB lock client's: a lock may be taken when
 * its item is absent, marked released, or when this process has seen the
 * same record version number for a full lease on its own clock (a live
 * holder writes a new version at every renewal, so an unchanged version
 * means nobody renewed it). No time written by another machine is ever
 * compared with this one's; taken_at is only shown to people.
 */
#include "src/lock/lock_internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

#include "src/common/util.h"

lock_verdict lock_decide(const pcf_lock_info *seen, const char *run_id, lock_observation *obs,
                         long now_ms)
{
	if (!seen)
		return LOCK_TAKE_ABSENT;
	if (seen->released)
		return LOCK_TAKE_RELEASED;
	if (seen->run_id && run_id && strcmp(seen->run_id, run_id) == 0)
		return LOCK_OURS;
	if (!obs->valid || strcmp(obs->version, seen->version ? seen->version : "") != 0) {
		/* A new version (or the first look): the lease starts counting now. */
		obs->valid = 1;
		snprintf(obs->version, sizeof(obs->version), "%s",
		         seen->version ? seen->version : "");
		obs->since_ms = now_ms;
		return LOCK_WAIT;
	}
	return now_ms - obs->since_ms >= seen->lease_ms ? LOCK_TAKE_EXPIRED : LOCK_WAIT;
}

long lock_poll_ms(long lease_ms)
{
	long ms = lease_ms / 4;

	if (ms < 200)
		return 200;
	return ms > 1000 ? 1000 : ms;
}

int lock_expiring(long last_ok_ms, long lease_ms, long now_ms)
{
	return now_ms - last_ok_ms >= lease_ms - lease_ms / 6;
}

static const char *str_of(const cJSON *item, const char *name)
{
	return pcf_util_json_str(cJSON_GetObjectItemCaseSensitive(item, name), "S");
}

static int long_of(long *out, const cJSON *item, const char *name)
{
	const char *text = pcf_util_json_str(cJSON_GetObjectItemCaseSensitive(item, name), "N");

	return text ? pcf_util_parse_long(out, text, 0, 1L << 40) : -1;
}

static int dup_into(char **out, const char *text)
{
	*out = strdup(text ? text : "");
	return *out ? 0 : PCF_ENOMEM;
}

int lock_info_from_item(pcf_lock_info *out, const cJSON *item, pcf_error *err)
{
	const cJSON *released = cJSON_GetObjectItemCaseSensitive(item, "released");
	const char *key = str_of(item, LOCK_ATTR_KEY), *version = str_of(item, LOCK_ATTR_VERSION);
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!key || !version || long_of(&out->lease_ms, item, "lease_ms") != 0)
		return pcf_error_set(err, PCF_EBADRESPONSE,
		                     "lock item %s lacks %s, %s or lease_ms: not written by pcf",
		                     key ? key : "(no key)", LOCK_ATTR_KEY, LOCK_ATTR_VERSION);
	if (long_of(&out->pid, item, "owner_pid") != 0)
		out->pid = 0;
	out->released = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(released, "BOOL"));
	if (dup_into(&out->key, key) || dup_into(&out->version, version) ||
	    dup_into(&out->host, str_of(item, "owner_host")) ||
	    dup_into(&out->run_id, str_of(item, "run_id")) ||
	    dup_into(&out->command, str_of(item, "command")) ||
	    dup_into(&out->taken_at, str_of(item, "taken_at")))
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (rc)
		pcf_lock_info_cleanup(out);
	return rc;
}

static cJSON *attr(const char *type, const char *text)
{
	cJSON *v = cJSON_CreateObject();

	if (v && !cJSON_AddStringToObject(v, type, text ? text : "")) {
		cJSON_Delete(v);
		return NULL;
	}
	return v;
}

static int add_attr(cJSON *item, const char *name, const char *type, const char *text)
{
	cJSON *v = attr(type, text);

	if (!v)
		return -1;
	cJSON_AddItemToObject(item, name, v);
	return 0;
}

static int add_number(cJSON *item, const char *name, long long n)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", n);
	return add_attr(item, name, "N", text);
}

cJSON *lock_info_to_item(const pcf_lock_info *info, long long expires_at_s)
{
	cJSON *item = cJSON_CreateObject(), *released = cJSON_CreateObject();
	int bad = !item || !released;

	if (!bad) {
		cJSON_AddBoolToObject(released, "BOOL", info->released ? 1 : 0);
		cJSON_AddItemToObject(item, "released", released);
		released = NULL;
	}
	bad = bad || add_attr(item, LOCK_ATTR_KEY, "S", info->key) ||
	      add_attr(item, LOCK_ATTR_VERSION, "S", info->version) ||
	      add_attr(item, "owner_host", "S", info->host) ||
	      add_attr(item, "run_id", "S", info->run_id) ||
	      add_attr(item, "command", "S", info->command) ||
	      add_attr(item, "taken_at", "S", info->taken_at) ||
	      add_number(item, "owner_pid", info->pid) ||
	      add_number(item, "lease_ms", info->lease_ms) ||
	      add_number(item, LOCK_ATTR_EXPIRES, expires_at_s);
	cJSON_Delete(released);
	if (bad) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

int lock_locked_error(pcf_error *err, const char *key, const pcf_lock_info *holder)
{
	return pcf_error_set(err, PCF_ELOCKED,
	                     "locked by %s pid %ld (run %s, %s, since %s) [lock %s]", holder->host,
	                     holder->pid, holder->run_id, holder->command, holder->taken_at, key);
}

int lock_random_hex(char *out, size_t size)
{
	unsigned char bytes[LOCK_VERSION_CHARS / 2];
	static const char digits[] = "0123456789abcdef";

	if (size <= LOCK_VERSION_CHARS || RAND_bytes(bytes, (int)sizeof(bytes)) != 1)
		return PCF_EINTERNAL;
	for (size_t i = 0; i < sizeof(bytes); i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[LOCK_VERSION_CHARS] = '\0';
	return 0;
}

void lock_utc_now(char *out, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, size, "unknown");
}

void pcf_lock_info_cleanup(pcf_lock_info *info)
{
	if (!info)
		return;
	free(info->key);
	free(info->host);
	free(info->run_id);
	free(info->version);
	free(info->command);
	free(info->taken_at);
	memset(info, 0, sizeof(*info));
}

void pcf_lock_info_free(pcf_lock_info *infos, size_t count)
{
	if (!infos)
		return;
	for (size_t i = 0; i < count; i++)
		pcf_lock_info_cleanup(&infos[i]);
	free(infos);
}
