/*
 * Shared local servers for one integration test binary; see servers.h.
 */
#define PCF_TEST_SERVERS_NO_HOOKS
#include "servers.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static pcf_local_server running[PCF_LOCAL_SERVER_KINDS];

pcf_local_server_kind pcf_test_table_servers[2] = {PCF_LOCAL_DYNOXIDE, PCF_LOCAL_DYNALITE};

static void env_name(char *buf, size_t size, pcf_local_server_kind kind)
{
	snprintf(buf, size, "PCF_TEST_ENDPOINT_%s", pcf_local_server_kind_env(kind));
}

/*
 * Exports the PCF_TEST_ENDPOINT_* lines of the fixture's file. Its absence
 * under ctest means the setup fixture failed, which ctest already reports;
 * starting private servers then would only hide that.
 */
static void read_servers_file(const char *path)
{
	char line[512];
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr,
		        "integration tests: cannot read %s (%s): the servers_up fixture did "
		        "not start the servers\n",
		        path, strerror(errno));
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');
		line[strcspn(line, "\n")] = '\0';
		if (!eq || strncmp(line, "PCF_TEST_ENDPOINT_", 18) != 0)
			continue;
		*eq = '\0';
		setenv(line, eq + 1, 1);
	}
	fclose(f);
}

void pcf_test_servers_up(void)
{
	const char *file = getenv("PCF_TEST_SERVERS_FILE");
	char errbuf[512], name[64];

	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* A developer's own ~/.aws must not leak into tests. */
	pcf_local_server_environment(0);
	if (file && *file)
		read_servers_file(file);
	for (int k = 0; k < PCF_LOCAL_SERVER_KINDS; k++) {
		pcf_local_server_kind kind = (pcf_local_server_kind)k;
		env_name(name, sizeof(name), kind);
		if (getenv(name))
			continue;
		if (pcf_local_server_start(&running[k], kind, NULL, errbuf, sizeof(errbuf))) {
			fprintf(stderr, "integration tests: %s\n", errbuf);
			pcf_test_servers_down();
			exit(1);
		}
		setenv(name, running[k].endpoint, 1);
	}
}

void pcf_test_servers_down(void)
{
	for (int k = 0; k < PCF_LOCAL_SERVER_KINDS; k++)
		pcf_local_server_stop(&running[k]);
}

const char *pcf_test_endpoint(pcf_local_server_kind kind)
{
	char name[64];
	const char *e;

	env_name(name, sizeof(name), kind);
	e = getenv(name);
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

void pcf_test_dynalite_holding(pcf_local_server *server, long create_ms, long update_ms,
                               long delete_ms)
{
	pcf_local_server_options o = PCF_LOCAL_SERVER_OPTIONS_INIT;
	char errbuf[256];

	o.create_table_ms = create_ms;
	o.update_table_ms = update_ms;
	o.delete_table_ms = delete_ms;
	cr_assert_eq(pcf_local_server_start(server, PCF_LOCAL_DYNALITE, &o, errbuf, sizeof(errbuf)),
	             0, "%s", errbuf);
}
