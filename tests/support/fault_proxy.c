/*
 * The FAKE fault-injecting proxy (see fault_proxy.h). One thread accepts;
 * each client connection gets a thread that reads a request, decides its
 * fate under the lock (so the sequence of decisions follows the seed), and
 * forwards it on a fresh upstream connection when the fate needs the
 * server's answer. HTTP is read just far enough for DynamoDB's protocol:
 * a header block and a Content-Length body.
 */
#include "fault_proxy.h"
#include "fake_http.h"
#include "local_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG_MAX (1024 * 1024)

struct pcf_fault_proxy {
	int listen_fd;
	int upstream_port;
	char url[64];
	unsigned seed;
	int percent;
	int kinds;
	int injected[PCF_FAULT_KIND_COUNT];
	char next_action[64]; /* "" or the action whose next request gets next_kind */
	int next_kind;
	int sticky; /* 1: next_action keeps getting next_kind until cleared */
	int active; /* connection threads running */
	int stopping;
	int fds[256];          /* open client connections, to shut down at stop */
	struct forwarded *log; /* every request forwarded, for pcf_fault_proxy_count */
	size_t log_count, log_capacity;
	pthread_mutex_t lock;
	pthread_cond_t idle;
	pthread_t acceptor;
};

struct forwarded {
	char action[64];
	char *body;
};

struct conn {
	pcf_fault_proxy *proxy;
	int fd;
	int slot;
};

/* The Content-Length of a header block ending at end; 0 when absent. */
static long content_length(const char *buf, const char *end)
{
	const char *line = buf;

	while (line && line < end) {
		if (strncasecmp(line, "content-length:", 15) == 0)
			return strtol(line + 15, NULL, 10);
		line = strstr(line, "\r\n");
		if (line)
			line += 2;
	}
	return 0;
}

/* Reads one message (headers, then Content-Length bytes) into buf; its length or -1. */
static long read_message(int fd, char *buf, long cap, long *header_len)
{
	long len = 0, need = -1;

	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		char *end;
		ssize_t n;

		if (need >= 0 && len >= need)
			return need;
		if (len >= cap - 1 || poll(&p, 1, 30000) <= 0)
			return -1;
		n = read(fd, buf + len, (size_t)(cap - 1 - len));
		if (n <= 0)
			return -1;
		len += n;
		buf[len] = '\0';
		if (need < 0 && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			*header_len = end + 4 - buf;
			need = *header_len + content_length(buf, end);
		}
	}
}

static void reset_and_close(int fd)
{
	struct linger l = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
}

/* Sends req to the server and reads its answer into resp; its length or -1. */
static long forward(pcf_fault_proxy *p, const char *req, long req_len, char *resp, long *hlen)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	long n = -1;

	if (fd < 0)
		return -1;
	pcf_local_loopback(&a, p->upstream_port);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
		pcf_fake_send_all(fd, req, (size_t)req_len);
		n = read_message(fd, resp, MSG_MAX, hlen);
	}
	close(fd);
	return n;
}

static void canned(int fd, int status, const char *type)
{
	char body[256], head[512];
	int blen = type ? snprintf(body, sizeof(body),
	                           "{\"__type\":\"com.amazonaws.dynamodb.v20120810#%s\","
	                           "\"message\":\"injected %s\"}",
	                           type, type)
	                : 0;
	int hlen = snprintf(head, sizeof(head),
	                    "HTTP/1.1 %d Injected\r\nContent-Type: application/x-amz-json-1.0\r\n"
	                    "Content-Length: %d\r\n\r\n",
	                    status, blen);
	pcf_fake_send_all(fd, head, (size_t)hlen);
	pcf_fake_send_all(fd, body, (size_t)blen);
}

/* The server's answer with its header block rewritten: x-amz-crc32 and the body replaced. */
static void rewritten(int fd, const char *resp, long hlen, const char *crc, const char *body,
                      long blen)
{
	char *out = malloc((size_t)hlen + 128);
	long o = 0;
	const char *line = resp;

	if (!out)
		return;
	while (line < resp + hlen - 2) {
		const char *eol = strstr(line, "\r\n");
		if (!eol)
			break;
		if (strncasecmp(line, "x-amz-crc32:", 12) &&
		    strncasecmp(line, "content-length:", 15)) {
			memcpy(out + o, line, (size_t)(eol + 2 - line));
			o += eol + 2 - line;
		}
		line = eol + 2;
	}
	o += snprintf(out + o, 128, "%s%s%sContent-Length: %ld\r\n\r\n", crc ? "x-amz-crc32: " : "",
	              crc ? crc : "", crc ? "\r\n" : "", blen);
	pcf_fake_send_all(fd, out, (size_t)o);
	pcf_fake_send_all(fd, body, (size_t)blen);
	free(out);
}

