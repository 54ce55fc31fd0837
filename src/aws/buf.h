/*
 * A growable, always NUL-terminated byte buffer for building canonical
 * requests, headers and response bodies inside src/aws.
 *
 * Appends never fail silently: after an allocation failure the buffer is
 * marked failed, later appends are ignored, and pcf_aws_buf_failed tells
 * the caller once, at the end, so call sites stay a straight line.
 */
#ifndef PCF_AWS_BUF_H
#define PCF_AWS_BUF_H

#include <stddef.h>

typedef struct pcf_aws_buf {
	char *data; /* NUL-terminated; NULL until the first append */
	size_t len;
	size_t cap;
	int failed; /* 1 after an allocation failed */
} pcf_aws_buf;

#define PCF_AWS_BUF_INIT                                                                           \
	{                                                                                          \
		NULL, 0, 0, 0                                                                      \
	}

void pcf_aws_buf_append(pcf_aws_buf *buf, const void *data, size_t len);
void pcf_aws_buf_puts(pcf_aws_buf *buf, const char *text);
void pcf_aws_buf_putc(pcf_aws_buf *buf, char c);
void pcf_aws_buf_printf(pcf_aws_buf *buf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its memory. */
void pcf_aws_buf_reset(pcf_aws_buf *buf);
int pcf_aws_buf_failed(const pcf_aws_buf *buf);
/* Hands the text to the caller (free with free); the buffer is left empty. */
char *pcf_aws_buf_detach(pcf_aws_buf *buf);
void pcf_aws_buf_cleanup(pcf_aws_buf *buf);

#endif
