/*
 * The credential chain. Every test runs with a temporary HOME and clean
 * AWS_* variables. The EC2 instance metadata service, the container
 * credentials endpoint and STS are FAKES on loopback
 * (tests/support/fake_http.c): no real one can run here.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fake_http.h"
#include "src/aws/credentials_chain.h"

static char home[256];

static const char *const aws_vars[] = {
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_CONFIG_FILE",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_METADATA_SERVICE_TIMEOUT",
    "AWS_METADATA_SERVICE_NUM_ATTEMPTS",
};

/* What a test resolves into, freed when it ends (each test is a process of its own). */
static pcf_aws_credentials creds = PCF_AWS_CREDENTIALS_INIT;
static pcf_error creds_err = PCF_ERROR_INIT;

static void setup(void)
{
	for (size_t i = 0; i < sizeof(aws_vars) / sizeof(aws_vars[0]); i++)
		unsetenv(aws_vars[i]);
	/* Never reach a real 169.254.169.254 from a test. */
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	snprintf(home, sizeof(home), "/tmp/pcf-creds-XXXXXX");
	cr_assert_not_null(mkdtemp(home));
	setenv("HOME", home, 1);
}

static void write_file(const char *rel, const char *text, int mode)
{
	char path[512], dir[512];
	snprintf(path, sizeof(path), "%s/%s", home, rel);
	snprintf(dir, sizeof(dir), "%s/.aws", home);
	mkdir(dir, 0700);
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

static void teardown(void)
{
	pcf_aws_credentials_cleanup(&creds);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", home);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(credentials, .init = setup, .fini = teardown);

/* Sets the variable `name` to the path of the file rel in the test's home. */
static void setenv_to_file(const char *name, const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", home, rel);
	setenv(name, path, 1);
}

/* Writes a shared config file whose only section holds a key pair. */
static void write_keys(const char *rel, const char *section, const char *akid, const char *secret)
{
	char text[256];

	snprintf(text, sizeof(text), "[%s]\naws_access_key_id = %s\naws_secret_access_key = %s\n",
	         section, akid, secret);
	write_file(rel, text, 0600);
}

static int resolve(pcf_aws_credentials *c, const char *profile, pcf_error *err)
{
	pcf_aws_credentials_context ctx = {profile, NULL, 2000, 0};
	return pcf_aws_credentials_chain_resolve(c, &ctx, err);
}

/* The chain must refuse with PCF_ECREDENTIALS and a message naming `needle`. */
static void expect_refusal(pcf_aws_credentials *c, const char *profile, pcf_error *err,
                           const char *needle)
{
	cr_assert_eq(resolve(c, profile, err), PCF_ECREDENTIALS, "%s", err->message);
	cr_assert(strstr(err->message, needle) != NULL, "missing \"%s\" in: %s", needle,
	          err->message);
}

/* The chain must resolve to the access key `akid`; `why` says what picked it. */
static void expect_key(pcf_aws_credentials *c, const char *profile, pcf_error *err,
                       const char *akid, const char *why)
{
	cr_assert_eq(resolve(c, profile, err), 0, "%s", err->message);
	cr_assert_str_eq(c->access_key_id, akid, "%s", why);
}

/* The resolved credentials carry this session token and expiry (0: none). */
static void expect_session(const pcf_aws_credentials *c, const char *token, time_t expiration)
{
	cr_assert_str_eq(c->session_token, token);
	cr_assert_eq(c->expiration, expiration);
}

/* Keys in the environment, which the chain tries first. */
static void set_environment_keys(void)
{
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecret", 1);
}

Test(credentials, environment_keys_and_token)
{
	set_environment_keys();
	setenv("AWS_SESSION_TOKEN", "envtoken", 1);
	write_keys(".aws/credentials", "default", "AKIDFILE", "filesecret");
	cr_assert_eq(resolve(&creds, NULL, NULL), 0);
	cr_assert_str_eq(creds.access_key_id, "AKIDENV", "the environment comes first");
	cr_assert_str_eq(creds.secret_access_key, "envsecret");
	expect_session(&creds, "envtoken", 0);
}

Test(credentials, half_an_environment_pair_stops_the_chain)
{
	setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
	write_keys(".aws/credentials", "default", "A", "B");
	expect_refusal(&creds, NULL, &creds_err, "AWS_SECRET_ACCESS_KEY");
}

Test(credentials, default_profile_from_the_credentials_file)
{
	write_file(".aws/credentials",
	           "# comment\n[default]\naws_access_key_id = AKIDFILE\n"
	           "aws_secret_access_key = filesecret\n"
	           "aws_session_token = filetoken\n",
	           0600);
	expect_key(&creds, NULL, &creds_err, "AKIDFILE", "");
	cr_assert_str_eq(creds.session_token, "filetoken");
	cr_assert_str_eq(creds.source, "profile default");
}

Test(credentials, named_profile_from_config_and_credentials_file_wins)
{
	write_file(".aws/config",
	           "[profile dev]\nregion = eu-west-1\naws_access_key_id = AKIDCONF\n"
	           "aws_secret_access_key = confsecret\n"
	           "[profile other]\naws_access_key_id = AKIDOTHER\n"
	           "aws_secret_access_key = othersecret\n",
	           0600);
	write_keys(".aws/credentials", "dev", "AKIDCRED", "credsecret");
	expect_key(&creds, "dev", &creds_err, "AKIDCRED", "");
	setenv("AWS_PROFILE", "other", 1);
	expect_key(&creds, NULL, &creds_err, "AKIDOTHER", "AWS_PROFILE selects the profile");
	expect_key(&creds, "dev", &creds_err, "AKIDCRED", "--profile wins over AWS_PROFILE");
}

Test(credentials, file_locations_from_the_environment)
{
	write_keys("elsewhere", "default", "AKIDELSE", "elsesecret");
	setenv_to_file("AWS_SHARED_CREDENTIALS_FILE", "elsewhere");
	expect_key(&creds, NULL, &creds_err, "AKIDELSE", "");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	write_keys("cfg", "profile p", "AKIDCFG", "s");
	setenv_to_file("AWS_CONFIG_FILE", "cfg");
	expect_key(&creds, "p", &creds_err, "AKIDCFG", "");
}

Test(credentials, named_profile_that_does_not_exist_is_an_error)
{
	write_keys(".aws/credentials", "default", "A", "B");
	expect_refusal(&creds, "nope", &creds_err, "profile \"nope\" not found");
	cr_assert(strstr(creds_err.message, "/.aws/credentials") != NULL, "names the files: %s",
	          creds_err.message);
}

/*
 * botocore (and so the AWS CLI) drops the environment providers when a
 * profile is named explicitly: --profile means that profile's keys, even
 * when AWS_ACCESS_KEY_ID is set.
 */
Test(credentials, explicit_profile_skips_the_environment_keys)
{
	set_environment_keys();
	write_keys(".aws/credentials", "dev", "AKIDDEV", "devsecret");
	expect_key(&creds, "dev", &creds_err, "AKIDDEV", "--profile dev signs with dev's keys");
	cr_assert_str_eq(creds.source, "profile dev");
}

Test(credentials, explicit_unknown_profile_is_an_error_even_with_environment_keys)
{
	set_environment_keys();
	expect_refusal(&creds, "nosuch", &creds_err, "profile \"nosuch\" not found");
	cr_assert_null(creds.access_key_id, "the environment keys were not used");
}

/* AWS_PROFILE alone is not explicit in botocore: keys in the environment still win. */
Test(credentials, aws_profile_variable_leaves_environment_keys_first)
{
	set_environment_keys();
	setenv("AWS_PROFILE", "dev", 1);
	write_keys(".aws/credentials", "dev", "AKIDDEV", "devsecret");
	expect_key(&creds, NULL, &creds_err, "AKIDENV", "");
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	pcf_aws_credentials_cleanup(&creds);
	expect_key(&creds, NULL, &creds_err, "AKIDDEV", "");
}

Test(credentials, credential_process_output_is_used)
{
	char config[1024];
	write_file("proc.sh",
	           "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", "
	           "\"SecretAccessKey\": \"procsecret\", \"SessionToken\": \"proctoken\", "
	           "\"Expiration\": \"2099-01-01T00:00:00Z\"}'\n",
	           0700);
	snprintf(config, sizeof(config), "[profile proc]\ncredential_process = %s/proc.sh\n", home);
	write_file(".aws/config", config, 0600);
	expect_key(&creds, "proc", &creds_err, "AKIDPROC", "");
	expect_session(&creds, "proctoken", 4070908800);
}

Test(credentials, failing_credential_process_says_why)
{
	write_file(".aws/config", "[default]\ncredential_process = sh -c 'exit 3'\n", 0600);
	expect_refusal(&creds, NULL, &creds_err, "credential_process exited with status 3");
	write_file(".aws/config", "[default]\ncredential_process = echo '{\"Version\": 2}'\n",
	           0600);
	expect_refusal(&creds, NULL, &creds_err, "Version");
}

Test(credentials, nothing_configured_lists_every_source)
{
	cr_assert_eq(resolve(&creds, NULL, &creds_err), PCF_ECREDENTIALS);
	const char *expect[] = {"environment: AWS_ACCESS_KEY_ID not set",
	                        "web identity: AWS_WEB_IDENTITY_TOKEN_FILE not set",
	                        "shared config files: profile \"default\" not found",
	                        "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	                        "instance metadata: disabled by AWS_EC2_METADATA_DISABLED"};
	for (size_t i = 0; i < 5; i++)
		cr_assert(strstr(creds_err.message, expect[i]) != NULL, "missing \"%s\" in: %s",
		          expect[i], creds_err.message);
}

/* --- FAKE STS, container endpoint and IMDS ------------------------------------ */

static void fake_sts(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	(void)payload;
	if (strcmp(req->method, "POST") == 0 &&
	    strstr(req->body, "Action=AssumeRoleWithWebIdentity") &&
	    strstr(req->body, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fpcf") &&
	    strstr(req->body, "WebIdentityToken=the-jwt")) {
		resp->content_type = "text/xml";
		resp->body =
		    "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>"
		    "<Credentials><AccessKeyId>ASIASTS</AccessKeyId>"
		    "<SecretAccessKey>sts&amp;secret</SecretAccessKey>"
		    "<SessionToken>ststoken</SessionToken>"
		    "<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
		    "</AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>";
		return;
	}
	resp->status = 400;
	resp->content_type = "text/xml";
	resp->body = "<ErrorResponse><Error><Code>InvalidIdentityToken</Code>"
	             "<Message>bad token</Message></Error></ErrorResponse>";
}

/* Starts the fake STS, points the chain at it and writes the good token. */
static pcf_fake_server *start_sts(void)
{
	pcf_fake_server *sts;

	cr_assert_eq(pcf_fake_server_start(&sts, fake_sts, NULL), 0);
	setenv("AWS_ENDPOINT_URL_STS", pcf_fake_server_url(sts), 1);
	write_file("token", "the-jwt\n", 0600);
	return sts;
}

Test(credentials, web_identity_through_a_fake_sts)
{
	pcf_fake_server *sts;

	sts = start_sts();
	setenv_to_file("AWS_WEB_IDENTITY_TOKEN_FILE", "token");
	setenv("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/pcf", 1);
	expect_key(&creds, NULL, &creds_err, "ASIASTS", "");
	cr_assert_str_eq(creds.secret_access_key, "sts&secret");
	expect_session(&creds, "ststoken", 4070908800);

	write_file("token", "wrong-jwt\n", 0600);
	expect_refusal(&creds, NULL, &creds_err, "InvalidIdentityToken");
	pcf_fake_server_stop(sts);
}

Test(credentials, profile_web_identity_through_a_fake_sts)
{
	pcf_fake_server *sts;
	char config[1024];

	sts = start_sts();
	snprintf(config, sizeof(config),
	         "[profile wi]\nrole_arn = arn:aws:iam::123456789012:role/pcf\n"
	         "web_identity_token_file = %s/token\n[profile broken]\n"
	         "web_identity_token_file = %s/token\n",
	         home, home);
	write_file(".aws/config", config, 0600);
	expect_key(&creds, "wi", &creds_err, "ASIASTS", "");
	expect_refusal(&creds, "broken", &creds_err, "no role_arn");
	pcf_fake_server_stop(sts);
}

static void fake_container(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	(void)payload;
	resp->content_type = "application/json";
	if (strcmp(req->path, "/creds") == 0 &&
	    strstr(req->headers, "Authorization: Bearer tok42")) {
		resp->body = "{\"AccessKeyId\":\"ASIACONT\",\"SecretAccessKey\":\"contsecret\","
		             "\"Token\":\"conttoken\",\"Expiration\":\"2099-01-01T00:00:00Z\"}";
		return;
	}
	resp->status = 401;
	resp->body = "{\"message\":\"no\"}";
}

Test(credentials, container_full_uri_with_a_token_file_through_a_fake_endpoint)
{
	pcf_fake_server *fake;
	char url[128];

	cr_assert_eq(pcf_fake_server_start(&fake, fake_container, NULL), 0);
	snprintf(url, sizeof(url), "%s/creds", pcf_fake_server_url(fake));
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	write_file("ctoken", "Bearer tok42\n", 0600);
	setenv_to_file("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "ctoken");
	expect_key(&creds, NULL, &creds_err, "ASIACONT", "");
	cr_assert_str_eq(creds.session_token, "conttoken");

	unsetenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong", 1);
	expect_refusal(&creds, NULL, &creds_err, "HTTP 401");
	pcf_fake_server_stop(fake);
}

Test(credentials, container_full_uri_over_http_must_be_local)
{
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://credentials.example.com/x", 1);
	expect_refusal(&creds, NULL, &creds_err, "neither loopback");
}

static void fake_imds(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	(void)payload;
	resp->content_type = "text/plain";
	if (strcmp(req->method, "PUT") == 0 && strcmp(req->path, "/latest/api/token") == 0 &&
	    strstr(req->headers, "X-aws-ec2-metadata-token-ttl-seconds: 21600")) {
		resp->body = "imds-session-token";
		return;
	}
	if (!strstr(req->headers, "X-aws-ec2-metadata-token: imds-session-token")) {
		resp->status = 401;
		return;
	}
	if (strcmp(req->path, "/latest/meta-data/iam/security-credentials/") == 0) {
		resp->body = "pcf-role\n";
		return;
	}
	if (strcmp(req->path, "/latest/meta-data/iam/security-credentials/pcf-role") == 0) {
		resp->body =
		    "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\",\"AccessKeyId\":\"ASIAIMDS\","
		    "\"SecretAccessKey\":\"imdssecret\",\"Token\":\"imdstoken\","
		    "\"Expiration\":\"2099-01-01T00:00:00Z\"}";
		return;
	}
	resp->status = 404;
}

Test(credentials, imdsv2_through_a_fake_metadata_service)
{
	pcf_fake_server *fake;

	cr_assert_eq(pcf_fake_server_start(&fake, fake_imds, NULL), 0);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", pcf_fake_server_url(fake), 1);
	expect_key(&creds, NULL, &creds_err, "ASIAIMDS", "");
	cr_assert_str_eq(creds.session_token, "imdstoken");
	cr_assert_str_eq(creds.source, "instance metadata");
	cr_assert_eq(pcf_fake_server_request_count(fake), 3);
	pcf_fake_server_stop(fake);
}

/* The fake IMDS above, failing the very first request with a 503. */
static void flaky_imds(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	if (req->index == 0) {
		resp->status = 503;
		return;
	}
	fake_imds(req, resp, payload);
}

Test(credentials, imds_attempts_come_from_the_environment)
{
	pcf_fake_server *fake;

	unsetenv("AWS_EC2_METADATA_DISABLED");
	cr_assert_eq(pcf_fake_server_start(&fake, flaky_imds, NULL), 0);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", pcf_fake_server_url(fake), 1);
	expect_refusal(&creds, NULL, &creds_err, "HTTP 503"); /* one attempt by default */
	pcf_fake_server_stop(fake);

	cr_assert_eq(pcf_fake_server_start(&fake, flaky_imds, NULL), 0);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", pcf_fake_server_url(fake), 1);
	setenv("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "2", 1);
	setenv("AWS_METADATA_SERVICE_TIMEOUT", "2", 1);
	expect_key(&creds, NULL, &creds_err, "ASIAIMDS", "");
	cr_assert_eq(pcf_fake_server_request_count(fake), 4);
	pcf_fake_server_stop(fake);
}

Test(credentials, unreachable_metadata_service_counts_as_absent)
{
	pcf_fake_server *fake;
	char url[64];

	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, NULL), 0);
	snprintf(url, sizeof(url), "%s", pcf_fake_server_url(fake));
	pcf_fake_server_stop(fake);
	unsetenv("AWS_EC2_METADATA_DISABLED");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", url, 1);
	expect_refusal(&creds, NULL, &creds_err, "instance metadata: no instance metadata service");
}

/* --- The cache ------------------------------------------------------------------ */

static int source_calls;
static time_t source_expiration;
static int source_fails;

static int counting_source(pcf_aws_credentials *out, const pcf_aws_credentials_context *ctx,
                           pcf_error *err)
{
	(void)ctx;
	source_calls++;
	if (source_fails)
		return pcf_error_set(err, PCF_ECREDENTIALS, "source is down");
	return pcf_aws_credentials_set(out, source_calls == 1 ? "FIRST" : "LATER", "s", "t",
	                               source_expiration, "test");
}

/* A quiet cache over counting_source, whose credentials expire `lifetime`
 * seconds from now; the counters start again. */
static pcf_aws_credentials_cache *counting_cache(time_t lifetime)
{
	/* The cache keeps the context's logger: it lives as long as the test. */
	static pcf_logger quiet = {NULL, PCF_LOG_ERROR, NULL};
	pcf_aws_credentials_context ctx = {NULL, &quiet, 0, 0};
	pcf_aws_credentials_cache *cache;

	source_calls = 0;
	source_fails = 0;
	source_expiration = time(NULL) + lifetime;
	cr_assert_eq(pcf_aws_credentials_cache_new(&cache, &ctx, counting_source, NULL), 0);
	return cache;
}

Test(credentials, cache_refreshes_credentials_close_to_expiry)
{
	pcf_aws_credentials_cache *cache = counting_cache(3600);

	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, NULL), 0);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, NULL), 0);
	cr_assert_eq(source_calls, 1, "an hour of validity left: cached");

	pcf_aws_credentials_cache_invalidate(cache);
	source_expiration = time(NULL) + 60;
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, NULL), 0);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, NULL), 0);
	cr_assert_eq(source_calls, 2, "a minute left, but just fetched: not asked again at once");
	pcf_aws_credentials_cache_set_retry_interval(cache, 0);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, NULL), 0);
	cr_assert_eq(source_calls, 3, "a minute left: refreshed");
	cr_assert_str_eq(creds.access_key_id, "LATER");

	source_fails = 1;
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, NULL), 0,
	             "a failed refresh keeps still-valid credentials");
	cr_assert_eq(source_calls, 4);
	cr_assert_str_eq(creds.access_key_id, "LATER");
	pcf_aws_credentials_cache_invalidate(cache);
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, &creds_err), PCF_ECREDENTIALS);
	cr_assert_str_eq(creds_err.message, "source is down");
	pcf_aws_credentials_cleanup(&creds);
	pcf_aws_credentials_cache_free(cache);
}

Test(credentials, expired_credentials_are_never_used)
{
	pcf_aws_credentials_cache *cache = counting_cache(-1);

	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, NULL), 0);
	source_fails = 1;
	cr_assert_eq(pcf_aws_credentials_cache_get(cache, &creds, NULL), PCF_ECREDENTIALS,
	             "expired ones are refetched at once, and not used when that fails");
	cr_assert_eq(source_calls, 2);
	pcf_aws_credentials_cleanup(&creds);
	pcf_aws_credentials_cache_free(cache);
}
