/*
 * Who pcf signs as, for which region, and what stdout holds when a run
 * goes wrong: the built pcf binary against a FAKE DynamoDB endpoint
 * (tests/support/fake_http.c) that answers every request with an empty
 * ListTables page and keeps the headers it was sent. No open server
 * checks signatures or shows which access key signed, so this one is a
 * fake. The shared config files are temporary ones named through
 * AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE.
 */
#include "fake_http.h"
#include "cli_run.h"

static char dir[256], config_path[512], credentials_path[512], good[512], bad[512];
static pcf_fake_server *fake;

static const pcf_fake_response empty_page = {PCF_FAKE_RESPOND, 200, "{\"TableNames\":[]}", NULL,
                                             NULL};

static const char config_text[] = "[profile dev]\n"
                                  "region = eu-west-1\n";
static const char credentials_text[] = "[dev]\n"
                                       "aws_access_key_id = AKIDPROFILEDEV\n"
                                       "aws_secret_access_key = devsecretdevsecret\n";

static const char good_yaml[] =
    "pcf_name: orders\n"
    "flavor: dynamodb_table\n"
    "aws_resource:\n"
    "  TableName: orders\n" CLI_TABLE_KEY "  BillingMode: PAY_PER_REQUEST\n";

static const char bad_yaml[] = "pcf_name: broken\n"
                               "flavor: dynamodb_table\n"
                               "aws_resource:\n"
                               "  TableName: broken\n"
                               "  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
                               "  KeySchema: [{AttributeName: id, KeyType: PRIMARY}]\n"
                               "  BillingMode: PAY_PER_REQUEST\n";

static void setup(void)
{
	static const char *const unset[] = {"AWS_REGION",        "AWS_DEFAULT_REGION",
	                                    "AWS_PROFILE",       "AWS_SESSION_TOKEN",
	                                    "AWS_ENDPOINT_URL",  "AWS_ENDPOINT_URL_DYNAMODB",
	                                    "DYNAMODB_ENDPOINT", "AWS_WEB_IDENTITY_TOKEN_FILE"};

	for (size_t k = 0; k < sizeof(unset) / sizeof(unset[0]); k++)
		unsetenv(unset[k]);
	cli_tempdir(dir, sizeof(dir));
	cli_write(config_path, sizeof(config_path), dir, "config", config_text);
	cli_write(credentials_path, sizeof(credentials_path), dir, "credentials", credentials_text);
	cli_write(good, sizeof(good), dir, "good.yml", good_yaml);
	cli_write(bad, sizeof(bad), dir, "bad.yml", bad_yaml);
	setenv("AWS_CONFIG_FILE", config_path, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", credentials_path, 1);
	setenv("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "envsecretenvsecret", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	setenv("AWS_MAX_ATTEMPTS", "1", 1);
	cr_assert_eq(pcf_fake_server_start_script(&fake, NULL, 0, &empty_page), 0);
}

static void teardown(void)
{
	pcf_fake_server_stop(fake);
	fake = NULL;
	cli_rmdir(dir);
}

TestSuite(cli_identity, .init = setup, .fini = teardown);

static void authorization(char *out, size_t size, int index)
{
	cr_assert_eq(pcf_fake_server_request_header(fake, index, "Authorization", out, size), 0,
	             "request %d was not received", index);
}

/* --profile signs with the profile's keys, not AWS_ACCESS_KEY_ID (as the AWS CLI does). */
Test(cli_identity, explicit_profile_signs_with_its_own_keys)
{
	const char *args[] = {"--endpoint", pcf_fake_server_url(fake), "--profile", "dev", "tables",
	                      NULL};
	char auth[1024];
	cli_result r;

	cli_expect(&r, 0, args);
	authorization(auth, sizeof(auth), 0);
	cr_assert_not_null(strstr(auth, "Credential=AKIDPROFILEDEV/"), "%s", auth);
	cr_assert_not_null(strstr(auth, "/eu-west-1/dynamodb/"), "the profile's region: %s", auth);
	cli_result_free(&r);
}

/* An unknown profile stops the run before any request, naming the profile and the files. */
Test(cli_identity, unknown_profile_is_an_error)
{
	const char *args[] = {
	    "--endpoint", pcf_fake_server_url(fake), "--profile", "nosuch", "tables", NULL};
	cli_result r;

	cli_expect(&r, 1, args);
	cr_assert_not_null(strstr(r.err, "profile \"nosuch\""), "%s", r.err);
	cr_assert_not_null(strstr(r.err, config_path), "names the config file: %s", r.err);
	cr_assert_not_null(strstr(r.err, credentials_path), "%s", r.err);
	cr_assert_eq(pcf_fake_server_request_count(fake), 0, "nothing was sent");
	cli_result_free(&r);

	setenv("AWS_PROFILE", "nosuch", 1);
	cli_expect(&r, 1, args + 4);
	cr_assert_not_null(strstr(r.err, "profile \"nosuch\""), "AWS_PROFILE too: %s", r.err);
	cli_result_free(&r);
}

/* No region anywhere: said once on stderr, without -v, and us-east-1 is signed for. */
Test(cli_identity, default_region_is_said_once)
{
	const char *args[] = {"--endpoint", pcf_fake_server_url(fake), "tables", NULL};
	const char *with_region[] = {
	    "--endpoint", pcf_fake_server_url(fake), "--region", "ap-south-1", "tables", NULL};
	const char *note = "no region set; signing for us-east-1 (set --region or AWS_REGION)";
	char auth[1024];
	const char *first;
	cli_result r;

	unsetenv("AWS_CONFIG_FILE");
	setenv("HOME", dir, 1);
	cli_expect(&r, 0, args);
	first = strstr(r.err, note);
	cr_assert_not_null(first, "%s", r.err);
	cr_assert_null(strstr(first + 1, note), "said once: %s", r.err);
	authorization(auth, sizeof(auth), 0);
	cr_assert_not_null(strstr(auth, "/us-east-1/dynamodb/"), "%s", auth);
	cli_result_free(&r);

	cli_expect(&r, 0, with_region);
	cr_assert_null(strstr(r.err, "no region set"), "%s", r.err);
	cli_result_free(&r);
}

/* A malformed --endpoint is refused before definitions are read or anything is sent. */
Test(cli_identity, malformed_endpoint_is_refused_up_front)
{
	static const char *const cases[][2] = {
	    {"localhost:8000", "no scheme"},
	    {"ftp://example.com", "http:// or https://"},
	    {"http://", "no host"},
	    {"not a url", "no scheme"},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const char *args[] = {"--endpoint", cases[k][0],   "apply",
		                      "-f",         "missing.yml", NULL};
		cli_result r;

		cli_expect(&r, 1, args);
		cr_assert_not_null(strstr(r.err, cases[k][0]), "names the value: %s", r.err);
		cr_assert_not_null(strstr(r.err, cases[k][1]), "%s", r.err);
		cr_assert_null(strstr(r.err, "missing.yml"),
		               "refused before reading definitions: %s", r.err);
		cli_result_free(&r);
	}
}

/* stdout is one JSON document, whatever went wrong; checks its error code. */
static cJSON *expect_error_document(const char *const *args, int status, const char *code)
{
	cli_result r;
	cJSON *doc, *error;

	cli_expect(&r, status, args);
	doc = cli_json(&r);
	error = cJSON_GetObjectItem(doc, "error");
	cr_assert(cJSON_IsObject(error), "no error object: %s", r.out);
	cr_assert_str_eq(cJSON_GetObjectItem(error, "code")->valuestring, code, "%s", r.out);
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(error, "message")), "%s", r.out);
	cr_assert_null(strchr(r.out, '\t'), "indented with spaces: %s", r.out);
	cli_result_free(&r);
	return doc;
}

