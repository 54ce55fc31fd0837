/*
 * pcf-test-servers: the local servers of one ctest run.
 *
 *   pcf-test-servers start FILE   starts dynoxide, dynalite and moto, writes
 *                                 their endpoints and pids to FILE, returns
 *   pcf-test-servers stop FILE    stops exactly the processes FILE names
 *
 * ctest runs "start" as the FIXTURES_SETUP test and "stop" as the
 * FIXTURES_CLEANUP test of every integration test (tests/CMakeLists.txt),
 * so each server starts once per run instead of once per test binary.
 *
 * "start" leaves a keeper process behind, in a session of its own, whose
 * children the servers are: the servers die with the keeper (they are
 * told to when their parent goes), and the keeper stops them when told to
 * or when the process that ran "start" (ctest) is gone, so a crashed or
 * killed ctest leaves no server running. The keeper's output goes to
 * FILE.log, never to the pipes ctest reads, or ctest would wait for it.
 */
#include "local_server.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: pcf-test-servers start|stop FILE\n");
	return 2;
}

/* 1 while pid runs; a zombie left unreaped by the container's init counts as gone. */
static int alive(pid_t pid)
{
	char path[64], stat[256];
	FILE *f;
	char *close_paren;
	int running = 1;

	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	if (fgets(stat, sizeof(stat), f)) {
		close_paren = strrchr(stat, ')');
		if (close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z')
			running = 0;
	}
	fclose(f);
	return running;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Writes FILE through a temporary name so that no test reads half of it. */
static int write_file(const char *path, const pcf_local_server *servers, int n)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "PCF_TEST_SERVERS_KEEPER=%ld\n", (long)getpid());
	for (int k = 0; k < n; k++) {
		fprintf(f, "PCF_TEST_ENDPOINT_%s=%s\n", pcf_local_server_kind_env(servers[k].kind),
		        servers[k].endpoint);
		fprintf(f, "PCF_TEST_PID_%s=%ld\n", pcf_local_server_kind_env(servers[k].kind),
		        (long)servers[k].pid);
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return -1;
	return 0;
}

/* The keeper: starts the servers, reports on fd `report`, then waits. */
static int keep(const char *path, pid_t watched, int report)
{
	pcf_local_server servers[PCF_LOCAL_SERVER_KINDS];
	char errbuf[512], msg[600] = "";
	int started = 0, rc = 1;

	signal(SIGTERM, on_stop);
	signal(SIGINT, on_stop);
	signal(SIGHUP, on_stop);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	for (int k = 0; k < PCF_LOCAL_SERVER_KINDS; k++) {
		if (pcf_local_server_start(&servers[k], (pcf_local_server_kind)k, NULL, errbuf,
		                           sizeof(errbuf))) {
			snprintf(msg, sizeof(msg), "pcf-test-servers: %s\n", errbuf);
			goto out;
		}
		started++;
		fprintf(stderr, "pcf-test-servers: %s at %s (pid %ld)\n",
		        pcf_local_server_kind_name(servers[k].kind), servers[k].endpoint,
		        (long)servers[k].pid);
	}
	if (write_file(path, servers, started)) {
		snprintf(msg, sizeof(msg), "pcf-test-servers: cannot write %s: %s\n", path,
		         strerror(errno));
		goto out;
	}
	if (write(report, "", 1) != 1)
		goto out;
	close(report);
	report = -1;
	while (!stop_requested && alive(watched))
		sleep_ms(200);
	fprintf(stderr, "pcf-test-servers: stopping (%s)\n",
	        stop_requested ? "told to" : "the run that started the servers is gone");
	unlink(path);
	rc = 0;
out:
	if (rc && report >= 0 && write(report, msg, strlen(msg)) < 0)
		rc = 1;
	while (started > 0)
		pcf_local_server_stop(&servers[--started]);
	curl_global_cleanup();
	return rc;
}

/* Forks the keeper and waits until it says the servers answer. */
static int start(const char *path)
{
	char log[4096], msg[600];
	pid_t watched = getppid();
	int fds[2], logfd;
	ssize_t got;

	snprintf(log, sizeof(log), "%s.log", path);
	unlink(path);
	if (pipe(fds) < 0)
		return 1;
	switch (fork()) {
	case -1:
		perror("pcf-test-servers: fork");
		return 1;
	case 0:
		close(fds[0]);
		setsid();
		logfd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (logfd < 0)
			logfd = open("/dev/null", O_WRONLY);
		dup2(logfd, STDOUT_FILENO);
		dup2(logfd, STDERR_FILENO);
		close(logfd);
		close(STDIN_FILENO);
		_exit(keep(path, watched, fds[1]));
	}
	close(fds[1]);
	got = read(fds[0], msg, sizeof(msg) - 1);
	close(fds[0]);
	if (got == 1 && msg[0] == '\0') {
		printf("pcf-test-servers: servers up, endpoints in %s, log in %s\n", path, log);
		return 0;
	}
	if (got > 0) {
		msg[got] = '\0';
		fputs(msg, stderr);
	} else {
		fprintf(stderr,
		        "pcf-test-servers: the keeper died before the servers answered; "
		        "see %s\n",
		        log);
	}
	return 1;
}

/* Returns the value of NAME=... in FILE as a pid, or 0. */
static pid_t pid_in(const char *path, const char *name)
{
	char line[512];
	size_t len = strlen(name);
	long pid = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, len) == 0 && line[len] == '=') {
			char *end;
			pid = strtol(line + len + 1, &end, 10);
			if (end == line + len + 1 || pid <= 0)
				pid = 0;
			break;
		}
	}
	fclose(f);
	return (pid_t)pid;
}

static int stop(const char *path)
{
	pid_t keeper = pid_in(path, "PCF_TEST_SERVERS_KEEPER");
	pid_t pids[PCF_LOCAL_SERVER_KINDS];
	char name[64];

	if (!keeper) {
		printf("pcf-test-servers: no servers recorded in %s, nothing to stop\n", path);
		return 0;
	}
	for (int k = 0; k < PCF_LOCAL_SERVER_KINDS; k++) {
		snprintf(name, sizeof(name), "PCF_TEST_PID_%s",
		         pcf_local_server_kind_env((pcf_local_server_kind)k));
		pids[k] = pid_in(path, name);
	}
	kill(keeper, SIGTERM);
	for (int i = 0; i < 150 && alive(keeper); i++)
		sleep_ms(100);
	/* The keeper stops its servers; whatever is still there now goes hard. */
	for (int k = 0; k < PCF_LOCAL_SERVER_KINDS; k++) {
		if (pids[k] > 0 && alive(pids[k]))
			kill(-pids[k], SIGKILL);
	}
	if (alive(keeper))
		kill(keeper, SIGKILL);
	unlink(path);
	printf("pcf-test-servers: servers stopped\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return usage();
	if (!strcmp(argv[1], "start"))
		return start(argv[2]);
	if (!strcmp(argv[1], "stop"))
		return stop(argv[2]);
	return usage();
}
