/*
 * The fake flavor and fake clock of the engine's unit tests: what they fake
 * and why is said in fake_flavor.h.
 */
#include "fake_flavor.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

fake_res fake_table[FAKE_MAX];
size_t fake_count;
long fake_now;
int fake_real_sleep_us;
static int fake_in_flight;
int fake_max_in_flight;
char fake_log[4096];
static pthread_mutex_t fake_lock = PTHREAD_MUTEX_INITIALIZER;

long fake_clock_now(void *ctx)
{
	long t;
	(void)ctx;
	pthread_mutex_lock(&fake_lock);
	t = fake_now;
	pthread_mutex_unlock(&fake_lock);
	return t;
}

static void fake_clock_sleep(long ms, void *ctx)
{
	(void)ctx;
	if (fake_real_sleep_us)
		usleep((useconds_t)fake_real_sleep_us);
	pthread_mutex_lock(&fake_lock);
	fake_now += ms;
	pthread_mutex_unlock(&fake_lock);
}

const pcf_clock fake_clock = {fake_clock_now, fake_clock_sleep, NULL, 0};

void fake_reset(void)
{
	for (size_t i = 0; i < fake_count; i++)
		cJSON_Delete(fake_table[i].props);
	memset(fake_table, 0, sizeof(fake_table));
	fake_count = 0;
	fake_now = 1000000;
	fake_real_sleep_us = 0;
	fake_in_flight = fake_max_in_flight = 0;
	fake_log[0] = '\0';
}

fake_res *fake_get(const char *name)
{
	fake_res *r;
	pthread_mutex_lock(&fake_lock);
	for (size_t i = 0; i < fake_count; i++)
		if (strcmp(fake_table[i].name, name) == 0) {
			pthread_mutex_unlock(&fake_lock);
			return &fake_table[i];
		}
	cr_assert_lt(fake_count, FAKE_MAX);
	r = &fake_table[fake_count++];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->create_ms = 2000;
	r->update_ms = 500;
	r->delete_ms = 1000;
	pthread_mutex_unlock(&fake_lock);
	return r;
}

fake_res *fake_existing(const char *name, const char *props_json)
{
	fake_res *r = fake_get(name);
	r->exists = 1;
	r->status = PCF_STATE_RUNNING;
	r->props = cJSON_Parse(props_json);
	cr_assert_not_null(r->props);
	return r;
}

static void fake_note(const char *what, const char *name)
{
	size_t len;
	pthread_mutex_lock(&fake_lock);
	len = strlen(fake_log);
	snprintf(fake_log + len, sizeof(fake_log) - len, "%s%s:%s", len ? " " : "", what, name);
	pthread_mutex_unlock(&fake_lock);
}

/* Counts one call of an op on r and notes it in fake_log. */
static void fake_called(fake_res *r, int *counter, const char *what)
{
	(*counter)++;
	fake_note(what, r->name);
}

fake_res *fake_of(pcf_particle *p)
{
	return fake_get(pcf_particle_definition(p)->name);
}

static void fake_settle(fake_res *r)
{
	long now = fake_clock_now(NULL);
	if (!r->exists || r->status != PCF_STATE_PENDING || now < r->pending_until)
		return;
	if (r->deleting) {
		r->exists = 0;
		r->deleting = 0;
		cJSON_Delete(r->props);
		r->props = NULL;
	}
	r->status = PCF_STATE_RUNNING;
	if (r->running_at == 0) {
		r->running_at = now;
		__atomic_sub_fetch(&fake_in_flight, 1, __ATOMIC_SEQ_CST);
	}
}

static void fake_pend(fake_res *r, long ms)
{
	r->status = PCF_STATE_PENDING;
	r->pending_until = fake_clock_now(NULL) + ms;
}

static int fake_limit(fake_res *r, pcf_error *err)
{
	if (r->limit_answers <= 0)
		return 0;
	r->limit_answers--;
	/* Messages as the service words them (quoted in Terraform AWS provider PR #2274). */
	if (r->quota_reached)
		return pcf_error_set(err, PCF_ELIMIT_EXCEEDED,
		                     "Subscriber limit exceeded: There "
		                     "is a limit of 256 tables per subscriber");
	pcf_error_set(err, PCF_ELIMIT_EXCEEDED,
	              "Subscriber limit exceeded: Only 10 "
	              "tables can be created, updated, or deleted simultaneously");
	/* The service client's verdict (src/aws/errors.c): this one passes. */
	err->retryable = 1;
	return PCF_ELIMIT_EXCEEDED;
}

