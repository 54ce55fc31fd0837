/*
 * A dynalite of one test binary's own that holds tables CREATING and
 * UPDATING for a while, shared by the integration tests that need a run
 * to still be busy with a table when the next one starts.
 */
#ifndef PCF_TEST_IT_HOLDING_H
#define PCF_TEST_IT_HOLDING_H

/* Starts the server (once per binary) with the given holds, in ms. */
void it_holding_up(long create_ms, long update_ms);

/* Stops the server it_holding_up started. */
void it_holding_down(void);

/* The started server's endpoint URL. */
const char *it_holding_endpoint(void);

#endif
