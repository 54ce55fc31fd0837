/*
 * Helpers for the integration tests that run the pcf binary in the
 * background (watchers, lock holders) and stop it with a signal.
 */
#ifndef PCF_TEST_IT_PROCESS_H
#define PCF_TEST_IT_PROCESS_H

#include "cli_run.h"

/*
 * Sends sig to p, appends the rest of its output to out and err, reaps it
 * and returns its exit status (128 + the signal when a signal ended it).
 */
int it_signal_and_collect(cli_process *p, int sig, cli_buf *out, cli_buf *err);

#endif
