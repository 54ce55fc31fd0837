/*
 * TLS certificate verification for https:// endpoints. The server is a
 * FAKE: `openssl s_server` with a self-signed certificate made for the
 * test, on loopback. It cannot answer DynamoDB requests; it only shows
 * whether pcf's TLS handshake accepts its certificate (it runs with -rev,
 * echoing each line reversed, and serves one connection).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pcf/aws.h>

static char dir[256];
static pid_t server;
static int port;

static void start_tls_server(void)
{
	char cmd[1024], path[512], line[256];

	snprintf(dir, sizeof(dir), "/tmp/pcf-tls-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd),
	         "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
	         "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -days 1 -keyout "
	         "'%s/key.pem' -out '%s/cert.pem' "
	         ">/dev/null 2>&1",
	         dir, dir);
	cr_assert_eq(system(cmd), 0, "openssl req failed");
	snprintf(path, sizeof(path), "%s/out.txt", dir);
	server = fork();
	cr_assert_geq(server, 0);
	if (server == 0) {
		char cert[512], key[512];
		snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
		snprintf(key, sizeof(key), "%s/key.pem", dir);
		if (!freopen(path, "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(127);
		execlp("openssl", "openssl", "s_server", "-accept", "127.0.0.1:0", "-cert", cert,
		       "-key", key, "-rev", "-naccept", "1", (char *)NULL);
		_exit(127);
	}
	/* Generous: under valgrind --trace-children the server starts slowly. */
	for (int i = 0; i < 3000 && port == 0; i++) {
		struct timespec ts = {0, 20 * 1000000L};
		FILE *f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (strncmp(line, "ACCEPT ", 7) == 0 && strrchr(line, ':'))
				port = (int)strtol(strrchr(line, ':') + 1, NULL, 10);
		if (f)
			fclose(f);
		nanosleep(&ts, NULL);
	}
	cr_assert_gt(port, 0, "openssl s_server did not start");
}

static void stop_tls_server(void)
{
	char cmd[300];
	if (server > 0) {
		kill(server, SIGTERM);
		waitpid(server, NULL, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static void setup(void)
{
	setenv("AWS_ACCESS_KEY_ID", "AKIDFAKE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "fake-secret", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	unsetenv("AWS_CA_BUNDLE");
	start_tls_server();
}

TestSuite(transport_tls, .init = setup, .fini = stop_tls_server);

static int call_with(int insecure, int max_attempts, const char *ca_bundle, pcf_error *err)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_aws_client *c = NULL;
	pcf_aws_response r;
	char url[64];
	int rc;

	snprintf(url, sizeof(url), "https://127.0.0.1:%d", port);
	o.endpoint = url;
	o.max_attempts = max_attempts;
	o.retry_base_delay_ms = 1;
	o.connect_timeout_ms = 60000;
	o.request_timeout_ms = 60000;
	o.insecure_skip_tls_verify = insecure;
	o.ca_bundle = ca_bundle;
	cr_assert_eq(pcf_aws_client_new(&c, &o, err), 0);
	rc = pcf_aws_call(&r, c, "ListTables", "{}", 2, err);
	if (rc == 0)
		pcf_aws_response_free(&r);
	pcf_aws_client_free(c);
	return rc;
}

Test(transport_tls, an_untrusted_certificate_is_refused_and_not_retried)
{
	pcf_error err = PCF_ERROR_INIT;
	/* A retry would find the one-connection server gone and fail differently. */
	cr_assert_eq(call_with(0, 2, NULL, &err), PCF_ETLS, "%s: %s", pcf_error_code_name(err.code),
	             err.message);
	cr_assert_eq(err.attempts, 1);
	cr_assert_eq(err.retryable, 0);
}

Test(transport_tls, skipping_verification_gets_past_the_handshake)
{
	pcf_error err = PCF_ERROR_INIT;
	/*
	 * s_server -rev completes the handshake, then echoes each line reversed:
	 * the request fails on that non-HTTP answer, after TLS.
	 */
	cr_assert_eq(call_with(1, 1, NULL, &err), PCF_EBADRESPONSE, "%s: %s",
	             pcf_error_code_name(err.code), err.message);
}

Test(transport_tls, a_certificate_from_a_trusted_ca_file_passes_verification)
{
	pcf_error err = PCF_ERROR_INIT;
	char cert[512];

	/* Verification stays on; the request fails only on s_server's non-HTTP answer. */
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	setenv("AWS_CA_BUNDLE", cert, 1);
	cr_assert_eq(call_with(0, 1, NULL, &err), PCF_EBADRESPONSE, "%s: %s",
	             pcf_error_code_name(err.code), err.message);
}
