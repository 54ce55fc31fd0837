/*
 * pcf_services: one DynamoDB client per region, made on first use, shared
 * by every thread that asks. No request is sent.
 */
#include <criterion/criterion.h>
#include <pcf/particles.h>
#include <pthread.h>
#include <string.h>

#include "fake_http.h"

static pcf_services *shared;

static void *ask(void *region)
{
	pcf_ddb *db = NULL;
	cr_assert_eq(pcf_services_ddb(&db, shared, region, NULL), 0);
	return db;
}

Test(services, one_client_per_region)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	char endpoint[] = "http://127.0.0.1:9";
	o.endpoint = endpoint;
	o.region = "us-east-1";
	cr_assert_eq(pcf_services_new(&shared, &o, &err), 0, "%s", err.message);
	endpoint[0] = 'X'; /* the base options were copied */
	cr_assert_eq(pcf_services_ddb(&a, shared, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_services_ddb(&b, shared, "", &err), 0);
	cr_assert_eq(pcf_services_ddb(&c, shared, "eu-west-1", &err), 0);
	cr_assert_eq(pcf_services_ddb(&d, shared, "eu-west-1", &err), 0);
	cr_assert_eq(a, b, "an empty region_name is the default region");
	cr_assert_eq(c, d);
	cr_assert_neq(a, c);
	cr_assert_str_eq(pcf_aws_client_region(pcf_ddb_transport(a)), "us-east-1");
	cr_assert_str_eq(pcf_aws_client_region(pcf_ddb_transport(c)), "eu-west-1");
	cr_assert(
	    strncmp(pcf_aws_client_endpoint(pcf_ddb_transport(c)), "http://127.0.0.1:9", 18) == 0,
	    "the endpoint was copied, not borrowed");
	pcf_services_free(shared);
	pcf_services_free(NULL);
}

Test(services, threads_asking_at_once_share_the_client)
{
	pthread_t threads[8];
	void *got[8];
	cr_assert_eq(pcf_services_new(&shared, NULL, NULL), 0);
	for (int i = 0; i < 8; i++)
		pthread_create(&threads[i], NULL, ask, "ap-south-1");
	for (int i = 0; i < 8; i++)
		pthread_join(threads[i], &got[i]);
	for (int i = 1; i < 8; i++)
		cr_assert_eq(got[i], got[0]);
	pcf_services_free(shared);
}

Test(services, credentials_in_the_base_options_are_copied)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_fake_server *fake;
	pcf_aws_response r;
	pcf_ddb *db = NULL;
	char key[] = "AKIABASEEXAMPLE", secret[] = "base-secret", auth[1024];

	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	o.endpoint = pcf_fake_server_url(fake);
	o.region = "us-east-1";
	o.access_key_id = key;
	o.secret_access_key = secret;
	cr_assert_eq(pcf_services_new(&shared, &o, &err), 0, "%s", err.message);
	/* A library user may reuse its buffers once pcf_services_new returned. */
	memset(key, 'X', sizeof(key) - 1);
	memset(secret, 'X', sizeof(secret) - 1);
	cr_assert_eq(pcf_services_ddb(&db, shared, NULL, &err), 0, "%s", err.message);
	cr_assert_eq(pcf_aws_call(&r, pcf_ddb_transport(db), "ListTables", "{}", 2, &err), 0, "%s",
	             err.message);
	pcf_aws_response_free(&r);
	cr_assert_eq(pcf_fake_server_request_header(fake, 0, "Authorization", auth, sizeof(auth)),
	             0);
	cr_assert(strstr(auth, "Credential=AKIABASEEXAMPLE/") != NULL, "%s", auth);
	pcf_services_free(shared);
	pcf_fake_server_stop(fake);
}

/* The CA file's name is copied too: the caller's buffer may be gone when a
 * region's client is made (AddressSanitizer shows the use after free). */
Test(services, the_ca_bundle_name_is_copied)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = NULL;
	char *ca = strdup("ca-bundle-that-is-not-read.pem");

	cr_assert_not_null(ca);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	o.endpoint = "http://127.0.0.1:1";
	o.region = "us-east-1";
	o.ca_bundle = ca;
	cr_assert_eq(pcf_services_new(&shared, &o, &err), 0, "%s", err.message);
	free(ca);
	cr_assert_eq(pcf_services_ddb(&db, shared, NULL, &err), 0, "%s", err.message);
	pcf_services_free(shared);
	shared = NULL;
}
