/*
 * The /metrics endpoint of `pcf watch`: a deliberately tiny HTTP/1.1
 * server for one scraper.
 *
 * One thread accepts one connection at a time, reads one request (at most
 * 8 KiB of head, two seconds to send it), answers it and closes, which is
 * all Prometheus needs and leaves no state to get wrong. GET and HEAD of
 * /metrics get the exposition text; another path is 404, another method
 * 405, a request that is not HTTP 400. The thread sleeps in poll() on the
 * listening socket and on a pipe that pcf_cli_metrics_server_stop writes
 * to, so stopping never waits on a scraper. Signals are blocked in the
 * thread: SIGTERM and SIGHUP are for the watch loop.
 *
 * Any address the user names is bound, since scraping from another host
 * (a container's 0.0.0.0) is the common case; one that is not loopback is
 * warned about, because the endpoint has neither TLS nor authentication.
 * The counters it shows hold no names or secrets.
 */
#include "src/cli/watch.h"
#include "src/common/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_REQUEST_HEAD 8192
#define READ_TIMEOUT_S   2

struct pcf_cli_metrics_server {
	pcf_cli_metrics *metrics;
	int listen_fd;
	int stop_pipe[2];
	pthread_t thread;
	int thread_started;
	char url[128];
};

/* Splits "HOST:PORT" or "[V6]:PORT" into host and port (copies in the buffers). */
static int split_addr(char *host, size_t host_size, char *port, size_t port_size, const char *addr)
{
	const char *colon = strrchr(addr, ':');
	const char *start = addr, *end = colon;
	long n;

	if (!colon || colon == addr || pcf_util_parse_long(&n, colon + 1, 0, 65535) != 0)
		return PCF_EINVAL;
	if (addr[0] == '[') {
		if (colon[-1] != ']')
			return PCF_EINVAL;
		start = addr + 1;
		end = colon - 1;
	}
	if (end <= start || (size_t)(end - start) >= host_size || strlen(colon + 1) >= port_size)
		return PCF_EINVAL;
	memcpy(host, start, (size_t)(end - start));
	host[end - start] = '\0';
	memcpy(port, colon + 1, strlen(colon + 1) + 1);
	return 0;
}

static int is_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return 0;
}

/* "http://HOST:PORT/metrics" for the socket as bound. */
static void describe(pcf_cli_metrics_server *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;

	if (getsockname(s->listen_fd, (struct sockaddr *)&ss, &len) != 0)
		return;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &in->sin_addr, host, sizeof(host));
		port = ntohs(in->sin_port);
		snprintf(s->url, sizeof(s->url), "http://%s:%u/metrics", host, port);
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof(host));
		port = ntohs(in6->sin6_port);
		snprintf(s->url, sizeof(s->url), "http://[%s]:%u/metrics", host, port);
	}
}

/* Binds and listens on addr; returns 0, PCF_EINVAL or PCF_EIO with a message on ctx->err. */
static int listen_on(pcf_cli_metrics_server *s, const pcf_cli_context *ctx, const char *addr)
{
	struct addrinfo hints, *found = NULL;
	char host[256], port[8];
	int one = 1, rc;

	if (split_addr(host, sizeof(host), port, sizeof(port), addr) != 0) {
		pcf_cli_usage_error(ctx,
		                    "--metrics-addr: expected HOST:PORT (e.g. 127.0.0.1:9464), "
		                    "found '%s'",
		                    addr);
		return PCF_EINVAL;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(host, port, &hints, &found);
	if (rc != 0) {
		pcf_cli_fail(ctx, "--metrics-addr %s: %s", addr, gai_strerror(rc));
		return PCF_EINVAL;
	}
	if (!is_loopback(found->ai_addr))
		fprintf(
		    ctx->err,
		    "pcf watch: warning: --metrics-addr %s is not a loopback address; anyone who "
		    "reaches it can read the counters (no TLS, no authentication)\n",
		    addr);
	s->listen_fd = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, 0);
	if (s->listen_fd >= 0)
		setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	rc = s->listen_fd < 0 || bind(s->listen_fd, found->ai_addr, found->ai_addrlen) != 0 ||
	     listen(s->listen_fd, 8) != 0;
	freeaddrinfo(found);
	if (rc) {
		pcf_cli_fail(ctx, "--metrics-addr %s: cannot listen there: %s", addr,
		             strerror(errno));
		return PCF_EIO;
	}
	describe(s);
	return 0;
}

static void send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

#define TEXT_TYPE    "text/plain; charset=utf-8"
#define METRICS_TYPE "text/plain; version=0.0.4; charset=utf-8"

