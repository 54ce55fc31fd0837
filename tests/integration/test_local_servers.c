/*
 * The local server helper itself: both servers start, answer, and stop.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "servers.h"

Test(local_servers, both_endpoints_are_exported)
{
	cr_assert(strncmp(pcf_test_endpoint(PCF_LOCAL_DYNAMODB_LOCAL), "http://127.0.0.1:", 17) ==
	          0);
	cr_assert(strncmp(pcf_test_endpoint(PCF_LOCAL_DYNALITE), "http://127.0.0.1:", 17) == 0);
	cr_assert_str_neq(pcf_test_endpoint(PCF_LOCAL_DYNAMODB_LOCAL),
	                  pcf_test_endpoint(PCF_LOCAL_DYNALITE));
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