Test(cli_identity, json_output_is_one_document_in_every_case)
{
	const char *definitions[] = {"-o",   "json", "--endpoint", pcf_fake_server_url(fake),
	                             "plan", "-f",   bad,          NULL};
	const char *connection[] = {"-o",     "json", "--endpoint", "http://127.0.0.1:1",
	                            "tables", NULL};
	const char *usage[] = {"-o", "json", "plan", "--bogus", NULL};
	const char *global_usage[] = {"-o", "json", "plan", "--timeout", "soon", NULL};
	const char *profile[] = {"-o",     "json",       "--profile",
	                         "nosuch", "--endpoint", pcf_fake_server_url(fake),
	                         "tables", NULL};
	const char *tables[] = {"-o",     "json", "--endpoint", pcf_fake_server_url(fake),
	                        "tables", NULL};
	cJSON *doc, *problem;
	cli_result r;

	doc = expect_error_document(definitions, 1, "DEFINITION");
	problem = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "problems"), 0);
	cr_assert_not_null(problem, "the problems are listed");
	cr_assert_str_eq(cJSON_GetObjectItem(problem, "file")->valuestring, bad);
	cr_assert_eq(cJSON_GetObjectItem(problem, "line")->valueint, 6);
	cr_assert(cJSON_GetObjectItem(problem, "column")->valueint > 0);
	cr_assert_str_eq(cJSON_GetObjectItem(problem, "path")->valuestring,
	                 "aws_resource.KeySchema[0].KeyType");
	cr_assert(cJSON_IsString(cJSON_GetObjectItem(problem, "message")));
	cJSON_Delete(doc);
	cJSON_Delete(expect_error_document(connection, 1, "CONNECT"));
	cJSON_Delete(expect_error_document(usage, 1, "USAGE"));
	cJSON_Delete(expect_error_document(global_usage, 1, "USAGE"));
	cJSON_Delete(expect_error_document(profile, 1, "CONFIG"));

	cli_expect(&r, 0, tables);
	doc = cli_json(&r);
	cr_assert(cJSON_IsArray(cJSON_GetObjectItem(doc, "tables")), "%s", r.out);
	cJSON_Delete(doc);
	cli_result_free(&r);
}

/* -v: one line per request; -vv: the bodies too, secrets masked. */
Test(cli_identity, vv_shows_more_than_v)
{
	const char *v[] = {"-v", "--endpoint", pcf_fake_server_url(fake), "tables", NULL};
	const char *vv[] = {"-vv", "--endpoint", pcf_fake_server_url(fake), "tables", NULL};
	char auth[1024];
	const char *signature;
	cli_result r;

	cli_expect(&r, 0, v);
	cr_assert_not_null(strstr(r.err, "ListTables HTTP 200 in "), "%s", r.err);
	cr_assert_null(strstr(r.err, "TableNames"), "no bodies at -v: %s", r.err);
	cli_result_free(&r);

	cli_expect(&r, 0, vv);
	cr_assert_not_null(strstr(r.err, "ListTables HTTP 200 in "), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "TableNames"), "the response body at -vv: %s", r.err);
	cr_assert_not_null(strstr(r.err, "X-Amz-Target"), "the request at -vv: %s", r.err);
	cr_assert_null(strstr(r.err, "envsecretenvsecret"), "%s", r.err);
	authorization(auth, sizeof(auth), 1);
	signature = strstr(auth, "Signature=");
	cr_assert_not_null(signature, "%s", auth);
	cr_assert_null(strstr(r.err, signature + strlen("Signature=")),
	               "the signature is masked: %s", r.err);
	cli_result_free(&r);
}
