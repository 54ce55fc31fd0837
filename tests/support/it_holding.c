#include "it_holding.h"

#include "local_server.h"
/* The test binary that includes servers.h owns the hooks that start the shared servers. */
#define PCF_TEST_SERVERS_NO_HOOKS
#include "servers.h"

static pcf_local_server server;

void it_holding_up(long create_ms, long update_ms)
{
	pcf_local_server_environment(1);
	pcf_test_dynalite_holding(&server, create_ms, update_ms, 0);
}

void it_holding_down(void)
{
	pcf_local_server_stop(&server);
}

const char *it_holding_endpoint(void)
{
	return server.endpoint;
}
