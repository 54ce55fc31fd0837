/*
 * A FAKE HTTP server on loopback for tests that need what no real server
 * can show: injected faults (5xx, throttling, reset or hung connections,
 * bad CRCs) and stand-ins for AWS endpoints that cannot run here (EC2
 * instance metadata, container credentials, STS). Every test that uses it
 * says so.
 *
 * The server runs on its own thread and serves each connection on another,
 * keep-alive included. A handler decides each answer; the script helpers
 * answer from a fixed list in order.
 */
#ifndef PCF_TESTS_FAKE_HTTP_H
#define PCF_TESTS_FAKE_HTTP_H

#include <stddef.h>

typedef enum pcf_fake_action {
	PCF_FAKE_RESPOND = 0, /* send status, headers and body */
	PCF_FAKE_RESET,       /* close with a TCP reset, no answer */
	PCF_FAKE_HANG         /* read the request, never answer, until the client leaves */
} pcf_fake_action;

typedef struct pcf_fake_response {
	pcf_fake_action action;
	int status;                /* 0 means 200 */
	const char *body;          /* NULL means "" */
	const char *content_type;  /* NULL means application/x-amz-json-1.0 */
	const char *extra_headers; /* "Name: value\r\n" lines, may be NULL */
} pcf_fake_response;

typedef struct pcf_fake_request {
	char method[16];
	char path[1024];
	char headers[8192]; /* raw header block */
	char *body;         /* NUL-terminated */
	size_t body_len;
	int index; /* 0 for the first request the server saw */
} pcf_fake_request;

/* Fills *resp for req. Runs on a connection thread; MUST be thread-safe. */
typedef void (*pcf_fake_handler)(const pcf_fake_request *req, pcf_fake_response *resp,
                                 void *payload);

typedef struct pcf_fake_server pcf_fake_server;

/* Starts listening on 127.0.0.1 (a free port). Returns 0 or -1. */
int pcf_fake_server_start(pcf_fake_server **out, pcf_fake_handler handler, void *payload);

/*
 * Answers request i with script[i], and every later one with *otherwise
 * (or 200 "{}" when NULL). script and otherwise must outlive the server.
 */
int pcf_fake_server_start_script(pcf_fake_server **out, const pcf_fake_response *script,
                                 size_t count, const pcf_fake_response *otherwise);

/* "http://127.0.0.1:PORT" */
const char *pcf_fake_server_url(const pcf_fake_server *server);

/* Requests received so far. */
int pcf_fake_server_request_count(const pcf_fake_server *server);

/* Connections accepted so far (to observe connection reuse). */
int pcf_fake_server_connection_count(const pcf_fake_server *server);

/* Connections the server has closed so far (their descriptors are free again). */
int pcf_fake_server_closed_count(const pcf_fake_server *server);

/* The value of header name in the request numbered index (copied into out), or -1. */
int pcf_fake_server_request_header(const pcf_fake_server *server, int index, const char *name,
                                   char *out, size_t size);

/* Sends all len bytes on the socket fd; stops quietly when the peer is gone. */
void pcf_fake_send_all(int fd, const char *data, size_t len);

/*
 * The DynamoDB action a request names in its X-Amz-Target header
 * ("DescribeTable" for "DynamoDB_20120810.DescribeTable"), copied into out;
 * "" when the header is absent.
 */
void pcf_fake_dynamodb_action(char *out, size_t size, const pcf_fake_request *req);

/* Stops, joins every thread and frees. Accepts NULL. */
void pcf_fake_server_stop(pcf_fake_server *server);

/*
 * The environment a test against a fake server needs: dummy credentials,
 * region us-east-1, no instance metadata, and none of the variables that
 * would redirect the endpoint or change attempts and timeouts, whatever
 * the developer's shell holds.
 */
void pcf_fake_environment(void);

#endif