/* 1 when the request's X-Amz-Target names action. */
static int targets(const char *req, const char *action)
{
	char header[96];

	snprintf(header, sizeof(header), ".%s\r\n", action);
	return strstr(req, header) != NULL;
}

/* Picks the fate of the request: -1 forwards it untouched. */
static int decide(pcf_fault_proxy *p, const char *req)
{
	int kind = -1;

	pthread_mutex_lock(&p->lock);
	if (p->next_action[0] && targets(req, p->next_action)) {
		kind = p->next_kind;
		if (!p->sticky)
			p->next_action[0] = '\0';
		p->injected[kind]++;
	} else if ((int)(rand_r(&p->seed) % 100) < p->percent) {
		kind = (int)(rand_r(&p->seed) % (unsigned)p->kinds);
		p->injected[kind]++;
	}
	pthread_mutex_unlock(&p->lock);
	return kind;
}

/* Notes a request about to be forwarded: its X-Amz-Target action and its body. */
static void note_forwarded(pcf_fault_proxy *p, const char *req, long hlen, long len)
{
	const char *line = req, *end = req + hlen, *dot;
	struct forwarded f;
	size_t n;

	memset(&f, 0, sizeof(f));
	while (line && line < end && strncasecmp(line, "x-amz-target:", 13))
		if ((line = strstr(line, "\r\n")) != NULL)
			line += 2;
	if (!line || line >= end || !(dot = memchr(line, '.', (size_t)(end - line))))
		return;
	n = strcspn(dot + 1, "\r");
	snprintf(f.action, sizeof(f.action), "%.*s", (int)n, dot + 1);
	f.body = strndup(req + hlen, (size_t)(len - hlen));
	pthread_mutex_lock(&p->lock);
	if (f.body && p->log_count == p->log_capacity) {
		size_t cap = p->log_capacity ? 2 * p->log_capacity : 64;
		struct forwarded *grown = realloc(p->log, cap * sizeof(*grown));

		if (grown) {
			p->log = grown;
			p->log_capacity = cap;
		}
	}
	if (f.body && p->log_count < p->log_capacity) {
		p->log[p->log_count++] = f;
		f.body = NULL;
	}
	pthread_mutex_unlock(&p->lock);
	free(f.body);
}

/* Serves one request; 0 to keep the connection, -1 to close it. */
static int serve(pcf_fault_proxy *p, int fd, char *req, char *resp)
{
	long hlen = 0, rhlen = 0, len = read_message(fd, req, MSG_MAX, &hlen), rlen;
	int kind;

	if (len < 0)
		return -1;
	switch ((kind = decide(p, req))) {
	case PCF_FAULT_500:
		canned(fd, 500, "InternalServerError");
		return 0;
	case PCF_FAULT_503:
		canned(fd, 503, NULL);
		return 0;
	case PCF_FAULT_THROTTLE:
		canned(fd, 400, "ThrottlingException");
		return 0;
	case PCF_FAULT_VALIDATION:
		canned(fd, 400, "ValidationException");
		return 0;
	case PCF_FAULT_RESET:
		reset_and_close(fd);
		return -1;
	case PCF_FAULT_DELAY:
		usleep(300000);
		break;
	default:
		break;
	}
	note_forwarded(p, req, hlen, len);
	if ((rlen = forward(p, req, len, resp, &rhlen)) < 0)
		return -1;
	if (kind == PCF_FAULT_LOST_REPLY) {
		reset_and_close(fd);
		return -1;
	}
	if (kind == PCF_FAULT_TRUNCATE) {
		pcf_fake_send_all(fd, resp, (size_t)(rhlen + (rlen - rhlen) / 2));
		reset_and_close(fd);
		return -1;
	}
	if (kind == PCF_FAULT_BAD_CRC)
		rewritten(fd, resp, rhlen, "1", resp + rhlen, rlen - rhlen);
	else if (kind == PCF_FAULT_NOT_JSON)
		rewritten(fd, resp, rhlen, NULL, "<html>gateway</html>", 20);
	else
		pcf_fake_send_all(fd, resp, (size_t)rlen);
	return 0;
}

static void *connection(void *arg)
{
	struct conn *c = arg;
	pcf_fault_proxy *p = c->proxy;
	char *req = malloc(MSG_MAX), *resp = malloc(MSG_MAX);

	while (req && resp && serve(p, c->fd, req, resp) == 0)
		;
	free(req);
	free(resp);
	pthread_mutex_lock(&p->lock);
	close(c->fd);
	if (c->slot >= 0)
		p->fds[c->slot] = -1;
	p->active--;
	pthread_cond_broadcast(&p->idle);
	pthread_mutex_unlock(&p->lock);
	free(c);
	return NULL;
}

