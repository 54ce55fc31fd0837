/*
 * Local DynamoDB servers for tests, benchmarks and the demo.
 *
 * Starts dynoxide (a static binary) or dynalite (Node) from the project's
 * git-ignored .servers/ folder, or moto's server from python3 (all three
 * set up by scripts/bootstrap.sh), on a free loopback port, waits until it
 * answers ListTables, and hands back its endpoint. The server runs in its own process group and is
 * told to die with its parent, so a crashed test cannot leave it running; pcf_local_server_stop
 * ends it and waits for it.
 */
#ifndef PCF_TESTS_LOCAL_SERVER_H
#define PCF_TESTS_LOCAL_SERVER_H

#include <netinet/in.h>
#include <stddef.h>
#include <sys/types.h>

/* What each shows and lacks: the README's table of local servers. */
typedef enum pcf_local_server_kind {
	PCF_LOCAL_DYNOXIDE,
	PCF_LOCAL_DYNALITE,
	PCF_LOCAL_MOTO
} pcf_local_server_kind;

#define PCF_LOCAL_SERVER_KINDS 3

typedef struct pcf_local_server_options {
	/* dynalite only: how long tables stay CREATING / DELETING / UPDATING. */
	long create_table_ms;
	long delete_table_ms;
	long update_table_ms;
	long start_timeout_ms; /* 0: 60000 */
} pcf_local_server_options;

#define PCF_LOCAL_SERVER_OPTIONS_INIT                                                              \
	{                                                                                          \
		0, 0, 0, 0                                                                         \
	}

typedef struct pcf_local_server {
	pcf_local_server_kind kind;
	pid_t pid;
	int port;
	char endpoint[64]; /* "http://127.0.0.1:PORT" */
} pcf_local_server;

/* "dynoxide", "dynalite" or "moto". */
const char *pcf_local_server_kind_name(pcf_local_server_kind kind);

/* "DYNOXIDE", "DYNALITE" or "MOTO": the tail of PCF_TEST_ENDPOINT_<KIND>. */
const char *pcf_local_server_kind_env(pcf_local_server_kind kind);

/*
 * Starts a server and waits until it answers. Returns 0, or -1 with a
 * reason in errbuf (which the caller sizes). Options may be NULL.
 */
int pcf_local_server_start(pcf_local_server *server, pcf_local_server_kind kind,
                           const pcf_local_server_options *options, char *errbuf,
                           size_t errbuf_size);

/* Stops the server and reaps it. Safe to call twice and on a zeroed struct. */
void pcf_local_server_stop(pcf_local_server *server);

/* The loopback address 127.0.0.1:port (0: any free port, for bind). */
void pcf_local_loopback(struct sockaddr_in *addr, int port);

/*
 * The environment of a client of a local server: dummy credentials, region
 * us-east-1, no instance metadata, no endpoint override, and neither the
 * developer's ~/.aws files. With overwrite 0 a variable already set stays.
 */
void pcf_local_server_environment(int overwrite);

#endif