void fake_validate(const pcf_particle_def *def, pcf_diags *diags)
{
	const cJSON *size = cJSON_GetObjectItemCaseSensitive(def->aws_resource, "Size");
	if (size && !cJSON_IsNumber(size))
		pcf_particle_def_report(def, diags, "aws_resource.Size", "expected a number");
}

int fake_sync(pcf_state *state, cJSON **current, pcf_particle *p, pcf_error *err)
{
	fake_res *r = fake_of(p);
	r->syncs++;
	if (r->fail_sync)
		return pcf_error_set(err, PCF_ECONNECT, "connection refused");
	fake_settle(r);
	*current = NULL;
	if (!r->exists) {
		*state = PCF_STATE_MISSING;
		return 0;
	}
	*state = r->status;
	*current = cJSON_Duplicate(r->props, 1);
	if (r->status == PCF_STATE_PENDING)
		pcf_particle_set_pending_detail(p, "resource %s",
		                                r->deleting ? "DELETING" : "CREATING");
	if (r->status == PCF_STATE_UNAVAILABLE)
		pcf_particle_set_pending_detail(p, "ARCHIVED");
	return 0;
}

int fake_start(pcf_particle *p, pcf_error *err)
{
	fake_res *r = fake_of(p);
	int n;
	if (fake_limit(r, err) < 0)
		return PCF_ELIMIT_EXCEEDED;
	if (r->fail_start)
		return pcf_error_set(err, PCF_EVALIDATION, "fake start refused");
	fake_called(r, &r->starts, "start");
	r->exists = 1;
	cJSON_Delete(r->props);
	r->props = cJSON_Duplicate(pcf_particle_desired(p), 1);
	r->started_at = fake_clock_now(NULL);
	r->running_at = 0;
	n = __atomic_add_fetch(&fake_in_flight, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_lock(&fake_lock);
	if (n > fake_max_in_flight)
		fake_max_in_flight = n;
	pthread_mutex_unlock(&fake_lock);
	fake_pend(r, r->create_ms);
	return 0;
}

static int fake_stop(pcf_particle *p, pcf_error *err)
{
	fake_res *r = fake_of(p);
	(void)err;
	fake_called(r, &r->stops, "stop");
	r->status = PCF_STATE_STOPPED;
	return 0;
}

int fake_terminate(pcf_particle *p, pcf_error *err)
{
	fake_res *r = fake_of(p);
	if (fake_limit(r, err) < 0)
		return PCF_ELIMIT_EXCEEDED;
	fake_called(r, &r->terminates, "terminate");
	r->deleting = 1;
	r->running_at = 1; /* not counted as in flight */
	fake_pend(r, r->delete_ms);
	return 0;
}

int fake_diff(pcf_drift *out, pcf_particle *p, const cJSON *current, pcf_error *err)
{
	static const char *const ignore[] = {"Ignored", NULL};
	pcf_diff_options o = {ignore, NULL, NULL};
	(void)err;
	return pcf_diff(out, pcf_particle_desired(p), current, &o);
}

static int fake_plan(pcf_plan *out, pcf_particle *p, const cJSON *current, pcf_error *err)
{
	pcf_drift drift;
	int rc = 0;
	pcf_drift_init(&drift);
	if (!current)
		return pcf_plan_add_take(out, "AfterStart", NULL, 0, "follow-up");
	rc = fake_diff(&drift, p, current, err);
	for (size_t i = 0; rc == 0 && i < drift.count; i++) {
		const char *key = drift.entries[i].path;
		cJSON *req = cJSON_CreateObject();
		unsigned flags = strcmp(key, "Key") == 0    ? PCF_STEP_REPLACE
		                 : strcmp(key, "Wipe") == 0 ? PCF_STEP_DESTRUCTIVE
		                                            : 0;
		cJSON_AddItemToObject(req, key, cJSON_Duplicate(drift.entries[i].desired, 1));
		rc = pcf_plan_add_take(out, "Update", req, flags, "%s changes", key);
	}
	pcf_drift_cleanup(&drift);
	return rc;
}

int fake_run_step(pcf_particle *p, const pcf_step *step, pcf_error *err)
{
	fake_res *r = fake_of(p);
	cJSON *kv;
	if (fake_limit(r, err) < 0)
		return PCF_ELIMIT_EXCEEDED;
	fake_called(r, &r->steps, "step");
	if (r->noop_steps)
		return 0;
	cJSON_ArrayForEach(kv, step->request)
	{
		cJSON_DeleteItemFromObjectCaseSensitive(r->props, kv->string);
		cJSON_AddItemToObject(r->props, kv->string, cJSON_Duplicate(kv, 1));
	}
	fake_pend(r, r->update_ms);
	return 0;
}

static char *fake_describe_start(pcf_particle *p)
{
	return strdup(pcf_particle_definition(p)->name);
}

/* What terminate deletes, named as the resource calls itself ("Name"). */
static char *fake_describe_terminate(pcf_particle *p)
{
	const cJSON *name = cJSON_GetObjectItem(pcf_particle_desired(p), "Name");
	char buf[128];
	snprintf(buf, sizeof(buf), "remove %s",
	         cJSON_IsString(name) ? name->valuestring : pcf_particle_definition(p)->name);
	return strdup(buf);
}

/* The ops both fake flavors have. */
#define FAKE_COMMON_OPS                                                                            \
	.validate = fake_validate, .sync_state = fake_sync, .start = fake_start,                   \
	.terminate = fake_terminate, .diff = fake_diff

const pcf_flavor_ops fake_ops = {
    FAKE_COMMON_OPS,
    .plan = fake_plan,
    .run_step = fake_run_step,
    .describe_start = fake_describe_start,
    .describe_terminate = fake_describe_terminate,
};

static const pcf_flavor_ops fake_stop_ops = {FAKE_COMMON_OPS, .stop = fake_stop};

const pcf_flavor fake_flavor = {"fake", PCF_FLAVOR_DELETES_DATA, "Create", "Delete", &fake_ops};
const pcf_flavor fake_stop_flavor = {"fakestop", 0, "Launch", "Destroy", &fake_stop_ops};
const pcf_flavor *const fake_flavors[2] = {&fake_flavor, &fake_stop_flavor};

pcf_definitions *fake_defs(const fake_spec *specs, size_t n)
{
	pcf_definitions *defs = calloc(1, sizeof(*defs));
	defs->particles = calloc(n, sizeof(pcf_particle_def));
	defs->count = n;
	for (size_t i = 0; i < n; i++) {
		pcf_particle_def *d = &defs->particles[i];
		const char *colon = strchr(specs[i].id, ':');
		d->id = strdup(specs[i].id);
		d->flavor = strndup(specs[i].id, (size_t)(colon - specs[i].id));
		d->name = strdup(colon + 1);
		d->desired_state = specs[i].desired;
		d->persist_on_termination = specs[i].persist_on_termination;
		d->persist_on_update = specs[i].persist_on_update;
		d->aws_resource = cJSON_Parse(specs[i].resource ? specs[i].resource : "{}");
		cr_assert_not_null(d->aws_resource, "bad JSON in spec %s", specs[i].id);
		if (specs[i].parents) {
			const char *s = specs[i].parents;
			d->parents = calloc(8, sizeof(char *));
			while (*s) {
				size_t len = strcspn(s, " ");
				d->parents[d->parent_count++] = strndup(s, len);
				s += len + (s[len] == ' ');
			}
		}
	}
	return defs;
}

void fake_defs_free(pcf_definitions *defs)
{
	for (size_t i = 0; i < defs->count; i++) {
		pcf_particle_def *d = &defs->particles[i];
		free(d->id);
		free(d->flavor);
		free(d->name);
		cJSON_Delete(d->aws_resource);
		for (size_t k = 0; k < d->parent_count; k++)
			free(d->parents[k]);
		free(d->parents);
	}
	free(defs->particles);
	free(defs);
}

pcf_engine *fake_engine(const pcf_definitions *defs, pcf_engine_options *o)
{
	pcf_engine *e = NULL;
	pcf_error err = PCF_ERROR_INIT;
	o->flavors = fake_flavors;
	o->flavor_count = 2;
	o->logger.level = PCF_LOG_ERROR;
	cr_assert_eq(pcf_engine_new(&e, defs, o, &err), 0, "%s", err.message);
	pcf_engine_set_clock(e, &fake_clock);
	return e;
}

const pcf_particle_report *report_of(const pcf_run_report *rr, const char *name)
{
	for (size_t i = 0; i < rr->count; i++)
		if (strcmp(rr->particles[i].def->name, name) == 0)
			return &rr->particles[i];
	cr_assert_fail("no report for %s", name);
	return NULL;
}

fake_run run;

void fake_run_end(void)
{
	pcf_run_report_free(run.rr);
	pcf_engine_free(run.engine);
	if (run.defs)
		fake_defs_free(run.defs);
	memset(&run, 0, sizeof(run));
	fake_reset();
}
