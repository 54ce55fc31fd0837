/*
 * pcf_services: one DynamoDB client per region, made on first use.
 *
 * Particles converge on several engine threads and each may name its own
 * region (PCF's region_name), so the set of clients grows while the engine
 * runs. A mutex guards the list; the clients themselves are thread-safe
 * and live until pcf_services_free, so a pointer handed out stays valid
 * without holding the lock. Every client shares the base transport
 * options (endpoint, profile, retries, instrumentation); only the region
 * differs. A region's Application Auto Scaling client (for tables whose
 * definition has AutoScaling) is made the same way on first use.
 */
#include "services.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "src/aws/endpoint.h"
#include "src/common/util.h"

typedef struct region_client {
	char *region; /* NULL: the default region */
	pcf_ddb *db;
	pcf_aas *aas; /* NULL until first asked for */
} region_client;

struct pcf_services {
	pcf_aws_options base;
	char *strings[9]; /* owned copies behind base's string fields */
	pthread_mutex_t lock;
	char *region;      /* the default region, once resolved; NULL: none */
	int region_looked; /* 1 once resolved (region may still be NULL) */
	region_client *clients;
	size_t count;
	size_t capacity;
};

static int copy_string(pcf_services *s, int slot, const char **field)
{
	if (*field == NULL)
		return 0;
	s->strings[slot] = strdup(*field);
	*field = s->strings[slot];
	return s->strings[slot] != NULL ? 0 : -1;
}

int pcf_services_new(pcf_services **out, const pcf_aws_options *base, pcf_error *err)
{
	static const pcf_aws_options defaults = PCF_AWS_OPTIONS_INIT;
	pcf_services *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	s->base = base != NULL ? *base : defaults;
	if (copy_string(s, 0, &s->base.endpoint) < 0 || copy_string(s, 1, &s->base.region) < 0 ||
	    copy_string(s, 2, &s->base.profile) < 0 || copy_string(s, 3, &s->base.service) < 0 ||
	    copy_string(s, 4, &s->base.target_prefix) < 0 ||
	    copy_string(s, 5, &s->base.access_key_id) < 0 ||
	    copy_string(s, 6, &s->base.secret_access_key) < 0 ||
	    copy_string(s, 7, &s->base.session_token) < 0 ||
	    copy_string(s, 8, &s->base.ca_bundle) < 0 || pthread_mutex_init(&s->lock, NULL) != 0) {
		for (size_t i = 0; i < sizeof(s->strings) / sizeof(s->strings[0]); i++)
			free(s->strings[i]);
		free(s);
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	}
	*out = s;
	return 0;
}

void pcf_services_free(pcf_services *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->count; i++) {
		pcf_ddb_free(s->clients[i].db);
		pcf_aas_free(s->clients[i].aas);
		free(s->clients[i].region);
	}
	free(s->clients);
	free(s->region);
	for (size_t i = 0; i < sizeof(s->strings) / sizeof(s->strings[0]); i++)
		free(s->strings[i]);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static int same_region(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && !strcmp(a, b));
}

/* Called with the lock held. */
static int add_client(pcf_ddb **out, pcf_services *s, const char *region, pcf_error *err)
{
	pcf_aws_options options = s->base;
	region_client entry = {NULL, NULL, NULL};
	int rc;

	if (pcf_util_grow((void **)&s->clients, &s->capacity, s->count, sizeof(*s->clients)) < 0)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (region != NULL && (entry.region = strdup(region)) == NULL)
		return pcf_error_set(err, PCF_ENOMEM, "out of memory");
	if (region != NULL)
		options.region = region;
	rc = pcf_ddb_new(&entry.db, &options, err);
	if (rc < 0) {
		free(entry.region);
		return rc;
	}
	s->clients[s->count++] = entry;
	*out = entry.db;
	return 0;
}

/* The region's entry, made when missing. Called with the lock held. */
static int find_region(region_client **out, pcf_services *s, const char *region, pcf_error *err)
{
	pcf_ddb *db;
	int rc;

	for (size_t i = 0; i < s->count; i++)
		if (same_region(s->clients[i].region, region)) {
			*out = &s->clients[i];
			return 0;
		}
	if ((rc = add_client(&db, s, region, err)) < 0)
		return rc;
	*out = &s->clients[s->count - 1];
	return 0;
}

/* The argument checks both lookups share; an empty region means the default one. */
static int check_lookup(pcf_services *s, const char **region, pcf_error *err)
{
	if (s == NULL)
		return pcf_error_set(err, PCF_EINVAL, "no services");
	if (*region != NULL && (*region)[0] == '\0')
		*region = NULL;
	return 0;
}

int pcf_services_ddb(pcf_ddb **out, pcf_services *s, const char *region, pcf_error *err)
{
	region_client *entry = NULL;
	int rc;

	*out = NULL;
	if ((rc = check_lookup(s, &region, err)) < 0)
		return rc;
	pthread_mutex_lock(&s->lock);
	rc = find_region(&entry, s, region, err);
	if (rc == 0)
		*out = entry->db;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

int pcf_services_autoscaling(pcf_aas **out, pcf_services *s, const char *region, pcf_error *err)
{
	region_client *entry = NULL;
	pcf_aws_options options;
	int rc;

	*out = NULL;
	if ((rc = check_lookup(s, &region, err)) < 0)
		return rc;
	pthread_mutex_lock(&s->lock);
	rc = find_region(&entry, s, region, err);
	if (rc == 0 && entry->aas == NULL) {
		options = s->base;
		if (region != NULL)
			options.region = region;
		rc = pcf_aas_new(&entry->aas, &options, err);
	}
	if (rc == 0)
		*out = entry->aas;
	pthread_mutex_unlock(&s->lock);
	return rc;
}

/*
 * Resolved as a client resolves it, but without making one: validate asks
 * offline, where a client would also want an endpoint. A region that
 * cannot be read (a malformed config file, an unknown profile) counts as
 * none here; the run's first client reports it.
 */
const char *pcf_services_region(pcf_services *s)
{
	pcf_error err = PCF_ERROR_INIT;
	const char *region;

	if (s == NULL)
		return NULL;
	pthread_mutex_lock(&s->lock);
	if (!s->region_looked) {
		/* Looked up once, found or not: validate asks for every particle. */
		if (pcf_aws_resolve_region(&s->region, s->base.region, s->base.profile, &err) < 0)
			s->region = NULL;
		s->region_looked = 1;
	}
	region = s->region;
	pthread_mutex_unlock(&s->lock);
	return region;
}
