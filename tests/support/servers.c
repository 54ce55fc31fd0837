/*
 * Shared local servers for one integration test binary; see servers.h.
 */
#define PCF_TEST_SERVERS_NO_HOOKS
#include "servers.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static pcf_local_server running[2];

static const char *env_name(pcf_local_server_kind kind)
{
	return kind == PCF_LOCAL_DYNALITE ? "PCF_TEST_ENDPOINT_DYNALITE"
	                                  : "PCF_TEST_ENDPOINT_DYNAMODB_LOCAL";
}

void pcf_test_servers_up(void)
{
	char errbuf[512];

	curl_global_init(CURL_GLOBAL_DEFAULT);
	setenv("AWS_ACCESS_KEY_ID", "test", 0);
	setenv("AWS_SECRET_ACCESS_KEY", "test", 0);
	setenv("AWS_REGION", "us-east-1", 0);
	/* A developer's own ~/.aws must not leak into tests. */
	setenv("AWS_CONFIG_FILE", "/dev/null", 0);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 0);
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
	for (int k = 0; k < 2; k++) {
		pcf_local_server_kind kind = k ? PCF_LOCAL_DYNALITE : PCF_LOCAL_DYNAMODB_LOCAL;
		if (getenv(env_name(kind)))
			continue;
		if (pcf_local_server_start(&running[k], kind, NULL, errbuf, sizeof(errbuf))) {
			fprintf(stderr, "integration tests: %s\n", errbuf);
			pcf_test_servers_down();
			exit(1);
		}
		setenv(env_name(kind), running[k].endpoint, 1);
	}
}

void pcf_test_servers_down(void)
{
	for (int k = 0; k < 2; k++)
		pcf_local_server_stop(&running[k]);
}

const char *pcf_test_endpoint(pcf_local_server_kind kind)
{
	const char *e = getenv(env_name(kind));
	return e ? e : "http://127.0.0.1:1";
}

void pcf_test_table_name(char *buf, size_t size, const char *prefix)
{
	static unsigned counter;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, size, "%s-%ld-%u-%ld", prefix, (long)getpid(), ++counter,
	         (long)(ts.tv_nsec % 100000));
}
