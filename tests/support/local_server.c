/*
 * Starting and stopping local DynamoDB servers; see local_server.h.
 *
 * The port is chosen by binding port 0 and releasing it just before the
 * server starts; if another process takes it in between, the server fails
 * to answer and start tries again on a new port.
 */
#include "local_server.h"

#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PCF_SERVERS_DIR
#define PCF_SERVERS_DIR ".servers"
#endif

#define START_ATTEMPTS 3

/* Indexed by pcf_local_server_kind: the name a person reads and the
 * upper-case stem of its environment variables. */
static const struct {
	const char *name;
	const char *env;
} kinds[PCF_LOCAL_SERVER_KINDS] = {
    [PCF_LOCAL_DYNOXIDE] = {"dynoxide", "DYNOXIDE"},
    [PCF_LOCAL_DYNALITE] = {"dynalite", "DYNALITE"},
    [PCF_LOCAL_MOTO] = {"moto", "MOTO"},
};

const char *pcf_local_server_kind_name(pcf_local_server_kind kind)
{
	return (unsigned)kind < PCF_LOCAL_SERVER_KINDS ? kinds[kind].name : "unknown";
}

const char *pcf_local_server_kind_env(pcf_local_server_kind kind)
{
	return (unsigned)kind < PCF_LOCAL_SERVER_KINDS ? kinds[kind].env : "UNKNOWN";
}

static const char *servers_dir(void)
{
	const char *env = getenv("PCF_SERVERS_DIR");
	return env && *env ? env : PCF_SERVERS_DIR;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int free_loopback_port(void)
{
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int port = -1;

	if (fd < 0)
		return -1;
	pcf_local_loopback(&addr, 0);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
		port = ntohs(addr.sin_port);
	close(fd);
	return port;
}

static int file_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Builds argv for the server; strings live in the caller's buffers. */
static int build_command(const char **args, char bufs[][512], pcf_local_server_kind kind, int port,
                         const pcf_local_server_options *o, char *errbuf, size_t errbuf_size)
{
	const char *dir = servers_dir();
	size_t n = 0;

	snprintf(bufs[0], 512, "%d", port);
	if (kind == PCF_LOCAL_MOTO) {
		/* moto lives in python3 itself, not in .servers/. */
		args[n++] = "python3";
		args[n++] = "-m";
		args[n++] = "moto.server";
		args[n++] = "-H";
		args[n++] = "127.0.0.1";
		args[n++] = "-p";
		args[n++] = bufs[0];
	} else if (kind == PCF_LOCAL_DYNOXIDE) {
		snprintf(bufs[2], 512, "%s/node_modules/@dynoxide/linux-x64/dynoxide", dir);
		if (!file_exists(bufs[2]))
			goto missing;
		/* Without --db-path dynoxide keeps everything in memory. */
		args[n++] = bufs[2];
		args[n++] = "serve";
		args[n++] = "--host";
		args[n++] = "127.0.0.1";
		args[n++] = "--port";
		args[n++] = bufs[0];
	} else {
		snprintf(bufs[2], 512, "%s/node_modules/dynalite/cli.js", dir);
		if (!file_exists(bufs[2]))
			goto missing;
		snprintf(bufs[3], 512, "%ld", o->create_table_ms);
		snprintf(bufs[4], 512, "%ld", o->delete_table_ms);
		snprintf(bufs[5], 512, "%ld", o->update_table_ms);
		args[n++] = "node";
		args[n++] = bufs[2];
		args[n++] = "--port";
		args[n++] = bufs[0];
		args[n++] = "--createTableMs";
		args[n++] = bufs[3];
		args[n++] = "--deleteTableMs";
		args[n++] = bufs[4];
		args[n++] = "--updateTableMs";
		args[n++] = bufs[5];
	}
	args[n] = NULL;
	return 0;
missing:
	snprintf(errbuf, errbuf_size, "%s is not installed (%s missing): run scripts/bootstrap.sh",
	         pcf_local_server_kind_name(kind), bufs[2]);
	return -1;
}

static size_t discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

/* 1 when the server answers ListTables with HTTP 200. */
static int answers(const char *endpoint)
{
	CURL *curl = curl_easy_init();
	struct curl_slist *headers = NULL;
	long status = 0;

	if (!curl)
		return 0;
	headers = curl_slist_append(headers, "Content-Type: application/x-amz-json-1.0");
	headers = curl_slist_append(headers, "X-Amz-Target: DynamoDB_20120810.ListTables");
	headers = curl_slist_append(headers, "X-Amz-Date: 20260101T000000Z");
	/* No server checks signatures, but dynoxide and moto want the header. */
	headers =
	    curl_slist_append(headers, "Authorization: AWS4-HMAC-SHA256 "
	                               "Credential=probe/20260101/us-east-1/dynamodb/aws4_request, "
	                               "SignedHeaders=host;x-amz-date, Signature=0");
	curl_easy_setopt(curl, CURLOPT_URL, endpoint);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "{}");
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 2000L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return status == 200;
}