static void *accept_loop(void *arg)
{
	pcf_fault_proxy *p = arg;

	for (;;) {
		int fd = accept(p->listen_fd, NULL, NULL);
		struct conn *c;
		pthread_t t;

		if (fd < 0)
			return NULL;
		c = malloc(sizeof(*c));
		pthread_mutex_lock(&p->lock);
		if (!c || p->stopping) {
			pthread_mutex_unlock(&p->lock);
			close(fd);
			free(c);
			continue;
		}
		c->proxy = p;
		c->fd = fd;
		c->slot = -1;
		for (int i = 0; i < 256 && c->slot < 0; i++)
			if (p->fds[i] < 0)
				p->fds[c->slot = i] = fd;
		p->active++;
		pthread_mutex_unlock(&p->lock);
		if (pthread_create(&t, NULL, connection, c) != 0) {
			pthread_mutex_lock(&p->lock);
			p->active--;
			pthread_mutex_unlock(&p->lock);
			close(fd);
			free(c);
			continue;
		}
		pthread_detach(t);
	}
}

int pcf_fault_proxy_start(pcf_fault_proxy **out, const char *upstream, unsigned seed, int percent,
                          int non_retryable)
{
	pcf_fault_proxy *p = calloc(1, sizeof(*p));
	const char *colon = upstream ? strrchr(upstream, ':') : NULL;
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);

	*out = NULL;
	if (!p || !colon)
		goto fail;
	p->upstream_port = (int)strtol(colon + 1, NULL, 10);
	p->seed = seed;
	p->percent = percent;
	p->kinds = non_retryable ? PCF_FAULT_KIND_COUNT : PCF_FAULT_RETRYABLE_KINDS;
	for (int i = 0; i < 256; i++)
		p->fds[i] = -1;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->idle, NULL);
	p->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	pcf_local_loopback(&a, 0);
	if (p->listen_fd < 0 || bind(p->listen_fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    listen(p->listen_fd, 64) != 0 ||
	    getsockname(p->listen_fd, (struct sockaddr *)&a, &alen) != 0)
		goto fail;
	snprintf(p->url, sizeof(p->url), "http://127.0.0.1:%d", ntohs(a.sin_port));
	if (pthread_create(&p->acceptor, NULL, accept_loop, p) != 0)
		goto fail;
	*out = p;
	return 0;
fail:
	if (p && p->listen_fd > 0)
		close(p->listen_fd);
	free(p);
	return -1;
}

void pcf_fault_proxy_next(pcf_fault_proxy *proxy, const char *action, pcf_fault_kind kind)
{
	pthread_mutex_lock(&proxy->lock);
	snprintf(proxy->next_action, sizeof(proxy->next_action), "%s", action);
	proxy->next_kind = (int)kind;
	proxy->sticky = 0;
	pthread_mutex_unlock(&proxy->lock);
}

void pcf_fault_proxy_always(pcf_fault_proxy *proxy, const char *action, pcf_fault_kind kind)
{
	pthread_mutex_lock(&proxy->lock);
	snprintf(proxy->next_action, sizeof(proxy->next_action), "%s", action ? action : "");
	proxy->next_kind = (int)kind;
	proxy->sticky = action != NULL;
	pthread_mutex_unlock(&proxy->lock);
}

const char *pcf_fault_proxy_url(const pcf_fault_proxy *proxy)
{
	return proxy->url;
}

int pcf_fault_proxy_injected(pcf_fault_proxy *proxy, pcf_fault_kind kind)
{
	int n;
	pthread_mutex_lock(&proxy->lock);
	n = proxy->injected[kind];
	pthread_mutex_unlock(&proxy->lock);
	return n;
}

int pcf_fault_proxy_count(pcf_fault_proxy *proxy, const char *action, const char *needle)
{
	int n = 0;

	pthread_mutex_lock(&proxy->lock);
	for (size_t k = 0; k < proxy->log_count; k++)
		if (!strcmp(proxy->log[k].action, action) &&
		    (!needle || strstr(proxy->log[k].body, needle)))
			n++;
	pthread_mutex_unlock(&proxy->lock);
	return n;
}

void pcf_fault_proxy_stop(pcf_fault_proxy *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stopping = 1;
	for (int i = 0; i < 256; i++)
		if (p->fds[i] >= 0)
			shutdown(p->fds[i], SHUT_RDWR);
	pthread_mutex_unlock(&p->lock);
	shutdown(p->listen_fd, SHUT_RDWR);
	close(p->listen_fd);
	pthread_join(p->acceptor, NULL);
	pthread_mutex_lock(&p->lock);
	while (p->active > 0)
		pthread_cond_wait(&p->idle, &p->lock);
	pthread_mutex_unlock(&p->lock);
	for (size_t k = 0; k < p->log_count; k++)
		free(p->log[k].body);
	free(p->log);
	free(p);
}
