/*
 * SigV4 signing against AWS's published test suite (tests/vectors/sigv4/,
 * see its SOURCE) and hand-derived DynamoDB requests
 * (tests/vectors/sigv4/dynamodb/). Each case is a folder of data: the
 * request, its context, and the expected canonical request, string to
 * sign and signature.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "src/aws/sigv4.h"

#define MAX_HEADERS 16

static char *read_text(const char *dir, const char *name)
{
	char path[1024];
	FILE *f;
	long size;
	char *text;

	snprintf(path, sizeof(path), "%s/sigv4/%s/%s", PCF_TEST_DATA_DIR, dir, name);
	f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, (size_t)size + 1);
	cr_assert_eq(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	return text;
}

struct parsed_request {
	char *text; /* owns every string below */
	const char *method;
	const char *path;
	const char *query;
	pcf_sigv4_header headers[MAX_HEADERS];
	size_t count;
	const char *body;
	char *joined[MAX_HEADERS]; /* folded header values, owned */
};

/* Splits "METHOD URI HTTP/1.1\nName:value\n...\n\nbody" in place. */
static void parse_request(struct parsed_request *r, char *text)
{
	char *line_end = strchr(text, '\n'), *p, *last_space, *q;

	memset(r, 0, sizeof(*r));
	r->text = text;
	cr_assert_not_null(line_end);
	*line_end = '\0';
	r->method = text;
	p = strchr(text, ' ');
	*p++ = '\0';
	last_space = strrchr(p, ' ');
	*last_space = '\0';
	r->path = p;
	if ((q = strchr(p, '?'))) {
		*q = '\0';
		r->query = q + 1;
	}
	r->body = "";
	for (p = line_end + 1; *p;) {
		char *end = strchr(p, '\n');
		if (end)
			*end = '\0';
		if (*p == '\0') {
			r->body = end ? end + 1 : "";
			break;
		}
		if ((*p == ' ' || *p == '\t') && r->count > 0) {
			/* A folded line continues the previous header's value. */
			char *prev = (char *)r->headers[r->count - 1].value;
			size_t plen = strlen(prev), add = strlen(p);
			char *joined = malloc(plen + add + 2);
			memcpy(joined, prev, plen);
			joined[plen] = ' ';
			memcpy(joined + plen + 1, p, add + 1);
			r->headers[r->count - 1].value = joined;
			free(r->joined[r->count - 1]);
			r->joined[r->count - 1] = joined;
			cr_assert(plen + add < 4096);
		} else {
			char *colon = strchr(p, ':');
			cr_assert_not_null(colon);
			*colon = '\0';
			cr_assert_lt(r->count, MAX_HEADERS);
			r->headers[r->count].name = p;
			r->headers[r->count].value = colon + 1;
			r->count++;
		}
		if (!end)
			break;
		p = end + 1;
	}
}

static const char *json_string(const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void run_case(const char *name)
{
	char *context_text = read_text(name, "context.json");
	const char *end = NULL;
	cJSON *context = cJSON_ParseWithLengthOpts(context_text, strlen(context_text), &end, 0);
	cJSON *cj = cJSON_GetObjectItemCaseSensitive(context, "credentials");
	pcf_aws_credentials creds = PCF_AWS_CREDENTIALS_INIT;
	struct parsed_request r;
	pcf_sigv4_result sig;
	pcf_error err = PCF_ERROR_INIT;
	char body_hash[65];
	time_t now;

	cr_assert_not_null(context);
	cr_assert_eq(pcf_aws_parse_iso8601(&now, json_string(context, "timestamp")), 0);
	int omit_token =
	    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(context, "omit_session_token"));
	cr_assert_eq(pcf_aws_credentials_set(&creds, json_string(cj, "access_key_id"),
	                                     json_string(cj, "secret_access_key"),
	                                     omit_token ? NULL : json_string(cj, "token"), 0,
	                                     "test"),
	             0);
	parse_request(&r, read_text(name, "request.txt"));
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(context, "sign_body"))) {
		/* "sign_body" means the caller sends and signs x-amz-content-sha256. */
		pcf_sigv4_sha256_hex(body_hash, r.body, strlen(r.body));
		r.headers[r.count++] = (pcf_sigv4_header){"X-Amz-Content-Sha256", body_hash};
	}
	pcf_sigv4_request req = {
	    r.method,       r.path,
	    r.query,        r.headers,
	    r.count,        r.body,
	    strlen(r.body), cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(context, "normalize"))};
	cr_assert_eq(pcf_sigv4_sign(&sig, &req, &creds, json_string(context, "region"),
	                            json_string(context, "service"), now, &err),
	             0, "%s", err.message);

	char *creq = read_text(name, "header-canonical-request.txt");
	char *sts = read_text(name, "header-string-to-sign.txt");
	char *signature = read_text(name, "header-signature.txt");
	cr_expect_str_eq(sig.canonical_request, creq, "%s: canonical request", name);
	cr_expect_str_eq(sig.string_to_sign, sts, "%s: string to sign", name);
	cr_expect_str_eq(sig.signature, signature, "%s: signature", name);
	cr_expect(strstr(sig.authorization, signature) != NULL);

	for (size_t i = 0; i < MAX_HEADERS; i++)
		free(r.joined[i]);
	free(r.text);
	free(creq);
	free(sts);
	free(signature);
	pcf_sigv4_result_cleanup(&sig);
	pcf_aws_credentials_cleanup(&creds);
	cJSON_Delete(context);
	free(context_text);
}

