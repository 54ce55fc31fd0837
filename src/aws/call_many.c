/*
 * pcf_aws_call_many: many requests in flight from one thread through a curl
 * multi handle.
 *
 * Each call is a slot that waits (until its backoff ends), flies, and is
 * done. The loop starts waiting slots while fewer than the cap are in
 * flight, lets curl work, collects finished transfers, and sleeps in
 * curl_multi_poll until a socket is ready or the next backoff ends. Easy
 * handles come from the client's pool and go back between attempts, so a
 * batch never holds a connection slot while it only waits.
 */
#include <stdlib.h>
#include <string.h>

#include "exchange.h"

enum slot_state { SLOT_WAITING, SLOT_FLYING, SLOT_DONE };

struct slot {
	pcf_aws_exchange ex; /* first: CURLOPT_PRIVATE points here */
	enum slot_state state;
	uint64_t ready_at_us;
	pcf_aws_call_spec *spec;
};

struct batch {
	pcf_aws_client *client;
	CURLM *multi;
	struct slot *slots;
	size_t count;
	size_t done;
	int in_flight;
	int cap;
};

static void finish_slot(struct batch *b, struct slot *s, int rc, pcf_error *e)
{
	long status = rc == 0 ? s->spec->response.http_status : e->http_status;
	pcf_aws_exchange_report(&s->ex, rc, status, e);
	s->spec->rc = rc;
	if (rc < 0)
		s->spec->error = *e;
	s->state = SLOT_DONE;
	b->done++;
}

/* Starts one waiting slot on a handle; returns 0, or -1 when no handle is free. */
static int start_slot(struct batch *b, struct slot *s)
{
	pcf_error e = PCF_ERROR_INIT;
	CURL *easy = b->in_flight == 0 ? pcf_aws_pool_acquire(b->client->pool)
	                               : pcf_aws_pool_try_acquire(b->client->pool);
	int rc;

	if (!easy)
		return -1;
	rc = pcf_aws_exchange_prepare(&s->ex, easy, &e);
	if (rc == 0 && curl_multi_add_handle(b->multi, easy) != CURLM_OK)
		rc = pcf_error_set(&e, PCF_ENOMEM, "curl_multi_add_handle failed");
	if (rc < 0) {
		pcf_aws_pool_release(b->client->pool, easy);
		finish_slot(b, s, rc, &e);
		return 0;
	}
	s->state = SLOT_FLYING;
	b->in_flight++;
	return 0;
}

/* Starts what may start; returns the poll timeout in ms. */
static long start_ready(struct batch *b)
{
	uint64_t now = pcf_util_now_us(), next = UINT64_MAX;

	for (size_t i = 0; i < b->count; i++) {
		struct slot *s = &b->slots[i];
		if (s->state != SLOT_WAITING)
			continue;
		if (s->ready_at_us > now) {
			next = s->ready_at_us < next ? s->ready_at_us : next;
			continue;
		}
		if (b->in_flight >= b->cap || start_slot(b, s) < 0) {
			next = now;
			break;
		}
	}
	if (next == UINT64_MAX)
		return 1000;
	return next <= now ? (b->in_flight ? 10 : 0) : (long)((next - now) / 1000 + 1);
}

static void collect_done(struct batch *b)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(b->multi, &left))) {
		struct slot *s = NULL;
		pcf_error e = PCF_ERROR_INIT;
		int rc;

		if (msg->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
		CURLcode result = msg->data.result;
		CURL *easy = msg->easy_handle;
		curl_multi_remove_handle(b->multi, easy);
		b->in_flight--;
		rc = pcf_aws_exchange_finish(&s->ex, result, &s->spec->response, &e);
		pcf_aws_pool_release(b->client->pool, easy);
		if (rc == 0 || !e.retryable) {
			finish_slot(b, s, rc, &e);
			continue;
		}
		long delay = pcf_aws_retry_delay_ms(&b->client->retry, s->ex.attempts, rc);
		long time_left = pcf_aws_exchange_time_left_ms(&s->ex);
		if (time_left >= 0 && delay >= time_left) {
			/* The backoff would end past the run's deadline. */
			rc = pcf_aws_exchange_deadline_error(&s->ex, "before the next attempt", &e);
			finish_slot(b, s, rc, &e);
			continue;
		}
		s->state = SLOT_WAITING;
		s->ready_at_us = pcf_util_now_us() + 1000u * (uint64_t)delay;
	}
}

static int run_batch(struct batch *b, pcf_error *err)
{
	while (b->done < b->count) {
		long timeout_ms = start_ready(b);
		int running = 0;
		if (b->done == b->count)
			break;
		if (curl_multi_perform(b->multi, &running) != CURLM_OK)
			return pcf_error_set(err, PCF_EINTERNAL, "curl_multi_perform failed");
		collect_done(b);
		if (b->done == b->count)
			break;
		if (timeout_ms > 0 &&
		    curl_multi_poll(b->multi, NULL, 0, (int)timeout_ms, NULL) != CURLM_OK)
			return pcf_error_set(err, PCF_EINTERNAL, "curl_multi_poll failed");
	}
	return 0;
}

int pcf_aws_call_many(pcf_aws_client *client, pcf_aws_call_spec *calls, size_t count,
                      int max_in_flight, pcf_error *err)
{
	struct batch b;
	int rc;

	if (!client || (!calls && count))
		return pcf_error_set(err, PCF_EINVAL,
		                     "pcf_aws_call_many: client and calls required");
	memset(&b, 0, sizeof(b));
	b.client = client;
	b.count = count;
	b.cap = max_in_flight > 0 && max_in_flight < client->max_connections
	            ? max_in_flight
	            : client->max_connections;
	b.slots = calloc(count ? count : 1, sizeof(*b.slots));
	b.multi = curl_multi_init();
	if (!b.slots || !b.multi) {
		rc = pcf_error_set(err, PCF_ENOMEM, "out of memory");
		goto out;
	}
	/* Transfers in the multi handle use its cache: keep one connection per slot. */
	curl_multi_setopt(b.multi, CURLMOPT_MAXCONNECTS, (long)b.cap);
	for (size_t i = 0; i < count; i++) {
		memset(&calls[i].response, 0, sizeof(calls[i].response));
		calls[i].rc = 0;
		pcf_error_clear(&calls[i].error);
		b.slots[i].spec = &calls[i];
		pcf_aws_exchange_init(&b.slots[i].ex, client, calls[i].action, calls[i].body,
		                      calls[i].len);
		if (!calls[i].action) {
			calls[i].rc =
			    pcf_error_set(&calls[i].error, PCF_EINVAL, "call %zu has no action", i);
			b.slots[i].state = SLOT_DONE;
			b.done++;
		}
	}
	rc = run_batch(&b, err);
out:
	for (size_t i = 0; b.slots && i < count; i++) {
		if (b.slots[i].state == SLOT_FLYING) {
			curl_multi_remove_handle(b.multi, b.slots[i].ex.easy);
			pcf_aws_pool_release(client->pool, b.slots[i].ex.easy);
		}
		pcf_aws_exchange_cleanup(&b.slots[i].ex);
	}
	if (b.multi)
		curl_multi_cleanup(b.multi);
	free(b.slots);
	return rc;
}
