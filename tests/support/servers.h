/*
 * Local servers for a Criterion integration test binary.
 *
 * Include this header in one file of a test binary: before the first test
 * it starts DynamoDB Local and dynalite (unless an outer
 * pcf-with-server already exported PCF_TEST_ENDPOINT_*), exports their
 * endpoints and dummy credentials, and stops them after the last test.
 * Tests read the endpoints with pcf_test_endpoint and name their tables
 * with pcf_test_table_name so that tests can run in parallel.
 */
#ifndef PCF_TESTS_SERVERS_H
#define PCF_TESTS_SERVERS_H

#include <stddef.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>

#include "local_server.h"

/* Starts what is not already running; aborts the binary if a server cannot start. */
void pcf_test_servers_up(void);
void pcf_test_servers_down(void);

/* The endpoint of a running server of this kind; never NULL after up. */
const char *pcf_test_endpoint(pcf_local_server_kind kind);

/* Writes "<prefix>-<pid>-<counter>-<random>" into buf. */
void pcf_test_table_name(char *buf, size_t size, const char *prefix);

/*
 * Including this header in a test binary's source starts the servers before
 * its first test and stops them after its last (servers.c itself opts out).
 */
#ifndef PCF_TEST_SERVERS_NO_HOOKS
ReportHook(PRE_ALL)(struct criterion_test_set *pcf_set_)
{
	(void)pcf_set_;
	pcf_test_servers_up();
}

ReportHook(POST_ALL)(struct criterion_global_stats *pcf_stats_)
{
	(void)pcf_stats_;
	pcf_test_servers_down();
}
#endif

#endif
