/*
 * pcf-with-server: runs a command with a local DynamoDB server beside it.
 *
 *   pcf-with-server [--dynoxide] [--dynalite] [--moto]
 *                   [--create-ms N] [--delete-ms N] [--update-ms N]
 *                   -- COMMAND [ARG...]
 *
 * Starts each server named (dynoxide when none is), in the order given.
 * The command sees AWS_ENDPOINT_URL_DYNAMODB (the first server named),
 * PCF_TEST_ENDPOINT_DYNOXIDE / _DYNALITE / _MOTO for each server started,
 * and dummy credentials and a region when none are set. The -ms options
 * hold dynalite's tables CREATING, DELETING or UPDATING that long. The servers are
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
	fprintf(stderr, "usage: pcf-with-server [--dynoxide] [--dynalite] [--moto] "
	                "[--create-ms N] [--delete-ms N] [--update-ms N] -- COMMAND [ARG...]\n");
	return 2;
}

/* Adds kind to the list of servers to start, once. */
static void want(pcf_local_server_kind *kinds, int *n, pcf_local_server_kind kind)
{
	for (int k = 0; k < *n; k++) {
		if (kinds[k] == kind)
			return;
	}
	kinds[(*n)++] = kind;
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

/* Starts the servers in kinds[]; returns how many started, or -1 after stopping them. */
static int start_all(pcf_local_server *servers, const pcf_local_server_kind *kinds, int n,
                     const pcf_local_server_options *o)
{
	char errbuf[512], name[64];

	for (int k = 0; k < n; k++) {
		fprintf(stderr, "pcf-with-server: starting %s\n",
		        pcf_local_server_kind_name(kinds[k]));
		if (pcf_local_server_start(&servers[k], kinds[k], o, errbuf, sizeof(errbuf))) {
			fprintf(stderr, "pcf-with-server: %s\n", errbuf);
			while (k > 0)
				pcf_local_server_stop(&servers[--k]);
			return -1;
		}
		fprintf(stderr, "pcf-with-server: %s at %s\n", pcf_local_server_kind_name(kinds[k]),
		        servers[k].endpoint);
		snprintf(name, sizeof(name), "PCF_TEST_ENDPOINT_%s",
		         pcf_local_server_kind_env(kinds[k]));
		setenv(name, servers[k].endpoint, 1);
		if (k == 0)
			setenv("AWS_ENDPOINT_URL_DYNAMODB", servers[k].endpoint, 1);
	}
	return n;
}

int main(int argc, char **argv)
{
	pcf_local_server_options o = PCF_LOCAL_SERVER_OPTIONS_INIT;
	pcf_local_server servers[PCF_LOCAL_SERVER_KINDS];
	pcf_local_server_kind kinds[PCF_LOCAL_SERVER_KINDS];
	int nkinds = 0, started = 0, i, status = 0, rc;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--dynoxide")) {
			want(kinds, &nkinds, PCF_LOCAL_DYNOXIDE);
		} else if (!strcmp(a, "--dynalite")) {
			want(kinds, &nkinds, PCF_LOCAL_DYNALITE);
		} else if (!strcmp(a, "--moto")) {
			want(kinds, &nkinds, PCF_LOCAL_MOTO);
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
	if (nkinds == 0)
		want(kinds, &nkinds, PCF_LOCAL_DYNOXIDE);

	curl_global_init(CURL_GLOBAL_DEFAULT);
	setenv("AWS_ACCESS_KEY_ID",
	       getenv("AWS_ACCESS_KEY_ID") ? getenv("AWS_ACCESS_KEY_ID") : "local", 1);
	if (!getenv("AWS_SECRET_ACCESS_KEY"))
		setenv("AWS_SECRET_ACCESS_KEY", "local", 1);
	if (!getenv("AWS_REGION") && !getenv("AWS_DEFAULT_REGION"))
		setenv("AWS_REGION", "us-east-1", 1);

	started = start_all(servers, kinds, nkinds, &o);
	if (started < 0) {
		started = 0;
		rc = 1;
		goto out;
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
