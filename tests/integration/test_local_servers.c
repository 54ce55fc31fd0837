/*
 * The local server helper itself: dynoxide, dynalite and moto are all
 * reachable (from the run's fixture or started by this binary), and a
 * private dynalite with held statuses starts and stops.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "servers.h"

Test(local_servers, every_endpoint_is_exported_and_distinct)
{
	pcf_local_server_kind kinds[] = {PCF_LOCAL_DYNOXIDE, PCF_LOCAL_DYNALITE, PCF_LOCAL_MOTO};
	for (int i = 0; i < 3; i++) {
		const char *ep = pcf_test_endpoint(kinds[i]);
		cr_assert(strncmp(ep, "http://127.0.0.1:", 17) == 0, "%s: %s",
		          pcf_local_server_kind_name(kinds[i]), ep);
		for (int j = 0; j < i; j++)
			cr_assert_str_neq(ep, pcf_test_endpoint(kinds[j]));
	}
}

Test(local_servers, dynalite_with_delays_starts_and_stops)
{
	pcf_local_server_options o = PCF_LOCAL_SERVER_OPTIONS_INIT;
	pcf_local_server s;
	char errbuf[256];
	o.create_table_ms = 500;
	cr_assert_eq(pcf_local_server_start(&s, PCF_LOCAL_DYNALITE, &o, errbuf, sizeof(errbuf)), 0,
	             "%s", errbuf);
	pid_t pid = s.pid;
	pcf_local_server_stop(&s);
	cr_assert_eq(s.pid, 0);
	cr_assert_eq(kill(pid, 0), -1, "the server process is gone after stop");
}

Test(local_servers, stop_is_idempotent)
{
	pcf_local_server s;
	memset(&s, 0, sizeof(s));
	pcf_local_server_stop(&s);
	pcf_local_server_stop(NULL);
}