static pid_t spawn(pcf_local_server_kind kind, char *const argv[])
{
	pid_t parent = getpid();
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(127);
	/* The servers chatter on stdout; tests print their own summary there. */
	if (!getenv("PCF_SERVER_VERBOSE")) {
		FILE *null = freopen("/dev/null", "w", stdout);
		(void)null;
		/* moto logs every request on stderr, which would drown a test's
		 * own messages; PCF_SERVER_VERBOSE=1 shows it. */
		if (kind == PCF_LOCAL_MOTO)
			null = freopen("/dev/null", "w", stderr);
		(void)null;
	}
	execvp(argv[0], argv);
	fprintf(stderr, "local_server: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static int exited(pid_t pid)
{
	int status;
	return waitpid(pid, &status, WNOHANG) == pid;
}

static int start_once(pcf_local_server *server, pcf_local_server_kind kind,
                      const pcf_local_server_options *o, char *errbuf, size_t errbuf_size)
{
	char bufs[6][512];
	const char *argv[24];
	long deadline;

	server->port = free_loopback_port();
	if (server->port < 0) {
		snprintf(errbuf, errbuf_size, "no free loopback port: %s", strerror(errno));
		return -1;
	}
	if (build_command(argv, bufs, kind, server->port, o, errbuf, errbuf_size) < 0)
		return -2;
	snprintf(server->endpoint, sizeof(server->endpoint), "http://127.0.0.1:%d", server->port);
	server->pid = spawn(kind, (char *const *)argv);
	if (server->pid < 0) {
		snprintf(errbuf, errbuf_size, "fork failed: %s", strerror(errno));
		return -1;
	}
	deadline = now_ms() + (o->start_timeout_ms > 0 ? o->start_timeout_ms : 60000);
	while (now_ms() < deadline) {
		if (answers(server->endpoint))
			return 0;
		if (exited(server->pid)) {
			server->pid = 0;
			snprintf(errbuf, errbuf_size,
			         "%s exited before answering on port %d (PCF_SERVER_VERBOSE=1 "
			         "shows its output)",
			         pcf_local_server_kind_name(kind), server->port);
			return -1;
		}
		usleep(50 * 1000);
	}
	snprintf(errbuf, errbuf_size, "%s did not answer on port %d in time",
	         pcf_local_server_kind_name(kind), server->port);
	pcf_local_server_stop(server);
	return -1;
}

int pcf_local_server_start(pcf_local_server *server, pcf_local_server_kind kind,
                           const pcf_local_server_options *options, char *errbuf,
                           size_t errbuf_size)
{
	pcf_local_server_options defaults = PCF_LOCAL_SERVER_OPTIONS_INIT;
	const pcf_local_server_options *o = options ? options : &defaults;
	int rc = -1;

	memset(server, 0, sizeof(*server));
	server->kind = kind;
	for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
		rc = start_once(server, kind, o, errbuf, errbuf_size);
		if (rc != -1)
			break;
	}
	return rc == 0 ? 0 : -1;
}

void pcf_local_server_stop(pcf_local_server *server)
{
	long deadline;

	if (!server || server->pid <= 0)
		return;
	kill(-server->pid, SIGTERM);
	deadline = now_ms() + 5000;
	while (now_ms() < deadline) {
		if (exited(server->pid))
			goto done;
		usleep(20 * 1000);
	}
	kill(-server->pid, SIGKILL);
	waitpid(server->pid, NULL, 0);
done:
	/* Children the server left in its group (node workers) go too. */
	kill(-server->pid, SIGKILL);
	server->pid = 0;
}

void pcf_local_server_environment(int overwrite)
{
	setenv("AWS_ACCESS_KEY_ID", "test", overwrite);
	setenv("AWS_SECRET_ACCESS_KEY", "test", overwrite);
	setenv("AWS_REGION", "us-east-1", overwrite);
	setenv("AWS_EC2_METADATA_DISABLED", "true", overwrite);
	setenv("AWS_CONFIG_FILE", "/dev/null", overwrite);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", overwrite);
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
}

void pcf_local_loopback(struct sockaddr_in *addr, int port)
{
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_port = htons((unsigned short)port);
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}
