/*
 * The FAKE loopback HTTP server (see fake_http.h). One accept thread; one
 * thread per connection; everything polls with a short timeout so that
 * stop can end a hung connection promptly. Requests are kept (headers
 * only, the first MAX_KEPT) so tests can check what the client sent.
 */
#include "fake_http.h"
#include "local_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONNECTIONS 256
#define MAX_KEPT        64

struct pcf_fake_server {
	int listen_fd;
	char url[64];
	pcf_fake_handler handler;
	void *payload;
	const pcf_fake_response *script;
	size_t script_count;
	const pcf_fake_response *otherwise;
	pthread_t acceptor;
	pthread_mutex_t lock;
	volatile int stopping;
	int requests;
	char *kept[MAX_KEPT];
	pthread_t conns[MAX_CONNECTIONS];
	int conn_count;
	int closed_count; /* connections this side has closed */
};

struct conn {
	pcf_fake_server *server;
	int fd;
};

/* Waits until fd is readable; 0 when the server is stopping. */
static int wait_readable(pcf_fake_server *s, int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	while (!s->stopping) {
		int n = poll(&p, 1, 50);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return 0;
	}
	return 0;
}

/* Reads one request; returns 0, or -1 when the client went away. */
static int read_request(pcf_fake_server *s, int fd, pcf_fake_request *req)
{
	char buf[16384];
	size_t used = 0;
	char *end = NULL;
	long content_length = 0;

	while (!end) {
		ssize_t n;
		if (used + 1 >= sizeof(buf) || !wait_readable(s, fd))
			return -1;
		n = recv(fd, buf + used, sizeof(buf) - 1 - used, 0);
		if (n <= 0)
			return -1;
		used += (size_t)n;
		buf[used] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	*end = '\0';
	sscanf(buf, "%15s %1023s", req->method, req->path);
	snprintf(req->headers, sizeof(req->headers), "%s",
	         strchr(buf, '\n') ? strchr(buf, '\n') + 1 : "");
	for (const char *h = buf; (h = strchr(h, '\n')); h++)
		if (strncasecmp(h + 1, "content-length:", 15) == 0)
			content_length = strtol(h + 16, NULL, 10);
	req->body = calloc(1, (size_t)content_length + 1);
	if (!req->body)
		return -1;
	size_t have = used - (size_t)(end + 4 - buf);
	if (have > (size_t)content_length)
		have = (size_t)content_length;
	memcpy(req->body, end + 4, have);
	while (have < (size_t)content_length) {
		ssize_t n;
		if (!wait_readable(s, fd))
			return -1;
		n = recv(fd, req->body + have, (size_t)content_length - have, 0);
		if (n <= 0)
			return -1;
		have += (size_t)n;
	}
	req->body_len = have;
	return 0;
}

void pcf_fake_send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n <= 0)
			return;
		data += n;
		len -= (size_t)n;
	}
}

static void respond(int fd, const pcf_fake_response *r, int index)
{
	char head[4096];
	const char *body = r->body ? r->body : "";
	int n = snprintf(head, sizeof(head),
	                 "HTTP/1.1 %d Fake\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                 "x-amzn-RequestId: fake-%d\r\n%s\r\n",
	                 r->status ? r->status : 200,
	                 r->content_type ? r->content_type : "application/x-amz-json-1.0",
	                 strlen(body), index, r->extra_headers ? r->extra_headers : "");
	pcf_fake_send_all(fd, head, (size_t)n);
	pcf_fake_send_all(fd, body, strlen(body));
}

