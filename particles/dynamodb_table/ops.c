/*
 * The dynamodb_table operations: read the live table, create it, delete
 * it, compare it, plan and run the steps that converge it.
 *
 * sync_state reads only what the definition talks about: DescribeTable
 * always, DescribeTimeToLive, DescribeContinuousBackups and
 * ListTagsOfResource only when the definition names TTL, PITR or tags. A
 * field the definition omits is never drift, so there is nothing to gain
 * from reading it, and servers that lack a feature (dynoxide has no PITR,
 * dynalite no continuous backups) keep working for
 * definitions that do not use it. When the definition names a feature in
 * its "off" form and the server does not know the feature, off is what
 * the table has; when it asks for the feature on, the server's refusal is
 * the error the user sees. None of these operations waits: the engine
 * polls and backs off between them.
 */
#include "replicas.h"
#include "managed.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const start_keys[] = {"TableName",
                                         "AttributeDefinitions",
                                         "KeySchema",
                                         "LocalSecondaryIndexes",
                                         "GlobalSecondaryIndexes",
                                         "BillingMode",
                                         "ProvisionedThroughput",
                                         "StreamSpecification",
                                         "SSESpecification",
                                         "TableClass",
                                         "DeletionProtectionEnabled",
                                         "Tags",
                                         "OnDemandThroughput",
                                         "WarmThroughput",
                                         "ResourcePolicy",
                                         NULL};

/* CreateTable lists that may be given empty in a definition. */
static const char *const empty_means_none[] = {"Tags", "GlobalSecondaryIndexes",
                                               "LocalSecondaryIndexes"};

static const char *table_of(const pcf_particle *p)
{
	return pcf_table_str(pcf_particle_desired(p), "TableName");
}

/*
 * A write refused (or answered unreadably) after an earlier attempt's
 * answer was lost may have been made by that attempt: the transport marks
 * such failures (err->maybe_applied). They are no verdict; the engine's
 * next read, its diff and its no-progress guard judge the table as it is.
 */
static int judge_by_live_state(pcf_particle *p, const char *action, int rc, pcf_error *err)
{
	if (rc >= 0 || err == NULL || !err->maybe_applied)
		return rc;
	pcf_particle_log(p, PCF_LOG_INFO,
	                 "%s on table %s: %s after an attempt whose answer was lost; judging by "
	                 "the table as it is now",
	                 action, table_of(p), err->message);
	pcf_error_clear(err);
	return 0;
}

static int client_of(pcf_ddb **db, pcf_particle *p, pcf_error *err)
{
	return pcf_table_client(db, pcf_particle_services(p), pcf_particle_desired(p), err);
}

/*
 * Runs one describe call for a feature the definition names. rc is the
 * call's result; `on` says whether the definition wants the feature on;
 * `off` is the answer that means "disabled" for a server lacking it.
 */
static int feature_answer(cJSON **answer, int rc, int on, const char *off_json, const char *feature,
                          pcf_error *err)
{
	if (rc != PCF_EUNKNOWN_OPERATION)
		return rc;
	if (on) {
		pcf_error_prefix(
		    err, "the server does not support %s, which the definition enables", feature);
		return rc;
	}
	pcf_error_clear(err);
	*answer = cJSON_Parse(off_json);
	return *answer != NULL ? 0 : pcf_error_set(err, PCF_ENOMEM, "out of memory");
}

static int read_ttl(cJSON **out, pcf_ddb *db, const cJSON *want, pcf_error *err)
{
	const cJSON *spec = cJSON_GetObjectItemCaseSensitive(want, "TimeToLiveSpecification");
	int rc;
	if (spec == NULL)
		return 0;
	rc = pcf_ddb_describe_time_to_live(out, db, pcf_table_str(want, "TableName"), err);
	return feature_answer(out, rc, pcf_table_bool(spec, "Enabled") == 1,
	                      "{\"TimeToLiveStatus\":\"DISABLED\"}", "time to live", err);
}

