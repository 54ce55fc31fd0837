/*
 * The /metrics endpoint of pcf watch on loopback: GET and HEAD of /metrics
 * answer with the exposition, other paths 404, other methods 405, a
 * request that is not HTTP 400; a malformed --metrics-addr is refused
 * with a message naming it, and an address that is not loopback is warned
 * about (192.0.2.1, a documentation address that no host has, so nothing
 * is bound outside loopback).
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "src/cli/watch.h"

static pcf_cli_metrics m;
static pcf_cli_context ctx;
static char *err_text;
static size_t err_len;

static void setup(void)
{
	memset(&ctx, 0, sizeof(ctx));
	ctx.command = "watch";
	ctx.out = stdout;
	ctx.err = open_memstream(&err_text, &err_len);
	cr_assert_not_null(ctx.err);
	cr_assert_eq(pcf_cli_metrics_init(&m), 0);
}

static void teardown(void)
{
	fclose(ctx.err);
	free(err_text);
	pcf_cli_metrics_cleanup(&m);
}

TestSuite(metrics_http, .init = setup, .fini = teardown);

/* Sends request to the server behind url and returns the whole answer (free it). */
static char *ask(const char *url, const char *request)
{
	struct sockaddr_in sa;
	unsigned port = 0;
	char chunk[2048], *answer = NULL;
	size_t len = 0;
	ssize_t n;
	int fd;

	cr_assert_eq(sscanf(url, "http://127.0.0.1:%u/metrics", &port), 1, "%s", url);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(fd, 0);
	cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(write(fd, request, strlen(request)), (ssize_t)strlen(request));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		answer = realloc(answer, len + (size_t)n + 1);
		cr_assert_not_null(answer);
		memcpy(answer + len, chunk, (size_t)n);
		len += (size_t)n;
		answer[len] = '\0';
	}
	close(fd);
	cr_assert_not_null(answer, "no answer to %s", request);
	return answer;
}

Test(metrics_http, answers_get_head_and_nothing_else)
{
	static const struct {
		const char *request;
		const char *status;
		const char *has; /* in the answer, or NULL */
		const char *lacks;
	} cases[] = {
	    {"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", "HTTP/1.1 200 OK\r\n",
	     "\r\n\r\n# HELP pcf_watch_particles", NULL},
	    {"GET /metrics?x=1 HTTP/1.0\r\n\r\n", "HTTP/1.1 200 OK\r\n", "pcf_watch_rounds_total 0",
	     NULL},
	    {"HEAD /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n", "Content-Length: ", "# HELP"},
	    {"GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found\r\n", NULL, "# HELP"},
	    {"POST /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 405 Method Not Allowed\r\n",
	     "Allow: GET, HEAD\r\n", "# HELP"},
	    {"hello\r\n\r\n", "HTTP/1.1 400 Bad Request\r\n", NULL, "# HELP"},
	};
	pcf_cli_metrics_server *server = NULL;

	cr_assert_eq(pcf_cli_metrics_server_start(&server, &ctx, "127.0.0.1:0", &m), 0, "%s",
	             err_text);
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		char *answer = ask(pcf_cli_metrics_server_url(server), cases[k].request);

		cr_assert_eq(strncmp(answer, cases[k].status, strlen(cases[k].status)), 0,
		             "%s-> %s", cases[k].request, answer);
		if (cases[k].has)
			cr_assert_not_null(strstr(answer, cases[k].has), "%s", answer);
		if (cases[k].lacks)
			cr_assert_null(strstr(answer, cases[k].lacks), "%s", answer);
		free(answer);
	}
	pcf_cli_metrics_server_stop(server);
	fflush(ctx.err);
	cr_assert_null(strstr(err_text, "warning"), "loopback needs no warning: %s", err_text);
}

Test(metrics_http, refuses_a_malformed_address)
{
	static const char *const bad[] = {"9464",  "127.0.0.1", "127.0.0.1:",   "127.0.0.1:99999",
	                                  ":9464", "[::1:9464", "127.0.0.1:80x"};

	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		pcf_cli_metrics_server *server = (pcf_cli_metrics_server *)&m;

		cr_assert_eq(pcf_cli_metrics_server_start(&server, &ctx, bad[k], &m), PCF_EINVAL,
		             "%s", bad[k]);
		cr_assert_null(server);
		fflush(ctx.err);
		cr_assert_not_null(strstr(err_text, bad[k]), "the message names '%s': %s", bad[k],
		                   err_text);
	}
}

Test(metrics_http, warns_of_an_address_that_is_not_loopback)
{
	pcf_cli_metrics_server *server = NULL;
	int rc = pcf_cli_metrics_server_start(&server, &ctx, "192.0.2.1:0", &m);

	fflush(ctx.err);
	cr_assert_not_null(strstr(err_text, "not a loopback address"), "%s", err_text);
	/* No interface has that address: binding fails, and says where. */
	cr_assert_eq(rc, PCF_EIO, "%s", err_text);
	cr_assert_not_null(strstr(err_text, "cannot listen there"), "%s", err_text);
	pcf_cli_metrics_server_stop(server);
}
