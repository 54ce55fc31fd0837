/*
 * What no local server can show, against a FAKE server: a few lines of
 * HTTP on 127.0.0.1 in a thread of this test, answering each DynamoDB
 * action with canned JSON. It stands in for DescribeEndpoints (which no
 * local server implements), the continuous backups answers in the
 * service's exact shape (moto's own are in test_dynamodb_client.c),
 * BatchWriteItem answers that leave items unprocessed, an ARCHIVED table,
 * and a malformed response body.
 */
/* Only the fake runs here: no real servers are started for this binary. */
#define PCF_TEST_SERVERS_NO_HOOKS
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <pcf/pcf.h>

#include "test_dynamodb_it.h"

#define FAKE_MAX_CONNECTIONS 64

typedef struct fake {
	int listen_fd;
	pthread_t thread;
	pthread_mutex_t lock; /* guards everything below: connections run in parallel */
	pthread_t conns[FAKE_MAX_CONNECTIONS];
	int nconns;
	char endpoint[64];
	int batch_calls;      /* BatchWriteItem requests seen */
	int leave_rounds;     /* BatchWriteItem leaves one item unprocessed this many times */
	char last_body[4096]; /* the last request body */
} fake;

/* The canned answer for one request; returns a malloc'd body. */
static char *answer(fake *f, const char *target, const char *body)
{
	const char *action = strchr(target, '.') ? strchr(target, '.') + 1 : target;
	if (strcmp(action, "DescribeContinuousBackups") == 0 ||
	    strcmp(action, "UpdateContinuousBackups") == 0)
		return strdup("{\"ContinuousBackupsDescription\":{\"ContinuousBackupsStatus\":"
		              "\"ENABLED\",\"PointInTimeRecoveryDescription\":"
		              "{\"PointInTimeRecoveryStatus\":\"ENABLED\"}}}");
	if (strcmp(action, "DescribeEndpoints") == 0)
		return strdup("{\"Endpoints\":[{\"Address\":\"dynamodb.us-east-1.amazonaws.com\","
		              "\"CachePeriodInMinutes\":1440}]}");
	if (strcmp(action, "DescribeTable") == 0 && strstr(body, "\"broken\""))
		return strdup("{\"Table\":{\"TableName\":");
	if (strcmp(action, "DescribeTable") == 0)
		return strdup("{\"Table\":{\"TableName\":\"old\",\"TableStatus\":\"ARCHIVED\"}}");
	if (strcmp(action, "BatchWriteItem") == 0) {
		const char *end = NULL;
		cJSON *req = cJSON_ParseWithLengthOpts(body, strlen(body) + 1, &end, 1);
		cJSON *ri = cJSON_GetObjectItem(req, "RequestItems"), *resp = cJSON_CreateObject();
		cJSON *left = cJSON_AddObjectToObject(resp, "UnprocessedItems");
		char *text;
		int leave;
		pthread_mutex_lock(&f->lock);
		leave = f->batch_calls++ < f->leave_rounds;
		pthread_mutex_unlock(&f->lock);
		if (leave) {
			cJSON *t = ri->child;
			cJSON_AddItemToArray(cJSON_AddArrayToObject(left, t->string),
			                     cJSON_Duplicate(cJSON_GetArrayItem(t, 0), 1));
		}
		text = cJSON_PrintUnformatted(resp);
		cJSON_Delete(req);
		cJSON_Delete(resp);
		return text;
	}
	return strdup("{}");
}

/* The header line starting with name (any case), or NULL. */
static const char *header(const char *buf, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = buf; p && *p; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL)
		if (strncasecmp(p, name, n) == 0)
			return p + n;
	return NULL;
}

/* Reads one request (headers and Content-Length body); 0 at end of connection. */
static int read_request(int fd, char *buf, size_t size, char **body)
{
	size_t got = 0, need = 0;
	char *hdr_end = NULL;
	while (!hdr_end || got < need) {
		ssize_t n = read(fd, buf + got, size - 1 - got);
		if (n <= 0)
			return 0;
		got += (size_t)n;
		buf[got] = '\0';
		if (!hdr_end && (hdr_end = strstr(buf, "\r\n\r\n")) != NULL) {
			const char *cl = header(buf, "content-length:");
			need = (size_t)(hdr_end + 4 - buf) + (cl ? strtoul(cl, NULL, 10) : 0);
		}
	}
	*body = hdr_end + 4;
	return 1;
}

struct conn {
	fake *f;
	int fd;
};

static void serve(fake *f, int fd)
{
	char *buf = malloc(1 << 20), *body, target[128] = "", head[256];
	while (buf && read_request(fd, buf, 1 << 20, &body)) {
		const char *t = header(buf, "x-amz-target:");
		char *text;
		if (t)
			sscanf(t, " %127s", target);
		pthread_mutex_lock(&f->lock);
		snprintf(f->last_body, sizeof(f->last_body), "%s", body);
		pthread_mutex_unlock(&f->lock);
		text = answer(f, target, body);
		snprintf(head, sizeof(head),
		         "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\n"
		         "x-amzn-RequestId: fake-request\r\nContent-Length: %zu\r\n\r\n",
		         strlen(text));
		if (write(fd, head, strlen(head)) < 0 || write(fd, text, strlen(text)) < 0) {
			free(text);
			break;
		}
		free(text);
	}
	free(buf);
	close(fd);
}

static void *conn_main(void *arg)
{
	struct conn *c = arg;
	serve(c->f, c->fd);
	free(c);
	return NULL;
}

