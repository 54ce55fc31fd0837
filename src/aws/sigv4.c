/*
 * SigV4 signing: canonical request -> string to sign -> signature.
 *
 * Percent-encoding uses libcurl's escaper, whose unreserved set
 * (A-Z a-z 0-9 - . _ ~) is exactly SigV4's UriEncode; SHA-256 and HMAC are
 * OpenSSL's. Query parameters are decoded before being re-encoded so that a
 * caller may pass them raw or already encoded and sign the same thing.
 */
#include "sigv4.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "src/common/buf.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"

static void hex_encode(char *out, const unsigned char *in, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0xf];
	}
	out[2 * len] = '\0';
}

void pcf_sigv4_sha256_hex(char out[65], const void *data, size_t len)
{
	unsigned char digest[SHA256_DIGEST_LENGTH];
	SHA256(data ? data : (const void *)"", len, digest);
	hex_encode(out, digest, sizeof(digest));
}

/* Appends text[0..len) percent-encoded; '/' is encoded too. */
static void put_encoded(pcf_buf *buf, const char *text, size_t len)
{
	char *escaped;

	if (len == 0)
		return;
	escaped = curl_easy_escape(NULL, text, (int)len);
	if (!escaped) {
		buf->failed = 1;
		return;
	}
	pcf_buf_puts(buf, escaped);
	curl_free(escaped);
}

/* Appends the decoded-then-encoded form of text[0..len). */
static void put_reencoded(pcf_buf *buf, const char *text, size_t len)
{
	int decoded_len = 0;
	char *decoded;

	if (len == 0)
		return;
	decoded = curl_easy_unescape(NULL, text, (int)len, &decoded_len);
	if (!decoded) {
		buf->failed = 1;
		return;
	}
	put_encoded(buf, decoded, (size_t)decoded_len);
	curl_free(decoded);
}

struct segment {
	const char *start;
	size_t len;
};

/* Splits path on '/', dropping empty and "." segments and resolving "..". */
static size_t normalized_segments(struct segment *segs, size_t max, const char *path)
{
	size_t n = 0;
	const char *p = path;

	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (n > 0)
				n--;
		} else if (len > 0 && !(len == 1 && p[0] == '.') && n < max) {
			segs[n].start = p;
			segs[n].len = len;
			n++;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return n;
}

static void put_canonical_path(pcf_buf *buf, const char *path, int normalize)
{
	size_t plen = strlen(path);

	if (plen == 0 || path[0] != '/') {
		pcf_buf_putc(buf, '/');
		if (plen == 0)
			return;
	}
	if (!normalize) {
		const char *p = path;
		while (*p) {
			const char *slash = strchr(p, '/');
			size_t len = slash ? (size_t)(slash - p) : strlen(p);
			put_encoded(buf, p, len);
			p += len;
			if (*p == '/') {
				pcf_buf_putc(buf, '/');
				p++;
			}
		}
		return;
	}

	struct segment *segs = calloc(plen + 1, sizeof(*segs));
	size_t n;
	if (!segs) {
		buf->failed = 1;
		return;
	}
	n = normalized_segments(segs, plen + 1, path);
	for (size_t i = 0; i < n; i++) {
		pcf_buf_putc(buf, '/');
		put_encoded(buf, segs[i].start, segs[i].len);
	}
	if (n == 0 || path[plen - 1] == '/')
		pcf_buf_putc(buf, '/');
	free(segs);
}

struct query_param {
	char *key;   /* encoded */
	char *value; /* encoded */
};

static int compare_params(const void *a, const void *b)
{
	const struct query_param *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : strcmp(x->value, y->value);
}

static char *encoded_copy(const char *text, size_t len)
{
	pcf_buf b = PCF_BUF_INIT;
	put_reencoded(&b, text, len);
	pcf_buf_puts(&b, "");
	return pcf_buf_detach(&b);
}

