/*
 * A FAKE, fault-injecting HTTP proxy on loopback for the fault tests: it
 * sits in front of a real server (dynalite) and, for each request, picks
 * from a seeded generator either to forward it untouched or to inject one
 * fault a real network or service makes: 500, 503, throttling, a reset
 * connection, a delay, a truncated body, a wrong x-amz-crc32, a body that
 * is not JSON, a lost reply (forwarded, then the answer dropped) or, when
 * asked, a non-retryable ValidationException. It also remembers what it
 * forwarded, so that a test can count the requests one process sent.
 */
#ifndef PCF_TESTS_FAULT_PROXY_H
#define PCF_TESTS_FAULT_PROXY_H

typedef enum pcf_fault_kind {
	PCF_FAULT_500,
	PCF_FAULT_503,
	PCF_FAULT_THROTTLE,
	PCF_FAULT_RESET,
	PCF_FAULT_DELAY,
	PCF_FAULT_TRUNCATE,
	PCF_FAULT_BAD_CRC,
	PCF_FAULT_NOT_JSON,
	PCF_FAULT_LOST_REPLY,
	PCF_FAULT_RETRYABLE_KINDS, /* the kinds above are retryable */
	PCF_FAULT_VALIDATION = PCF_FAULT_RETRYABLE_KINDS,
	PCF_FAULT_KIND_COUNT
} pcf_fault_kind;

typedef struct pcf_fault_proxy pcf_fault_proxy;

/*
 * Starts a proxy to upstream ("http://127.0.0.1:PORT"). percent of the
 * requests get a fault, chosen among the retryable kinds (and the
 * ValidationException too when non_retryable is 1) by a generator seeded
 * with seed. Returns 0 or -1.
 */
int pcf_fault_proxy_start(pcf_fault_proxy **out, const char *upstream, unsigned seed, int percent,
                          int non_retryable);

/*
 * The next request for action (its X-Amz-Target ends ".action") gets
 * kind, whatever the generator says; once. For tests of one exact fault.
 */
void pcf_fault_proxy_next(pcf_fault_proxy *proxy, const char *action, pcf_fault_kind kind);

/*
 * Every request for action from now on gets kind, until called again with
 * action NULL: a service that stays unreachable for one action.
 */
void pcf_fault_proxy_always(pcf_fault_proxy *proxy, const char *action, pcf_fault_kind kind);

/* "http://127.0.0.1:PORT" */
const char *pcf_fault_proxy_url(const pcf_fault_proxy *proxy);

/* How many faults of kind were injected so far. */
int pcf_fault_proxy_injected(pcf_fault_proxy *proxy, pcf_fault_kind kind);

/*
 * How many requests for action (the end of its X-Amz-Target) the proxy
 * forwarded to the server so far whose JSON body contains needle (NULL:
 * any): with percent 0 a counting proxy, e.g. of one process's
 * UpdateTable calls on one table.
 */
int pcf_fault_proxy_count(pcf_fault_proxy *proxy, const char *action, const char *needle);

/* Stops, joins every thread and frees. Accepts NULL. */
void pcf_fault_proxy_stop(pcf_fault_proxy *proxy);

#endif