static void respond(int fd, const char *status, const char *type, const char *body, int head)
{
	pcf_buf b = PCF_BUF_INIT;

	pcf_buf_printf(&b,
	               "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%s"
	               "Connection: close\r\n\r\n",
	               status, type, strlen(body),
	               !strncmp(status, "405", 3) ? "Allow: GET, HEAD\r\n" : "");
	if (!head)
		pcf_buf_puts(&b, body);
	if (!pcf_buf_failed(&b))
		send_all(fd, b.data, b.len);
	pcf_buf_cleanup(&b);
}

/* Reads the request head into buf (NUL-terminated); 0 when a whole head came. */
static int read_head(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size) {
		ssize_t n = recv(fd, buf + len, size - 1 - len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			return 0;
	}
	return -1;
}

static void serve_one(pcf_cli_metrics_server *s, int fd)
{
	char head[MAX_REQUEST_HEAD], method[16], target[256], version[16];
	struct timeval tv = {READ_TIMEOUT_S, 0};
	pcf_cli_metrics_values values;
	pcf_buf body = PCF_BUF_INIT;
	int is_head;

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (read_head(fd, head, sizeof(head)) != 0 ||
	    sscanf(head, "%15s %255s %15s", method, target, version) != 3 ||
	    strncmp(version, "HTTP/1.", 7) != 0) {
		respond(fd, "400 Bad Request", TEXT_TYPE, "bad request\n", 0);
		return;
	}
	is_head = !strcmp(method, "HEAD");
	if (strcmp(method, "GET") != 0 && !is_head) {
		respond(fd, "405 Method Not Allowed", TEXT_TYPE, "only GET /metrics\n", 0);
		return;
	}
	if (strcmp(target, "/metrics") != 0 && strncmp(target, "/metrics?", 9) != 0) {
		respond(fd, "404 Not Found", TEXT_TYPE, "only GET /metrics\n", is_head);
		return;
	}
	pcf_cli_metrics_snapshot(&values, s->metrics);
	pcf_cli_metrics_render(&body, &values);
	if (pcf_buf_failed(&body))
		respond(fd, "500 Internal Server Error", TEXT_TYPE, "out of memory\n", is_head);
	else
		respond(fd, "200 OK", METRICS_TYPE, body.data, is_head);
	pcf_buf_cleanup(&body);
}

static void *serve(void *payload)
{
	pcf_cli_metrics_server *s = payload;
	struct pollfd fds[2] = {{s->listen_fd, POLLIN, 0}, {s->stop_pipe[0], POLLIN, 0}};

	for (;;) {
		int fd;

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[1].revents)
			break;
		fd = accept(s->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		/* A credential_process that pcf runs must not inherit a scraper's socket. */
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		serve_one(s, fd);
		close(fd);
	}
	return NULL;
}

/* The thread, started with every signal blocked so that it inherits none of them. */
static int start_thread(pcf_cli_metrics_server *s)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->thread, NULL, serve, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	s->thread_started = rc == 0;
	return rc == 0 ? 0 : PCF_EIO;
}

static int make_pipe(int fds[2])
{
	if (pipe(fds) != 0)
		return -1;
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	return 0;
}

int pcf_cli_metrics_server_start(pcf_cli_metrics_server **out, const pcf_cli_context *ctx,
                                 const char *addr, pcf_cli_metrics *m)
{
	pcf_cli_metrics_server *s = calloc(1, sizeof(*s));
	int rc;

	*out = NULL;
	if (!s) {
		pcf_cli_fail(ctx, "out of memory");
		return PCF_ENOMEM;
	}
	s->metrics = m;
	s->listen_fd = s->stop_pipe[0] = s->stop_pipe[1] = -1;
	rc = listen_on(s, ctx, addr);
	if (rc == 0 && (make_pipe(s->stop_pipe) != 0 || start_thread(s) != 0)) {
		pcf_cli_fail(ctx, "--metrics-addr %s: cannot start the server: %s", addr,
		             strerror(errno));
		rc = PCF_EIO;
	}
	if (rc) {
		pcf_cli_metrics_server_stop(s);
		return rc;
	}
	*out = s;
	return 0;
}

const char *pcf_cli_metrics_server_url(const pcf_cli_metrics_server *server)
{
	return server->url;
}

void pcf_cli_metrics_server_stop(pcf_cli_metrics_server *s)
{
	if (!s)
		return;
	if (s->thread_started) {
		ssize_t n;

		do
			n = write(s->stop_pipe[1], "x", 1);
		while (n < 0 && errno == EINTR);
		pthread_join(s->thread, NULL);
	}
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	if (s->stop_pipe[0] >= 0)
		close(s->stop_pipe[0]);
	if (s->stop_pipe[1] >= 0)
		close(s->stop_pipe[1]);
	free(s);
}
