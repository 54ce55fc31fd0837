/*
 * The engine guard: a lock client as pcf_engine_options.before_change.
 *
 * The first call for a particle (the engine calls it before the particle's
 * first state read) takes its lock; while another run holds it, the call
 * answers "not yet, look again in N ms" (a retryable PCF_ELOCKED) and the
 * engine calls again on a later turn, so a waiting particle holds no call
 * thread; once the client's wait runs out the answer is final. Later
 * calls, before each change, only check that the lock is still held.
 * Taking it before the first read means every decision the engine makes
 * for the particle rests on a state read under the lock. particle_done
 * releases it.
 */
#include "src/lock/client.h"

#include <stdlib.h>
#include <string.h>

#include "src/common/util.h"

char *pcf_lock_particle_key(const pcf_particle_def *def, const char *default_region)
{
	const char *table = pcf_util_json_str(def->aws_resource, "TableName");
	const char *region = pcf_util_json_str(def->aws_resource, "region_name");

	if (!table)
		return pcf_util_format("particle/%s", def->id ? def->id : "?");
	if (!region)
		region = default_region ? default_region : "default";
	return pcf_util_format("%s/%s", region, table);
}

static char *key_of(pcf_lock_client *c, const pcf_particle *p)
{
	const char *region = c->default_region;

	if (!region)
		region = pcf_aws_client_region(pcf_ddb_transport(c->db));
	return pcf_lock_particle_key(pcf_particle_definition(p), region);
}

static int before_change(const pcf_particle *p, const char *action, pcf_error *err, void *payload)
{
	pcf_lock_client *c = payload;
	char *key = key_of(c, p);
	int rc;

	(void)action;
	if (!key)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	rc = pcf_lock_check(c, key, err);
	if (rc == PCF_ENOTFOUND) {
		pcf_error_clear(err);
		rc = pcf_lock_try_acquire(c, key, err);
	}
	free(key);
	return rc;
}

static void particle_done(const pcf_particle *p, void *payload)
{
	pcf_lock_client *c = payload;
	pcf_error err = PCF_ERROR_INIT;
	char *key = key_of(c, p);

	if (key && pcf_lock_release(c, key, &err) < 0)
		pcf_log(&c->logger, PCF_LOG_WARN,
		        "%s (it expires by itself after its lease of %ld ms)", err.message,
		        c->lease_ms);
	free(key);
}

void pcf_lock_engine_guard(pcf_engine_options *options, pcf_lock_client *client)
{
	options->before_change = before_change;
	options->particle_done = particle_done;
	options->guard_payload = client;
}