static int read_backups(cJSON **out, pcf_ddb *db, const cJSON *want, pcf_error *err)
{
	const cJSON *spec =
	    cJSON_GetObjectItemCaseSensitive(want, "PointInTimeRecoverySpecification");
	int rc;
	if (spec == NULL)
		return 0;
	rc = pcf_ddb_describe_continuous_backups(out, db, pcf_table_str(want, "TableName"), err);
	return feature_answer(
	    out, rc, pcf_table_bool(spec, "PointInTimeRecoveryEnabled") == 1,
	    "{\"PointInTimeRecoveryDescription\":{\"PointInTimeRecoveryStatus\":\"DISABLED\"}}",
	    "point-in-time recovery", err);
}

static int read_tags(cJSON **out, pcf_ddb *db, const cJSON *want, const cJSON *desc, pcf_error *err)
{
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(want, "Tags");
	const char *arn = pcf_table_str(desc, "TableArn");
	int rc;
	if (tags == NULL)
		return 0;
	if (arn == NULL)
		return pcf_error_set(err, PCF_EBADRESPONSE, "DescribeTable answered no TableArn");
	rc = pcf_ddb_list_tags_of_resource(out, db, arn, err);
	return feature_answer(out, rc, cJSON_GetArraySize(tags) > 0, "[]", "tags", err);
}

/* The settings each replica's own region holds; a pending table (whose
 * replica regions may not answer yet) is judged by what could be read. */
static int read_replicas(pcf_particle *p, pcf_state state, cJSON *current, pcf_error *err)
{
	int rc = pcf_table_replicas_read(current, pcf_particle_desired(p), pcf_particle_services(p),
	                                 err);
	if (rc < 0 && state == PCF_STATE_PENDING) {
		pcf_error_clear(err);
		rc = 0;
	}
	return rc;
}

static int sync_state(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err)
{
	const cJSON *want = pcf_particle_desired(p);
	cJSON *desc = NULL, *ttl = NULL, *backups = NULL, *tags = NULL, *policy = NULL;
	pcf_ddb *db;
	char why[256];
	int rc;

	*current = NULL;
	if ((rc = client_of(&db, p, err)) < 0)
		return rc;
	rc = pcf_ddb_describe_table(&desc, db, table_of(p), err);
	if (rc == PCF_ERESOURCE_NOT_FOUND) {
		pcf_error_clear(err);
		*state = PCF_STATE_MISSING;
		return 0;
	}
	if (rc < 0)
		return rc;
	*state = pcf_table_state(desc, why, sizeof(why));
	if (*state != PCF_STATE_RUNNING)
		pcf_particle_set_pending_detail(p, "%s", why);
	/* A pending table is read in full too: `pcf plan` judges a table being
	 * created or updated by what it will be. Unavailable or DELETING
	 * tables are never compared. */
	if (*state == PCF_STATE_RUNNING ||
	    (*state == PCF_STATE_PENDING && strcmp(why, "table DELETING") != 0)) {
		if ((rc = read_ttl(&ttl, db, want, err)) < 0 ||
		    (rc = read_backups(&backups, db, want, err)) < 0 ||
		    (rc = read_tags(&tags, db, want, desc, err)) < 0 ||
		    (rc = pcf_table_read_declared_policy(&policy, db, want, desc, err)) < 0) {
			if (*state == PCF_STATE_RUNNING)
				goto out;
			/* The engine waits anyway; the next read tells. */
			pcf_error_clear(err);
			rc = 0;
		}
	}
	*current = pcf_table_normalize(desc, ttl, backups, tags);
	if (pcf_table_attach_policy(*current, policy) < 0 || *current == NULL)
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
	else if (*state != PCF_STATE_UNAVAILABLE)
		rc = read_replicas(p, *state, *current, err);
	policy = NULL; /* taken by pcf_table_attach_policy */
	if (rc == 0 && *state == PCF_STATE_RUNNING)
		rc = pcf_table_sync_managed(p, state, *current, db, err);
	if (rc < 0) {
		cJSON_Delete(*current);
		*current = NULL;
	}
out:
	cJSON_Delete(policy);
	cJSON_Delete(desc);
	cJSON_Delete(ttl);
	cJSON_Delete(backups);
	cJSON_Delete(tags);
	return rc;
}

