/*
 * Region and endpoint resolution in DESIGN.md's order, with a temporary
 * HOME for the profile's region.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pcf/aws.h>

#include "src/aws/endpoint.h"

static char home[256];

static void setup(void)
{
	const char *vars[] = {"AWS_REGION",
	                      "AWS_DEFAULT_REGION",
	                      "AWS_PROFILE",
	                      "AWS_CONFIG_FILE",
	                      "AWS_SHARED_CREDENTIALS_FILE",
	                      "AWS_ENDPOINT_URL",
	                      "AWS_ENDPOINT_URL_DYNAMODB",
	                      "DYNAMODB_ENDPOINT",
	                      "AWS_MAX_ATTEMPTS",
	                      "DYNAMODB_MAX_RETRIES",
	                      "DYNAMODB_MAX_CLIENTS"};
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		unsetenv(vars[i]);
	snprintf(home, sizeof(home), "/tmp/pcf-endpoint-XXXXXX");
	cr_assert_not_null(mkdtemp(home));
	setenv("HOME", home, 1);
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(endpoint, .init = setup, .fini = teardown);

static void write_config(const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/.aws", home);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.aws/config", home);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void expect_region(const char *explicit_region, const char *profile, const char *want)
{
	char *r = NULL;
	cr_assert_eq(pcf_aws_resolve_region(&r, explicit_region, profile, NULL), 0);
	if (want)
		cr_assert_str_eq(r, want);
	else
		cr_assert_null(r);
	free(r);
}

Test(endpoint, region_order)
{
	expect_region(NULL, NULL, NULL);
	write_config("[default]\nregion = ap-south-1\n[profile dev]\nregion = eu-north-1\n");
	expect_region(NULL, NULL, "ap-south-1");
	expect_region(NULL, "dev", "eu-north-1");
	setenv("AWS_PROFILE", "dev", 1);
	expect_region(NULL, NULL, "eu-north-1");
	setenv("AWS_DEFAULT_REGION", "us-west-1", 1);
	expect_region(NULL, NULL, "us-west-1");
	setenv("AWS_REGION", "us-west-2", 1);
	expect_region(NULL, NULL, "us-west-2");
	expect_region("eu-west-3", NULL, "eu-west-3");
}

Test(endpoint, malformed_region_is_a_config_error)
{
	char *r = NULL;
	pcf_error err = PCF_ERROR_INIT;
	setenv("AWS_REGION", "us-east-1/../evil", 1);
	cr_assert_eq(pcf_aws_resolve_region(&r, NULL, NULL, &err), PCF_ECONFIG);
	cr_assert(strstr(err.message, "AWS_REGION") != NULL, "%s", err.message);
}

static void expect_endpoint(const char *explicit_url, const char *want_url, const char *want_host,
                            const char *want_source)
{
	pcf_aws_endpoint ep;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_aws_resolve_endpoint(&ep, explicit_url, "dynamodb", "eu-west-1", &err), 0,
	             "%s", err.message);
	cr_assert_str_eq(ep.url, want_url);
	cr_assert_str_eq(ep.host, want_host);
	cr_assert_str_eq(ep.source, want_source);
	pcf_aws_endpoint_cleanup(&ep);
}

Test(endpoint, endpoint_order)
{
	expect_endpoint(NULL, "https://dynamodb.eu-west-1.amazonaws.com/",
	                "dynamodb.eu-west-1.amazonaws.com", "default");
	setenv("DYNAMODB_ENDPOINT", "http://localhost:8001", 1);
	expect_endpoint(NULL, "http://localhost:8001/", "localhost:8001", "DYNAMODB_ENDPOINT");
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:8002", 1);
	expect_endpoint(NULL, "http://127.0.0.1:8002/", "127.0.0.1:8002", "AWS_ENDPOINT_URL");
	setenv("AWS_ENDPOINT_URL_DYNAMODB", "https://ddb.example.test", 1);
	expect_endpoint(NULL, "https://ddb.example.test/", "ddb.example.test",
	                "AWS_ENDPOINT_URL_DYNAMODB");
	expect_endpoint("http://[::1]:8000", "http://[::1]:8000/", "[::1]:8000", "--endpoint");
}

Test(endpoint, bad_endpoints_are_config_errors)
{
	pcf_aws_endpoint ep;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(
	    pcf_aws_resolve_endpoint(&ep, "ftp://example.com", "dynamodb", "us-east-1", &err),
	    PCF_ECONFIG);
	cr_assert(strstr(err.message, "http:// or https://") != NULL, "%s", err.message);
	cr_assert_eq(pcf_aws_resolve_endpoint(&ep, NULL, "dynamodb", NULL, &err), PCF_ECONFIG);
	cr_assert(strstr(err.message, "no region") != NULL, "%s", err.message);
}

Test(endpoint, client_resolves_once_and_reports)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;

	o.endpoint = "http://127.0.0.1:9";
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	cr_assert_str_eq(pcf_aws_client_endpoint(c), "http://127.0.0.1:9/");
	cr_assert_str_eq(pcf_aws_client_region(c), "us-east-1",
	                 "a local server signs with any region");
	pcf_aws_client_free(c);

	o.endpoint = NULL;
	o.region = "sa-east-1";
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	cr_assert_str_eq(pcf_aws_client_endpoint(c), "https://dynamodb.sa-east-1.amazonaws.com/");
	pcf_aws_client_free(c);

	o.region = NULL;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), PCF_ECONFIG);
	cr_assert_null(c);
	setenv("DYNAMODB_MAX_CLIENTS", "zero", 1);
	o.region = "us-east-1";
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), PCF_ECONFIG);
	cr_assert(strstr(err.message, "DYNAMODB_MAX_CLIENTS") != NULL);
}

/*
 * A named profile that exists in neither file stops the client before any
 * request, as botocore's ProfileNotFound does, whatever else is set.
 */
