/*
 * Local servers for a Criterion integration test binary.
 *
 * Include this header in one file of a test binary: before the first test
 * it finds dynoxide, dynalite and moto, exports their endpoints as
 * PCF_TEST_ENDPOINT_<KIND> and dummy credentials, and after the last test
 * it stops what it started itself.
 *
 * Under ctest the servers run once for the whole run: the fixture test
 * "servers_up" (pcf-test-servers start) writes their endpoints to the file
 * named by PCF_TEST_SERVERS_FILE, which ctest sets for every integration
 * test, and "servers_down" stops them. Run on its own, a binary starts each
 * server whose PCF_TEST_ENDPOINT_<KIND> is not already set (by an outer
 * pcf-with-server, for instance).
 *
 * Servers are shared by every test of a run, so tests name their tables
 * with pcf_test_table_name and never assume a server is empty.
 */
#ifndef PCF_TESTS_SERVERS_H
#define PCF_TESTS_SERVERS_H

#include <stddef.h>

#include <criterion/criterion.h>
#include <criterion/hooks.h>

#include "local_server.h"

/* Finds or starts every server; aborts the binary if one cannot start. */
void pcf_test_servers_up(void);
void pcf_test_servers_down(void);

/* The endpoint of a running server of this kind; never NULL after up. */
const char *pcf_test_endpoint(pcf_local_server_kind kind);

/*
 * Starts a dynalite of the test's own that holds new tables CREATING,
 * updated ones UPDATING and deleted ones DELETING for these many ms (0: not
 * held); fails the test when it cannot. Stop it with pcf_local_server_stop.
 */
void pcf_test_dynalite_holding(pcf_local_server *server, long create_ms, long update_ms,
                               long delete_ms);

/*
 * dynoxide and dynalite, the two servers that show tables, items and their
 * errors: the parameters of a ParameterizedTest run once per server, each a
 * pcf_local_server_kind (`return PCF_TEST_TABLE_SERVERS();`).
 */
extern pcf_local_server_kind pcf_test_table_servers[2];
#define PCF_TEST_TABLE_SERVERS()                                                                   \
	cr_make_param_array(pcf_local_server_kind, pcf_test_table_servers, 2)

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
