/*
 * Growable text buffer. Growth doubles so building a request costs a few
 * allocations at most; a failed allocation poisons the buffer instead of
 * making every call site check.
 */
#include "src/common/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(pcf_buf *buf, size_t extra)
{
	size_t need, cap;
	char *grown;

	if (buf->failed)
		return -1;
	need = buf->len + extra + 1;
	if (need <= buf->cap)
		return 0;
	cap = buf->cap ? buf->cap : 64;
	while (cap < need)
		cap *= 2;
	grown = realloc(buf->data, cap);
	if (!grown) {
		buf->failed = 1;
		return -1;
	}
	buf->data = grown;
	buf->cap = cap;
	return 0;
}

void pcf_buf_append(pcf_buf *buf, const void *data, size_t len)
{
	if (reserve(buf, len) < 0)
		return;
	if (len)
		memcpy(buf->data + buf->len, data, len);
	buf->len += len;
	buf->data[buf->len] = '\0';
}

void pcf_buf_puts(pcf_buf *buf, const char *text)
{
	pcf_buf_append(buf, text, strlen(text));
}

void pcf_buf_putc(pcf_buf *buf, char c)
{
	pcf_buf_append(buf, &c, 1);
}

void pcf_buf_printf(pcf_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		buf->failed = 1;
		return;
	}
	if (reserve(buf, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf->len += (size_t)n;
}

void pcf_buf_reset(pcf_buf *buf)
{
	buf->len = 0;
	if (buf->data)
		buf->data[0] = '\0';
}

int pcf_buf_failed(const pcf_buf *buf)
{
	return buf->failed;
}

char *pcf_buf_detach(pcf_buf *buf)
{
	char *out;

	if (buf->failed) {
		pcf_buf_cleanup(buf);
		return NULL;
	}
	if (reserve(buf, 0) < 0)
		return NULL;
	/* A buffer nothing was appended to has fresh, unterminated memory. */
	buf->data[buf->len] = '\0';
	out = buf->data;
	buf->data = NULL;
	buf->len = buf->cap = 0;
	return out;
}

void pcf_buf_cleanup(pcf_buf *buf)
{
	if (!buf)
		return;
	free(buf->data);
	buf->data = NULL;
	buf->len = buf->cap = 0;
	buf->failed = 0;
}