Test(endpoint, unknown_profile_is_refused_when_the_client_is_made)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;

	write_config("[profile dev]\nregion = eu-north-1\n");
	o.endpoint = "http://127.0.0.1:9";
	o.region = "us-west-2";
	o.profile = "nosuch";
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), PCF_ECONFIG);
	cr_assert_null(c);
	cr_assert(strstr(err.message, "profile \"nosuch\"") != NULL, "%s", err.message);
	cr_assert(strstr(err.message, "/.aws/config") != NULL, "names the files: %s", err.message);
	cr_assert(strstr(err.message, "/.aws/credentials") != NULL, "%s", err.message);

	o.profile = NULL;
	setenv("AWS_PROFILE", "nosuch", 1);
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), PCF_ECONFIG, "AWS_PROFILE too");
	setenv("AWS_PROFILE", "dev", 1);
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	pcf_aws_client_free(c);
	unsetenv("AWS_PROFILE");
	o.profile = "default";
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "a missing default profile is no error");
	pcf_aws_client_free(c);
}

/* Each malformed endpoint is refused with the value and what is wrong with it. */
Test(endpoint, malformed_endpoints_name_the_value_and_the_fault)
{
	static const char *const cases[][2] = {
	    {"localhost:8000", "no scheme"},
	    {"127.0.0.1", "no scheme"},
	    {"ftp://example.com", "http:// or https://"},
	    {"http://", "no host"},
	    {"not a url", "no scheme"},
	    {"http://exa mple.com", "not a valid URL"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		pcf_aws_endpoint ep;
		pcf_error err = PCF_ERROR_INIT;

		cr_assert_eq(pcf_aws_endpoint_parse(&ep, cases[k][0], &err), PCF_ECONFIG, "%s",
		             cases[k][0]);
		cr_assert(strstr(err.message, cases[k][0]) != NULL, "names the value: %s",
		          err.message);
		cr_assert(strstr(err.message, cases[k][1]) != NULL, "%s: expected '%s' in: %s",
		          cases[k][0], cases[k][1], err.message);
	}
}

/* A defaulted region is said once, at warning level, so it shows without -v. */
static void count_lines(pcf_log_level level, const char *line, void *payload)
{
	if (level <= PCF_LOG_WARN && strstr(line, "no region set; signing for us-east-1"))
		++*(int *)payload;
}

Test(endpoint, default_region_is_announced)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_error err = PCF_ERROR_INIT;
	int said = 0;

	o.endpoint = "http://127.0.0.1:9";
	o.logger.fn = count_lines;
	o.logger.payload = &said;
	o.logger.level = PCF_LOG_WARN;
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	pcf_aws_client_free(c);
	cr_assert_eq(said, 1);
	o.region = "eu-west-1";
	cr_assert_eq(pcf_aws_client_new(&c, &o, &err), 0, "%s", err.message);
	pcf_aws_client_free(c);
	cr_assert_eq(said, 1, "nothing to say when a region is set");
}
