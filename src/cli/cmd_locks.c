/*
 * Lease locks on the command line: the lock client of the changing
 * commands, `pcf locks` and `pcf unlock NAME... --yes`.
 *
 * With --lock-table (or PCF_LOCK_TABLE) apply, run, stop, terminate and
 * watch take each particle's lock before reading it and release it when
 * done (pcf/lock.h has the rule); plan and status never lock. The lock
 * table lives at the run's endpoint and region and is created on first
 * use. `unlock` is for a holder that is gone: a live holder renews its
 * lock within a third of its lease, and a release conditional on the
 * version read leaves such a lock alone.
 */
#include "src/cli/cli.h"
#include "src/common/util.h"

#include <stdlib.h>
#include <string.h>

/* How long creating the lock table may take. */
#define LOCK_TABLE_TIMEOUT_MS 120000

const char *pcf_cli_lock_table(const pcf_cli_context *ctx)
{
	return ctx->lock_table ? ctx->lock_table : pcf_util_getenv("PCF_LOCK_TABLE");
}

static int command_changes(const char *command)
{
	static const char *const changing[] = {"apply", "run", "stop", "terminate", "watch"};

	for (size_t k = 0; command && k < sizeof(changing) / sizeof(changing[0]); k++)
		if (!strcmp(command, changing[k]))
			return 1;
	return 0;
}

/* A lock client (and its DynamoDB client) on the run's endpoint and region. */
static int client_new(pcf_lock_client **out, pcf_ddb **db, const pcf_cli_context *ctx,
                      pcf_error *err)
{
	pcf_lock_options options = PCF_LOCK_OPTIONS_INIT;
	pcf_aws_options aws;
	int rc;

	*out = NULL;
	pcf_cli_aws_options(&aws, ctx);
	/* Not the run's deadline: a release after a timed-out run, and a watch's renewals
	 * hours after it started, must still go out. Each attempt keeps its own timeout. */
	aws.deadline_us = 0;
	rc = pcf_ddb_new(db, &aws, err);
	if (rc < 0)
		return rc;
	options.table = pcf_cli_lock_table(ctx);
	options.lease_ms = ctx->lock_lease_ms;
	options.wait_ms = ctx->lock_timeout_ms;
	options.command = ctx->command;
	options.logger = pcf_cli_logger(ctx);
	rc = pcf_lock_client_new(out, *db, &options, err);
	if (rc < 0) {
		pcf_ddb_free(*db);
		*db = NULL;
	}
	return rc;
}

int pcf_cli_lock_attach(pcf_cli_session *s, const pcf_cli_context *ctx, pcf_engine_options *options,
                        pcf_error *err)
{
	int rc;

	if (!pcf_cli_lock_table(ctx) || !command_changes(ctx->command))
		return 0;
	rc = client_new(&s->locks, &s->lock_db, ctx, err);
	if (rc < 0)
		return pcf_error_prefix(err, "lock table %s", pcf_cli_lock_table(ctx));
	rc = pcf_lock_ensure_table(s->locks, LOCK_TABLE_TIMEOUT_MS, err);
	if (rc < 0)
		return rc; /* the message names the lock table */
	pcf_lock_engine_guard(options, s->locks);
	return 0;
}

static cJSON *info_json(const pcf_lock_info *info)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddStringToObject(o, "key", info->key) ||
	    !cJSON_AddStringToObject(o, "host", info->host) ||
	    !cJSON_AddNumberToObject(o, "pid", (double)info->pid) ||
	    !cJSON_AddStringToObject(o, "run_id", info->run_id) ||
	    !cJSON_AddStringToObject(o, "command", info->command) ||
	    !cJSON_AddStringToObject(o, "taken_at", info->taken_at) ||
	    !cJSON_AddNumberToObject(o, "lease_seconds", (double)info->lease_ms / 1000.0) ||
	    !cJSON_AddStringToObject(o, "record_version", info->version)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static void print_info(const pcf_cli_context *ctx, const char *lead, const pcf_lock_info *info)
{
	fprintf(ctx->out, "%s%s  held by %s pid %ld (run %s, %s, since %s), lease %.1f s\n", lead,
	        info->key, info->host, info->pid, info->run_id, info->command, info->taken_at,
	        (double)info->lease_ms / 1000.0);
}

/* The client of locks/unlock, or an exit status after saying why not. */
static int admin_client(pcf_lock_client **c, pcf_ddb **db, const pcf_cli_context *ctx)
{
	pcf_error err = PCF_ERROR_INIT;

	*c = NULL;
	*db = NULL;
	if (!pcf_cli_lock_table(ctx))
		return pcf_cli_fail(ctx, "no lock table: give --lock-table NAME (or set "
		                         "PCF_LOCK_TABLE)");
	if (client_new(c, db, ctx, &err) < 0)
		return pcf_cli_error(ctx, &err, "setting up the DynamoDB client");
	return 0;
}