static int put_canonical_query(pcf_buf *buf, const char *query)
{
	size_t count = 1, n = 0;
	struct query_param *params;
	int rc = 0;

	if (!query || !*query)
		return 0;
	for (const char *p = query; *p; p++)
		count += *p == '&';
	params = calloc(count, sizeof(*params));
	if (!params)
		return PCF_ENOMEM;
	for (const char *p = query; *p;) {
		const char *amp = strchr(p, '&');
		size_t len = amp ? (size_t)(amp - p) : strlen(p);
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		if (len > 0) {
			params[n].key = encoded_copy(p, klen);
			params[n].value =
			    eq ? encoded_copy(eq + 1, len - klen - 1) : encoded_copy("", 0);
			if (!params[n].key || !params[n].value) {
				n++;
				rc = PCF_ENOMEM;
				goto out;
			}
			n++;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	qsort(params, n, sizeof(*params), compare_params);
	for (size_t i = 0; i < n; i++)
		pcf_buf_printf(buf, "%s%s=%s", i ? "&" : "", params[i].key, params[i].value);
out:
	for (size_t i = 0; i < n; i++) {
		free(params[i].key);
		free(params[i].value);
	}
	free(params);
	return rc;
}

struct canon_header {
	char *name; /* lowercase */
	const char *value;
	size_t order; /* position in the request, for a stable sort */
};

static int compare_headers(const void *a, const void *b)
{
	const struct canon_header *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Appends value trimmed, with each run of whitespace folded to one space. */
static void put_trimmed_value(pcf_buf *buf, const char *value)
{
	int pending_space = 0, started = 0;

	for (const char *p = value; *p; p++) {
		if (isspace((unsigned char)*p)) {
			pending_space = started;
			continue;
		}
		if (pending_space)
			pcf_buf_putc(buf, ' ');
		pending_space = 0;
		started = 1;
		pcf_buf_putc(buf, *p);
	}
}

/*
 * Appends the canonical headers block and its trailing newline to buf, and
 * the signed header list to signed_list.
 */
static int put_canonical_headers(pcf_buf *buf, pcf_buf *signed_list, const pcf_sigv4_header *extra,
                                 size_t extra_count, const pcf_sigv4_request *req)
{
	size_t total = req->header_count + extra_count, n = 0;
	struct canon_header *hs = calloc(total ? total : 1, sizeof(*hs));
	int rc = 0;

	if (!hs)
		return PCF_ENOMEM;
	for (size_t i = 0; i < total; i++, n++) {
		const pcf_sigv4_header *h =
		    i < req->header_count ? &req->headers[i] : &extra[i - req->header_count];
		hs[n].name = strdup(h->name);
		if (!hs[n].name) {
			rc = PCF_ENOMEM;
			n++;
			goto out;
		}
		for (char *c = hs[n].name; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		hs[n].value = h->value;
		hs[n].order = i;
	}
	qsort(hs, n, sizeof(*hs), compare_headers);
	for (size_t i = 0; i < n; i++) {
		int same_as_previous = i > 0 && strcmp(hs[i].name, hs[i - 1].name) == 0;
		if (same_as_previous) {
			pcf_buf_putc(buf, ',');
		} else {
			if (i > 0)
				pcf_buf_putc(buf, '\n');
			pcf_buf_printf(buf, "%s:", hs[i].name);
			pcf_buf_printf(signed_list, "%s%s", i ? ";" : "", hs[i].name);
		}
		put_trimmed_value(buf, hs[i].value);
	}
	pcf_buf_putc(buf, '\n');
out:
	for (size_t i = 0; i < n; i++)
		free(hs[i].name);
	free(hs);
	return rc;
}

static int has_host_header(const pcf_sigv4_request *req)
{
	for (size_t i = 0; i < req->header_count; i++)
		if (strcasecmp(req->headers[i].name, "host") == 0)
			return 1;
	return 0;
}

static void hmac_sha256(unsigned char out[32], const void *key, size_t key_len, const char *msg)
{
	unsigned int out_len = 32;
	HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, strlen(msg), out,
	     &out_len);
}

/* kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request") */
static int signing_key(unsigned char out[32], const char *secret, const char *date,
                       const char *region, const char *service)
{
	size_t slen = strlen(secret);
	char *k = malloc(slen + 5);
	unsigned char a[32], b[32];

	if (!k)
		return PCF_ENOMEM;
	memcpy(k, "AWS4", 4);
	memcpy(k + 4, secret, slen + 1);
	hmac_sha256(a, k, slen + 4, date);
	OPENSSL_cleanse(k, slen + 4);
	free(k);
	hmac_sha256(b, a, sizeof(a), region);
	hmac_sha256(a, b, sizeof(b), service);
	hmac_sha256(out, a, sizeof(a), "aws4_request");
	OPENSSL_cleanse(a, sizeof(a));
	OPENSSL_cleanse(b, sizeof(b));
	return 0;
}

static int build_canonical_request(pcf_buf *creq, pcf_buf *signed_list,
                                   const pcf_sigv4_request *req, const pcf_sigv4_header *extra,
                                   size_t extra_count)
{
	char payload_hash[65];
	int rc;

	pcf_buf_printf(creq, "%s\n", req->method);
	put_canonical_path(creq, req->path ? req->path : "/", req->normalize_path);
	pcf_buf_putc(creq, '\n');
	if ((rc = put_canonical_query(creq, req->query)) < 0)
		return rc;
	pcf_buf_putc(creq, '\n');
	if ((rc = put_canonical_headers(creq, signed_list, extra, extra_count, req)) < 0)
		return rc;
	pcf_sigv4_sha256_hex(payload_hash, req->payload, req->payload_len);
	pcf_buf_printf(creq, "\n%s\n%s", signed_list->data ? signed_list->data : "", payload_hash);
	return 0;
}

int pcf_sigv4_sign(pcf_sigv4_result *out, const pcf_sigv4_request *req,
                   const pcf_aws_credentials *creds, const char *region, const char *service,
                   time_t now, pcf_error *err)
{
	pcf_buf creq = PCF_BUF_INIT, signed_list = PCF_BUF_INIT, sts = PCF_BUF_INIT;
	pcf_sigv4_header extra[2];
	char date[9], creq_hash[65];
	unsigned char key[32], sig[32];
	struct tm tm;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!req->method || !creds || !creds->access_key_id || !creds->secret_access_key ||
	    !region || !service || !has_host_header(req))
		return pcf_error_set(err, PCF_EINVAL,
		                     "sigv4: request, credentials, region, "
		                     "service and a host header are required");
	if (!gmtime_r(&now, &tm))
		return pcf_error_set(err, PCF_EINVAL, "sigv4: time out of range");
	strftime(out->amz_date, sizeof(out->amz_date), "%Y%m%dT%H%M%SZ", &tm);
	memcpy(date, out->amz_date, 8);
	date[8] = '\0';
	extra[0].name = "x-amz-date";
	extra[0].value = out->amz_date;
	extra[1].name = "x-amz-security-token";
	extra[1].value = creds->session_token;

	rc = build_canonical_request(&creq, &signed_list, req, extra, creds->session_token ? 2 : 1);
	if (rc < 0 || pcf_buf_failed(&creq) || pcf_buf_failed(&signed_list))
		goto nomem;
	pcf_sigv4_sha256_hex(creq_hash, creq.data, creq.len);
	pcf_buf_printf(&sts, "%s\n%s\n%s/%s/%s/aws4_request\n%s", SIGV4_ALGORITHM, out->amz_date,
	               date, region, service, creq_hash);
	if (pcf_buf_failed(&sts) ||
	    signing_key(key, creds->secret_access_key, date, region, service) < 0)
		goto nomem;
	hmac_sha256(sig, key, sizeof(key), sts.data);
	OPENSSL_cleanse(key, sizeof(key));
	hex_encode(out->signature, sig, sizeof(sig));

	pcf_buf auth = PCF_BUF_INIT;
	pcf_buf_printf(&auth,
	               "%s Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=%s, "
	               "Signature=%s",
	               SIGV4_ALGORITHM, creds->access_key_id, date, region, service,
	               signed_list.data, out->signature);
	out->authorization = pcf_buf_detach(&auth);
	out->canonical_request = pcf_buf_detach(&creq);
	out->string_to_sign = pcf_buf_detach(&sts);
	pcf_buf_cleanup(&signed_list);
	if (!out->authorization || !out->canonical_request || !out->string_to_sign)
		goto nomem;
	return 0;
nomem:
	pcf_buf_cleanup(&creq);
	pcf_buf_cleanup(&signed_list);
	pcf_buf_cleanup(&sts);
	pcf_sigv4_result_cleanup(out);
	return pcf_error_set(err, PCF_ENOMEM, "sigv4: out of memory");
}

void pcf_sigv4_result_cleanup(pcf_sigv4_result *result)
{
	if (!result)
		return;
	free(result->canonical_request);
	free(result->string_to_sign);
	free(result->authorization);
	result->canonical_request = result->string_to_sign = result->authorization = NULL;
}
