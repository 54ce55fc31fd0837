/*
 * pcf-with-server: runs a command with a local DynamoDB server beside it.
 *
 *   pcf-with-server [--dynalite | --dynamodb-local | --both]
 *                   [--create-ms N] [--delete-ms N] [--update-ms N]
 *                   [--delay-transient-statuses] -- COMMAND [ARG...]
 *
 * The command sees AWS_ENDPOINT_URL_DYNAMODB (the first server),
 * PCF_TEST_ENDPOINT_DYNAMODB_LOCAL and/or PCF_TEST_ENDPOINT_DYNALITE, and
 * dummy credentials and a region when none are set. The servers are
 * stopped when the command ends, fails or is interrupted; the exit status
 * is the command's. Used by the demo, the benchmarks and the test script.
 */
#include "local_server.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static int usage(void)
{
	fprintf(stderr, "usage: pcf-with-server [--dynalite|--dynamodb-local|--both] "
	                "[--create-ms N] [--delete-ms N] [--update-ms N] "
	                "[--delay-transient-statuses] -- COMMAND [ARG...]\n");
	return 2;
}

static int parse_ms(const char *text, long *out)
{
	char *end;
	long v = strtol(text, &end, 10);
	if (*text == '\0' || *end != '\0' || v < 0)
		return -1;
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	pcf_local_server_options o = PCF_LOCAL_SERVER_OPTIONS_INIT;
	pcf_local_server servers[2];
	int want_local = 1, want_dynalite = 0, started = 0, i, status = 0, rc;
	char errbuf[512];

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--dynalite")) {
			want_local = 0;
			want_dynalite = 1;
		} else if (!strcmp(a, "--dynamodb-local")) {
			want_local = 1;
			want_dynalite = 0;
		} else if (!strcmp(a, "--both")) {
			want_local = want_dynalite = 1;
		} else if (!strcmp(a, "--delay-transient-statuses")) {
			o.delay_transient_statuses = 1;
		} else if (i + 1 < argc && !strcmp(a, "--create-ms")) {
			if (parse_ms(argv[++i], &o.create_table_ms))
				return usage();
		} else if (i + 1 < argc && !strcmp(a, "--delete-ms")) {
			if (parse_ms(argv[++i], &o.delete_table_ms))
				return usage();
		} else if (i + 1 < argc && !strcmp(a, "--update-ms")) {
			if (parse_ms(argv[++i], &o.update_table_ms))
				return usage();
		} else {
			return usage();
		}
	}
	if (i + 1 >= argc)
		return usage();

	curl_global_init(CURL_GLOBAL_DEFAULT);
	setenv("AWS_ACCESS_KEY_ID",
	       getenv("AWS_ACCESS_KEY_ID") ? getenv("AWS_ACCESS_KEY_ID") : "local", 1);
	if (!getenv("AWS_SECRET_ACCESS_KEY"))
		setenv("AWS_SECRET_ACCESS_KEY", "local", 1);
	if (!getenv("AWS_REGION") && !getenv("AWS_DEFAULT_REGION"))
		setenv("AWS_REGION", "us-east-1", 1);

	pcf_local_server_kind kinds[2] = {PCF_LOCAL_DYNAMODB_LOCAL, PCF_LOCAL_DYNALITE};
	int wanted[2] = {want_local, want_dynalite};
	for (int k = 0; k < 2; k++) {
		if (!wanted[k])
			continue;
		fprintf(stderr, "pcf-with-server: starting %s\n",
		        pcf_local_server_kind_name(kinds[k]));
		if (pcf_local_server_start(&servers[started], kinds[k], &o, errbuf,
		                           sizeof(errbuf))) {
			fprintf(stderr, "pcf-with-server: %s\n", errbuf);
			rc = 1;
			goto out;
		}
		fprintf(stderr, "pcf-with-server: %s at %s\n", pcf_local_server_kind_name(kinds[k]),
		        servers[started].endpoint);
		setenv(kinds[k] == PCF_LOCAL_DYNALITE ? "PCF_TEST_ENDPOINT_DYNALITE"
		                                      : "PCF_TEST_ENDPOINT_DYNAMODB_LOCAL",
		       servers[started].endpoint, 1);
		if (started == 0)
			setenv("AWS_ENDPOINT_URL_DYNAMODB", servers[started].endpoint, 1);
		started++;
	}

	signal(SIGINT, forward);
	signal(SIGTERM, forward);
	signal(SIGHUP, forward);
	child = fork();
	if (child == 0) {
		execvp(argv[i + 1], &argv[i + 1]);
		fprintf(stderr, "pcf-with-server: cannot run %s\n", argv[i + 1]);
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0)
		;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
out:
	while (started > 0)
		pcf_local_server_stop(&servers[--started]);
	curl_global_cleanup();
	return rc;
}