static int emit_list(const pcf_cli_context *ctx, const pcf_lock_info *infos, size_t count)
{
	cJSON *doc = cJSON_CreateObject(), *list;

	if (ctx->format != PCF_CLI_FORMAT_JSON) {
		for (size_t k = 0; k < count; k++)
			print_info(ctx, "", &infos[k]);
		if (!count)
			fprintf(ctx->out, "no locks held in table %s\n", pcf_cli_lock_table(ctx));
		cJSON_Delete(doc);
		return PCF_CLI_EXIT_OK;
	}
	if (!cJSON_AddStringToObject(doc, "table", pcf_cli_lock_table(ctx)) ||
	    !(list = cJSON_AddArrayToObject(doc, "locks"))) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	for (size_t k = 0; doc && k < count; k++)
		cJSON_AddItemToArray(list, info_json(&infos[k]));
	return pcf_cli_json_emit_take(ctx, doc) == 0
	           ? PCF_CLI_EXIT_OK
	           : pcf_cli_fail(ctx, "could not write the output");
}

int pcf_cli_locks(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_info *infos = NULL;
	pcf_lock_client *c;
	pcf_ddb *db;
	size_t count = 0;
	int rc;

	if (argc > 1)
		return pcf_cli_usage_error(ctx, "takes no operands, found '%s'", argv[1]);
	if ((rc = admin_client(&c, &db, ctx)) != 0)
		return rc;
	rc = pcf_lock_list(&infos, &count, c, &err);
	if (rc == PCF_ERESOURCE_NOT_FOUND)
		rc = 0; /* no table yet: nobody ever locked anything */
	rc = rc < 0 ? pcf_cli_error(ctx, &err, NULL) : emit_list(ctx, infos, count);
	pcf_lock_info_free(infos, count);
	pcf_lock_client_free(c);
	pcf_ddb_free(db);
	return rc;
}

/* The lock key a NAME of `unlock` means: a particle's, or a key as `locks` lists. */
static char *unlock_key(const pcf_cli_context *ctx, const pcf_definitions *defs, const char *name,
                        const char *region)
{
	const pcf_particle_def *def = defs ? pcf_definitions_find(defs, name) : NULL;

	if (def)
		return pcf_lock_particle_key(def, region);
	if (strchr(name, '/'))
		return strdup(name);
	pcf_cli_fail(ctx,
	             "'%s' is neither a particle of the definitions nor a lock key as 'pcf locks' "
	             "lists them (REGION/TABLE)",
	             name);
	return NULL;
}

/* Releases one; 0 or 1 (said why). */
static int unlock_one(const pcf_cli_context *ctx, pcf_lock_client *c, const char *key,
                      cJSON *released)
{
	pcf_error err = PCF_ERROR_INIT;
	pcf_lock_info was;

	if (pcf_lock_force_release(&was, c, key, &err) < 0) {
		pcf_cli_error(ctx, &err, NULL);
		return 1;
	}
	if (ctx->format == PCF_CLI_FORMAT_JSON)
		cJSON_AddItemToArray(released, info_json(&was));
	else
		print_info(ctx, "released ", &was);
	pcf_lock_info_cleanup(&was);
	return 0;
}

/* Definitions when some NAME needs them (no '/'); NULL otherwise or when none load. */
static pcf_definitions *names_definitions(const pcf_cli_context *ctx, int argc, char **argv)
{
	pcf_definitions *defs = NULL;

	for (int i = 1; i < argc; i++)
		if (!strchr(argv[i], '/'))
			return pcf_cli_load_definitions(&defs, ctx) == 0 ? defs : NULL;
	return NULL;
}

int pcf_cli_unlock(const pcf_cli_context *ctx, int argc, char **argv)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *released = cJSON_AddArrayToObject(doc, "released");
	pcf_definitions *defs = NULL;
	pcf_lock_client *c = NULL;
	pcf_ddb *db = NULL;
	int failed = 0, rc;

	if (argc < 2) {
		rc = pcf_cli_usage_error(ctx, "name the particles (or lock keys) to unlock");
		goto out;
	}
	if (!ctx->yes) {
		rc = pcf_cli_fail(ctx,
		                  "unlocking lets another run change what the holder may still be "
		                  "changing; check with 'pcf locks' that the holder is gone, "
		                  "then rerun with --yes");
		goto out;
	}
	if ((rc = admin_client(&c, &db, ctx)) != 0)
		goto out;
	defs = names_definitions(ctx, argc, argv);
	for (int i = 1; i < argc; i++) {
		char *key =
		    unlock_key(ctx, defs, argv[i], pcf_aws_client_region(pcf_ddb_transport(db)));

		failed |= !key || unlock_one(ctx, c, key, released);
		free(key);
	}
	rc = failed ? PCF_CLI_EXIT_ERROR : PCF_CLI_EXIT_OK;
	if (!failed && ctx->format == PCF_CLI_FORMAT_JSON) {
		rc = pcf_cli_json_emit_take(ctx, doc) == 0
		         ? PCF_CLI_EXIT_OK
		         : pcf_cli_fail(ctx, "could not write the output");
		doc = NULL;
	}
out:
	cJSON_Delete(doc);
	pcf_definitions_free(defs);
	pcf_lock_client_free(c);
	pcf_ddb_free(db);
	return rc;
}
