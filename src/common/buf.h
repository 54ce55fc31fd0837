/*
 * A growable, always NUL-terminated byte buffer, shared by every layer:
 * src/aws builds canonical requests, headers and response bodies in it,
 * definitions builds substituted text and node paths.
 *
 * Appends never fail silently: after an allocation failure the buffer is
 * marked failed, later appends are ignored, and pcf_buf_failed tells
 * the caller once, at the end, so call sites stay a straight line.
 */
#ifndef PCF_COMMON_BUF_H
#define PCF_COMMON_BUF_H

#include <stddef.h>

typedef struct pcf_buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	int failed; /* 1 after an allocation failed */
} pcf_buf;

#define PCF_BUF_INIT                                                                               \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

void pcf_buf_append(pcf_buf *buf, const void *data, size_t len);
void pcf_buf_puts(pcf_buf *buf, const char *text);
void pcf_buf_putc(pcf_buf *buf, char c);
void pcf_buf_printf(pcf_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its memory. */
void pcf_buf_reset(pcf_buf *buf);
int pcf_buf_failed(const pcf_buf *buf);
/* Hands the text to the caller (free with free); the buffer is left empty. */
char *pcf_buf_detach(pcf_buf *buf);
void pcf_buf_cleanup(pcf_buf *buf);

#endif