static int start(pcf_particle *p, pcf_error *err)
{
	cJSON *request = pcf_filter_keys(pcf_particle_desired(p), start_keys), *answer = NULL;
	pcf_ddb *db;
	int rc;

	if (request == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	/* An empty list means "none" (for an existing table, the planner deletes
	 * every unlisted index); CreateTable refuses to be told so and wants the
	 * key left out. */
	for (size_t i = 0; i < sizeof(empty_means_none) / sizeof(empty_means_none[0]); i++)
		if (cJSON_GetArraySize(
		        cJSON_GetObjectItemCaseSensitive(request, empty_means_none[i])) == 0)
			cJSON_DeleteItemFromObjectCaseSensitive(request, empty_means_none[i]);
	pcf_table_strip_managed(request);
	rc = pcf_table_policy_for_create(request) < 0
	         ? pcf_error_set(err, PCF_ENOMEM, "out of memory")
	         : client_of(&db, p, err);
	if (rc == 0)
		rc = pcf_ddb_create_table(&answer, db, request, err);
	if (rc == 0)
		pcf_table_offer_answer(p, answer, 1);
	if (rc == PCF_ERESOURCE_IN_USE) {
		/* Someone created it meanwhile: the engine's next read sees it. */
		pcf_particle_log(p, PCF_LOG_INFO, "table %s already exists", table_of(p));
		pcf_error_clear(err);
		rc = 0;
	}
	cJSON_Delete(answer);
	cJSON_Delete(request);
	return judge_by_live_state(p, "CreateTable", rc, err);
}

static int refuse_protected(const pcf_particle *p, pcf_error *err)
{
	return pcf_error_set(err, PCF_EREFUSED,
	                     "table %s has deletion protection enabled: pcf will not delete "
	                     "it (set DeletionProtectionEnabled: false and apply first)",
	                     table_of(p));
}

/*
 * Deletion refused for a table that is protected or in a state pcf leaves
 * alone. The engine decided on a read of a running table in this turn
 * (normalized, with DeletionProtectionEnabled always present): that read
 * answers, and the DeleteTable's own answer is the next state, so a delete
 * costs no DescribeTable of its own. Otherwise the table is read here.
 */
static int check_deletable(pcf_particle *p, pcf_ddb *db, int *gone, pcf_error *err)
{
	cJSON *desc = NULL;
	const cJSON *last;
	pcf_state state;
	const char *status;
	int rc;

	*gone = 0;
	if (pcf_particle_last_read(&state, &last, p) && state == PCF_STATE_RUNNING && last &&
	    pcf_table_bool(last, "DeletionProtectionEnabled") >= 0)
		return pcf_table_bool(last, "DeletionProtectionEnabled") == 1
		           ? refuse_protected(p, err)
		           : 0;
	rc = pcf_ddb_describe_table(&desc, db, table_of(p), err);
	if (rc == PCF_ERESOURCE_NOT_FOUND) {
		pcf_error_clear(err);
		*gone = 1;
		return 0;
	}
	if (rc < 0)
		return rc;
	status = pcf_table_str(desc, "TableStatus");
	if (pcf_table_bool(desc, "DeletionProtectionEnabled") == 1)
		rc = refuse_protected(p, err);
	else if (pcf_table_state(desc, NULL, 0) == PCF_STATE_UNAVAILABLE)
		rc = pcf_error_set(err, PCF_EUNAVAILABLE, "table %s is %s: pcf does not act on it",
		                   table_of(p), status);
	else if (status != NULL && !strcmp(status, "DELETING"))
		*gone = 1;
	cJSON_Delete(desc);
	return rc;
}

static int terminate(pcf_particle *p, pcf_error *err)
{
	const pcf_particle_def *def = pcf_particle_definition(p);
	cJSON *answer = NULL;
	pcf_ddb *db;
	int rc, gone;

	if (def->persist_on_termination)
		return pcf_error_set(
		    err, PCF_EREFUSED,
		    "table %s has persist_on_termination: true: pcf never deletes it", table_of(p));
	if ((rc = client_of(&db, p, err)) < 0 || (rc = check_deletable(p, db, &gone, err)) < 0)
		return rc;
	if (gone)
		return 0;
	rc = pcf_ddb_delete_table(&answer, db, table_of(p), err);
	if (rc == 0)
		pcf_table_offer_answer(p, answer, 0);
	cJSON_Delete(answer);
	if (rc == PCF_ERESOURCE_NOT_FOUND) {
		pcf_error_clear(err);
		rc = 0;
	}
	return judge_by_live_state(p, "DeleteTable", rc, err);
}

/*
 * A warm throughput floor below the live one is no drift and no step, but
 * the user is told (a warning, so that plan shows it without -v). diff
 * runs before every plan and again after each step of an apply, so the
 * particle keeps the notes last told and tells the same ones only once.
 */
static void tell_warm_notes(pcf_particle *p, const cJSON *want, const cJSON *current)
{
	char *notes = pcf_table_warm_notes(want, current), *told = pcf_particle_flavor_data(p);
	const char *line, *end;

	if (notes == NULL || (told != NULL && !strcmp(told, notes))) {
		free(notes);
		return;
	}
	for (line = notes; (end = strchr(line, '\n')) != NULL; line = end + 1)
		pcf_particle_log(p, PCF_LOG_WARN, "%.*s", (int)(end - line), line);
	free(told);
	pcf_particle_set_flavor_data(p, notes);
}

static void release(pcf_particle *p)
{
	free(pcf_particle_flavor_data(p));
	pcf_particle_set_flavor_data(p, NULL);
}

static int diff(pcf_drift *out, pcf_particle *p, const cJSON *current, pcf_error *err)
{
	cJSON *want = pcf_table_wanted(p, current);
	int rc;
	if (want == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	tell_warm_notes(p, want, current);
	pcf_table_settle(want, current, pcf_particle_definition(p));
	rc = pcf_table_diff(out, want, current);
	if (rc == 0)
		rc = pcf_table_drift_managed(out, want, current);
	cJSON_Delete(want);
	if (rc < 0)
		return pcf_error_set(err, rc, "out of memory comparing table %s", table_of(p));
	return 0;
}

/* A replacement deletes the table: refused outright where deleting is. */
static int check_replacement(pcf_particle *p, const pcf_plan *plan, const cJSON *current,
                             pcf_error *err)
{
	const pcf_step *s = plan->count > 0 ? &plan->steps[0] : NULL;
	if (s == NULL || !(s->flags & PCF_STEP_REPLACE))
		return 0;
	if (pcf_particle_definition(p)->persist_on_termination)
		return pcf_error_set(err, PCF_EREFUSED,
		                     "%s, but persist_on_termination: true forbids deleting it",
		                     s->summary);
	if (pcf_table_bool(current, "DeletionProtectionEnabled") == 1)
		return pcf_error_set(err, PCF_EREFUSED,
		                     "%s, but the table has deletion protection enabled",
		                     s->summary);
	return 0;
}

static int plan(pcf_plan *out, pcf_particle *p, const cJSON *current, pcf_error *err)
{
	cJSON *want = pcf_table_wanted(p, current);
	int rc;
	if (want == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	pcf_table_settle(want, current, pcf_particle_definition(p));
	rc = pcf_table_plan(out, want, current, err);
	cJSON_Delete(want);
	if (rc == 0)
		rc = check_replacement(p, out, current, err);
	return rc;
}

/*
 * AWS accepts about one UpdateTimeToLive per table an hour (a TTL rename is
 * a disable, then an enable). Its refusal is turned into what the user
 * needs: what state TTL is left in and from when a rerun can succeed.
 */
static void explain_ttl_refusal(pcf_particle *p, const pcf_step *step, pcf_error *err)
{
	const cJSON *spec =
	    cJSON_GetObjectItemCaseSensitive(step->request, "TimeToLiveSpecification");
	const char *attr = pcf_table_str(spec, "AttributeName");
	int enabling = pcf_table_bool(spec, "Enabled") == 1;
	time_t later = time(NULL) + 3600;
	struct tm tm;
	char when[32] = "an hour";

	if (strcmp(step->action, "UpdateTimeToLive") != 0 ||
	    strstr(err->message, "modified multiple times") == NULL)
		return;
	if (gmtime_r(&later, &tm) != NULL)
		strftime(when, sizeof(when), "%H:%M UTC", &tm);
	pcf_error_set(err, err->code,
	              "%s on table %s: TTL is %s on table %s: AWS allows about one TTL change "
	              "per table an hour and refused %s it on attribute %s; rerun apply after "
	              "%s (up to an hour after the last TTL change) to %s it",
	              step->action, table_of(p), enabling ? "off" : "still on", table_of(p),
	              enabling ? "enabling" : "disabling", attr != NULL ? attr : "?", when,
	              enabling ? "enable" : "disable");
}

static int run_step(pcf_particle *p, const pcf_step *step, pcf_error *err)
{
	const cJSON *request;
	cJSON *answer = NULL;
	pcf_ddb *db;
	int rc;

	if (pcf_table_is_autoscaling_action(step->action))
		return pcf_table_run_autoscaling(p, step, err);
	rc = pcf_table_step_target(&db, &request, p, step, err);
	if (rc == 0)
		rc = pcf_ddb_execute(&answer, db, step->action, request, err);
	/* A replica's region answers for its own copy, not for this table. */
	if (rc == 0 && request == step->request)
		pcf_table_offer_answer(
		    p, cJSON_GetObjectItemCaseSensitive(answer, "TableDescription"), 0);
	cJSON_Delete(answer);
	if (rc == PCF_ERESOURCE_NOT_FOUND && !strcmp(step->action, "DeleteTable")) {
		pcf_error_clear(err);
		rc = 0;
	}
	rc = judge_by_live_state(p, step->action, rc, err);
	if (rc == PCF_EVALIDATION && err != NULL &&
	    strstr(err->message, "modified multiple times") != NULL) {
		explain_ttl_refusal(p, step, err);
		return rc;
	}
	/* A server without the action cannot make this setting: say which, and
	 * the engine stops there instead of trying again. */
	if (rc == PCF_EUNKNOWN_OPERATION && err != NULL)
		pcf_error_prefix(err, "the server does not support %s (needed for %s)",
		                 step->action, step->summary);
	/* The engine names the action; this layer adds only the table. */
	if (rc < 0)
		pcf_error_prefix(err, "table %s", table_of(p));
	return rc;
}

static char *describe_start(pcf_particle *p)
{
	const cJSON *want = pcf_particle_desired(p);
	const char *mode = pcf_table_str(want, "BillingMode");
	char buf[512];
	snprintf(
	    buf, sizeof(buf), "create table %s (%s, %d global and %d local indexes)",
	    table_of(p) != NULL ? table_of(p) : "?", mode != NULL ? mode : "PROVISIONED",
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(want, "GlobalSecondaryIndexes")),
	    cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(want, "LocalSecondaryIndexes")));
	return strdup(buf);
}

static char *describe_terminate(pcf_particle *p)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "delete table %s (deletes every item)",
	         table_of(p) != NULL ? table_of(p) : "?");
	return strdup(buf);
}

const pcf_flavor_ops pcf_table_ops = {
    .validate = pcf_table_validate,
    .normalize = pcf_table_normalize_definition,
    .sync_state = sync_state,
    .start = start,
    .stop = NULL, /* stop means terminate for tables, as in PCF */
    .terminate = terminate,
    .diff = diff,
    .plan = plan,
    .run_step = run_step,
    .describe_start = describe_start,
    .lookup = NULL,
    .release = release,
    .resource_name = pcf_particles_table_resource_name,
    .describe_terminate = describe_terminate,
};
