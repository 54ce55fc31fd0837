/*
 * A Criterion test that runs once per server holding tables (dynoxide and
 * dynalite); its body sees the server as `pcf_local_server_kind *kind`.
 */
#ifndef PCF_TEST_IT_SERVERS_H
#define PCF_TEST_IT_SERVERS_H

#include <criterion/parameterized.h>

#include "servers.h"

#define IT_TABLE_SERVERS_TEST(suite, name)                                                         \
	ParameterizedTestParameters(suite, name)                                                   \
	{                                                                                          \
		return PCF_TEST_TABLE_SERVERS();                                                   \
	}                                                                                          \
	ParameterizedTest(pcf_local_server_kind *kind, suite, name)

#endif