/* Names are stored inline: Criterion re-runs the binary per test, so a
 * parameter must not point at another process's string literals. */
struct vector_case {
	char name[64];
};

static struct vector_case cases[] = {
    {"get-header-key-duplicate"},
    {"get-header-value-multiline"},
    {"get-header-value-order"},
    {"get-header-value-trim"},
    {"get-relative-normalized"},
    {"get-relative-relative-normalized"},
    {"get-relative-relative-unnormalized"},
    {"get-relative-unnormalized"},
    {"get-slash-dot-slash-normalized"},
    {"get-slash-dot-slash-unnormalized"},
    {"get-slash-normalized"},
    {"get-slash-pointless-dot-normalized"},
    {"get-slash-pointless-dot-unnormalized"},
    {"get-slash-unnormalized"},
    {"get-slashes-normalized"},
    {"get-slashes-unnormalized"},
    {"get-space-normalized"},
    {"get-space-unnormalized"},
    {"get-unreserved"},
    {"get-utf8"},
    {"get-vanilla"},
    {"get-vanilla-empty-query-key"},
    {"get-vanilla-query"},
    {"get-vanilla-query-order-encoded"},
    {"get-vanilla-query-order-key-case"},
    {"get-vanilla-query-unreserved"},
    {"get-vanilla-utf8-query"},
    {"get-vanilla-with-session-token"},
    {"post-header-key-case"},
    {"post-header-key-sort"},
    {"post-header-value-case"},
    {"post-sts-header-after"},
    {"post-sts-header-before"},
    {"post-vanilla"},
    {"post-vanilla-empty-query-value"},
    {"post-vanilla-query"},
    {"post-x-www-form-urlencoded"},
    {"post-x-www-form-urlencoded-parameters"},
    {"dynamodb/list-tables"},
    {"dynamodb/describe-table-session-token"},
};

ParameterizedTestParameters(sigv4, vectors)
{
	return cr_make_param_array(struct vector_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct vector_case *c, sigv4, vectors)
{
	run_case(c->name);
}

Test(sigv4, refuses_a_request_without_host)
{
	pcf_aws_credentials creds = PCF_AWS_CREDENTIALS_INIT;
	pcf_sigv4_header h = {"Content-Type", "application/x-amz-json-1.0"};
	pcf_sigv4_request req = {"POST", "/", NULL, &h, 1, "{}", 2, 1};
	pcf_sigv4_result sig;
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_aws_credentials_set(&creds, "AKID", "SECRET", NULL, 0, "test"), 0);
	cr_assert_eq(pcf_sigv4_sign(&sig, &req, &creds, "us-east-1", "dynamodb", 0, &err),
	             PCF_EINVAL);
	pcf_sigv4_result_cleanup(&sig);
	pcf_aws_credentials_cleanup(&creds);
}

Test(sigv4, authorization_names_key_scope_and_signed_headers)
{
	pcf_aws_credentials creds = PCF_AWS_CREDENTIALS_INIT;
	pcf_sigv4_header h[] = {{"Host", "localhost:8000"},
	                        {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
	pcf_sigv4_request req = {"POST", "/", NULL, h, 2, "{}", 2, 1};
	pcf_sigv4_result sig;

	cr_assert_eq(pcf_aws_credentials_set(&creds, "AKID", "SECRET", "TOKEN", 0, "test"), 0);
	cr_assert_eq(pcf_sigv4_sign(&sig, &req, &creds, "eu-west-1", "dynamodb", 86400, NULL), 0);
	cr_assert_str_eq(sig.amz_date, "19700102T000000Z");
	const char *prefix =
	    "AWS4-HMAC-SHA256 Credential=AKID/19700102/eu-west-1/dynamodb/aws4_request, "
	    "SignedHeaders=host;x-amz-date;x-amz-security-token;x-amz-target, Signature=";
	cr_assert(strncmp(sig.authorization, prefix, strlen(prefix)) == 0, "%s", sig.authorization);
	cr_assert_eq(strlen(sig.authorization), strlen(prefix) + 64);
	cr_assert(strstr(sig.authorization, "SECRET") == NULL);
	pcf_sigv4_result_cleanup(&sig);
	pcf_aws_credentials_cleanup(&creds);
}