/* One thread per connection, as the client keeps several open at once. */
static void *accept_loop(void *arg)
{
	fake *f = arg;
	int fd;
	while ((fd = accept(f->listen_fd, NULL, NULL)) >= 0) {
		struct conn *c = malloc(sizeof(*c));
		c->f = f;
		c->fd = fd;
		pthread_mutex_lock(&f->lock);
		if (f->nconns < FAKE_MAX_CONNECTIONS &&
		    pthread_create(&f->conns[f->nconns], NULL, conn_main, c) == 0) {
			f->nconns++;
		} else {
			close(fd);
			free(c);
		}
		pthread_mutex_unlock(&f->lock);
	}
	return NULL;
}

static void fake_start(fake *f)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	/* The fake checks no signature, but the client needs something to sign with. */
	setenv("AWS_ACCESS_KEY_ID", "fake", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "fake", 1);
	setenv("AWS_CONFIG_FILE", "/dev/null", 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null", 1);
	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert_geq(f->listen_fd, 0);
	cr_assert_eq(bind(f->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(f->listen_fd, 16), 0);
	getsockname(f->listen_fd, (struct sockaddr *)&a, &len);
	snprintf(f->endpoint, sizeof(f->endpoint), "http://127.0.0.1:%d", ntohs(a.sin_port));
	cr_assert_eq(pthread_create(&f->thread, NULL, accept_loop, f), 0);
}

/* Call after freeing the client: its connections end when it closes them. */
static void fake_stop(fake *f)
{
	shutdown(f->listen_fd, SHUT_RDWR);
	close(f->listen_fd);
	pthread_join(f->thread, NULL);
	for (int i = 0; i < f->nconns; i++)
		pthread_join(f->conns[i], NULL);
	pthread_mutex_destroy(&f->lock);
}

Test(ddb_fake, continuous_backups_and_endpoints)
{
	fake f;
	pcf_ddb *db;
	cJSON *out = NULL, *spec = it_json("{\"PointInTimeRecoveryEnabled\":true}");
	pcf_error err = PCF_ERROR_INIT;
	fake_start(&f);
	db = it_client_at(f.endpoint);
	IT_OK(pcf_ddb_describe_continuous_backups(&out, db, "t", &err), err);
	cr_assert_str_eq(cJSON_GetObjectItem(out, "ContinuousBackupsStatus")->valuestring,
	                 "ENABLED");
	cJSON_Delete(out);
	IT_OK(pcf_ddb_update_continuous_backups(&out, db, "t", spec, &err), err);
	cr_assert_not_null(strstr(f.last_body, "\"PointInTimeRecoverySpecification\":"
	                                       "{\"PointInTimeRecoveryEnabled\":true}"),
	                   "%s", f.last_body);
	cJSON_Delete(out);
	IT_OK(pcf_ddb_describe_endpoints(&out, db, &err), err);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(out, "Endpoints")), 1);
	cJSON_Delete(out);
	cJSON_Delete(spec);
	pcf_ddb_free(db);
	fake_stop(&f);
}

static cJSON *thirty_puts(void)
{
	cJSON *ri = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(ri, "t");
	for (int i = 0; i < 30; i++) {
		char text[96];
		snprintf(text, sizeof(text), "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"k%d\"}}}}",
		         i);
		cJSON_AddItemToArray(list, it_json(text));
	}
	return ri;
}

Test(ddb_fake, unprocessed_items_are_resent_then_reported)
{
	fake f;
	pcf_ddb *db;
	cJSON *ri = thirty_puts(), *left = NULL;
	pcf_error err = PCF_ERROR_INIT;
	fake_start(&f);
	db = it_client_at(f.endpoint);
	IT_OK(pcf_ddb_set_batch_retry(db, 2, 1, 4, &err), err);
	/* Two requests (25 + 5); the first two answers leave one item each. */
	f.leave_rounds = 2;
	IT_OK(pcf_ddb_batch_write_item(&left, db, ri, &err), err);
	cr_assert_null(left);
	cr_assert_eq(f.batch_calls, 3);
	/* Now every answer leaves one: after two resends, exactly that one is reported. */
	f.batch_calls = 0;
	f.leave_rounds = 1000;
	cr_assert_eq(pcf_ddb_batch_write_item(&left, db, ri, &err),
	             PCF_EPROVISIONED_THROUGHPUT_EXCEEDED);
	cr_assert_eq(f.batch_calls, 2 + 1 + 1);
	cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(left, "t")), 1);
	cJSON_Delete(left);
	cJSON_Delete(ri);
	pcf_ddb_free(db);
	fake_stop(&f);
}

Test(ddb_fake, archived_table_and_malformed_body)
{
	fake f;
	pcf_ddb *db;
	cJSON *out = NULL;
	pcf_error err = PCF_ERROR_INIT;
	fake_start(&f);
	db = it_client_at(f.endpoint);
	cr_assert_eq(pcf_ddb_wait_table(&out, db, "old", PCF_DDB_TABLE_ACTIVE, 10, 60000, &err),
	             PCF_EUNAVAILABLE);
	cr_assert_not_null(strstr(err.message, "ARCHIVED"), "%s", err.message);
	cJSON_Delete(out);
	cr_assert_eq(pcf_ddb_describe_table(&out, db, "broken", &err), PCF_EBADRESPONSE);
	cr_assert_null(out);
	pcf_ddb_free(db);
	fake_stop(&f);
}