static void reset_connection(int fd)
{
	struct linger l = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

/* Holds the connection open without answering until the client leaves. */
static void hang(pcf_fake_server *s, int fd)
{
	char sink[256];
	while (wait_readable(s, fd))
		if (recv(fd, sink, sizeof(sink), 0) <= 0)
			return;
}

static int next_index(pcf_fake_server *s, const pcf_fake_request *req)
{
	int index;
	pthread_mutex_lock(&s->lock);
	index = s->requests++;
	if (index < MAX_KEPT)
		s->kept[index] = strdup(req->headers);
	pthread_mutex_unlock(&s->lock);
	return index;
}

static void *serve_connection(void *arg)
{
	struct conn *c = arg;
	pcf_fake_server *s = c->server;

	for (;;) {
		pcf_fake_request req;
		pcf_fake_response resp;
		memset(&req, 0, sizeof(req));
		memset(&resp, 0, sizeof(resp));
		if (read_request(s, c->fd, &req) < 0) {
			free(req.body);
			break;
		}
		req.index = next_index(s, &req);
		s->handler(&req, &resp, s->payload);
		free(req.body);
		if (resp.action == PCF_FAKE_RESET) {
			reset_connection(c->fd);
			break;
		}
		if (resp.action == PCF_FAKE_HANG) {
			hang(s, c->fd);
			break;
		}
		respond(c->fd, &resp, req.index);
	}
	close(c->fd);
	pthread_mutex_lock(&s->lock);
	s->closed_count++;
	pthread_mutex_unlock(&s->lock);
	free(c);
	return NULL;
}

static void *accept_loop(void *arg)
{
	pcf_fake_server *s = arg;

	while (wait_readable(s, s->listen_fd)) {
		int fd = accept(s->listen_fd, NULL, NULL);
		struct conn *c;
		if (fd < 0)
			continue;
		c = malloc(sizeof(*c));
		pthread_mutex_lock(&s->lock);
		if (!c || s->conn_count == MAX_CONNECTIONS) {
			pthread_mutex_unlock(&s->lock);
			free(c);
			close(fd);
			continue;
		}
		c->server = s;
		c->fd = fd;
		if (pthread_create(&s->conns[s->conn_count], NULL, serve_connection, c) == 0)
			s->conn_count++;
		else {
			close(fd);
			free(c);
		}
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

static void script_handler(const pcf_fake_request *req, pcf_fake_response *resp, void *payload)
{
	pcf_fake_server *s = payload;
	static const pcf_fake_response ok = {PCF_FAKE_RESPOND, 200, "{}", NULL, NULL};

	if ((size_t)req->index < s->script_count)
		*resp = s->script[req->index];
	else
		*resp = s->otherwise ? *s->otherwise : ok;
}

int pcf_fake_server_start(pcf_fake_server **out, pcf_fake_handler handler, void *payload)
{
	pcf_fake_server *s = calloc(1, sizeof(*s));
	struct sockaddr_in addr;
	socklen_t len = sizeof(addr);
	int one = 1;

	*out = NULL;
	if (!s)
		return -1;
	s->handler = handler;
	s->payload = payload;
	s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	pcf_local_loopback(&addr, 0);
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(s->listen_fd, 64) < 0 ||
	    getsockname(s->listen_fd, (struct sockaddr *)&addr, &len) < 0) {
		if (s->listen_fd >= 0)
			close(s->listen_fd);
		free(s);
		return -1;
	}
	snprintf(s->url, sizeof(s->url), "http://127.0.0.1:%d", ntohs(addr.sin_port));
	pthread_mutex_init(&s->lock, NULL);
	if (pthread_create(&s->acceptor, NULL, accept_loop, s) != 0) {
		close(s->listen_fd);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

int pcf_fake_server_start_script(pcf_fake_server **out, const pcf_fake_response *script,
                                 size_t count, const pcf_fake_response *otherwise)
{
	int rc = pcf_fake_server_start(out, script_handler, NULL);
	if (rc == 0) {
		(*out)->payload = *out;
		(*out)->script = script;
		(*out)->script_count = count;
		(*out)->otherwise = otherwise;
	}
	return rc;
}

/* Reads one counter under the lock the connection threads update it with. */
static int locked_count(const pcf_fake_server *server, const int *counter)
{
	pcf_fake_server *s = (pcf_fake_server *)server;
	int n;
	pthread_mutex_lock(&s->lock);
	n = *counter;
	pthread_mutex_unlock(&s->lock);
	return n;
}

int pcf_fake_server_connection_count(const pcf_fake_server *server)
{
	return locked_count(server, &server->conn_count);
}

int pcf_fake_server_closed_count(const pcf_fake_server *server)
{
	return locked_count(server, &server->closed_count);
}

const char *pcf_fake_server_url(const pcf_fake_server *server)
{
	return server->url;
}

int pcf_fake_server_request_count(const pcf_fake_server *server)
{
	return locked_count(server, &server->requests);
}

int pcf_fake_server_request_header(const pcf_fake_server *server, int index, const char *name,
                                   char *out, size_t size)
{
	pcf_fake_server *s = (pcf_fake_server *)server;
	size_t nlen = strlen(name);
	int rc = -1;

	pthread_mutex_lock(&s->lock);
	const char *h = index >= 0 && index < MAX_KEPT ? s->kept[index] : NULL;
	for (const char *line = h; line && *line;
	     line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncasecmp(line, name, nlen) == 0 && line[nlen] == ':') {
			const char *v = line + nlen + 1;
			size_t vlen = strcspn(v, "\r\n");
			while (*v == ' ' && vlen > 0) {
				v++;
				vlen--;
			}
			snprintf(out, size, "%.*s", (int)vlen, v);
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void pcf_fake_server_stop(pcf_fake_server *server)
{
	if (!server)
		return;
	server->stopping = 1;
	pthread_join(server->acceptor, NULL);
	for (int i = 0; i < server->conn_count; i++)
		pthread_join(server->conns[i], NULL);
	close(server->listen_fd);
	for (int i = 0; i < MAX_KEPT; i++)
		free(server->kept[i]);
	pthread_mutex_destroy(&server->lock);
	free(server);
}

void pcf_fake_dynamodb_action(char *out, size_t size, const pcf_fake_request *req)
{
	static const char prefix[] = "X-Amz-Target: DynamoDB_20120810.";
	const char *h = strstr(req->headers, prefix);

	out[0] = '\0';
	if (h == NULL)
		return;
	h += strlen(prefix);
	snprintf(out, size, "%.*s", (int)strcspn(h, "\r\n"), h);
}

void pcf_fake_environment(void)
{
	static const char *const cleared[] = {
	    "AWS_SESSION_TOKEN",         "AWS_MAX_ATTEMPTS",
	    "DYNAMODB_MAX_RETRIES",      "AWS_ENDPOINT_URL",
	    "AWS_ENDPOINT_URL_DYNAMODB", "PCF_CONNECT_TIMEOUT",
	    "PCF_REQUEST_TIMEOUT",       "AWS_PROFILE",
	};

	setenv("AWS_ACCESS_KEY_ID", "AKIDFAKE", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-key", 1);
	setenv("AWS_REGION", "us-east-1", 1);
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	for (size_t i = 0; i < sizeof(cleared) / sizeof(cleared[0]); i++)
		unsetenv(cleared[i]);
}
