/*
 * Logging through a caller's callback, and secret redaction.
 *
 * Lines are formatted here into a bounded buffer and handed over whole, so a
 * callback never sees a partial line even when threads log at once.
 */
#include <pcf/common.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define LOG_LINE_MAX 4096

static const char *level_names[] = {"error", "warn", "info", "debug", "trace"};

int pcf_log_enabled(const pcf_logger *logger, pcf_log_level level)
{
	pcf_log_level max = logger ? logger->level : PCF_LOG_WARN;
	return level <= max;
}

void pcf_log(const pcf_logger *logger, pcf_log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	if (!pcf_log_enabled(logger, level))
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (logger && logger->fn) {
		logger->fn(level, line, logger->payload);
		return;
	}
	fprintf(stderr, "pcf: %s: %s\n", level_names[level], line);
}

/*
 * Names whose value is a secret, matched case-insensitively. After the name
 * comes a separator (':', '=', or '":' in JSON) and then the value, which is
 * masked up to the next delimiter.
 */
static const char *secret_names[] = {
    "Signature",
    "X-Amz-Security-Token",
    "aws_secret_access_key",
    "aws_session_token",
    "SecretAccessKey",
    "SessionToken",
    "Token",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
};

static size_t match_secret_name(const char *p)
{
	for (size_t i = 0; i < sizeof(secret_names) / sizeof(secret_names[0]); i++) {
		size_t n = strlen(secret_names[i]);
		if (strncasecmp(p, secret_names[i], n) == 0)
			return n;
	}
	return 0;
}

/* Length of a separator between a secret's name and its value, or 0. */
static size_t separator_length(const char *p)
{
	size_t n = 0;
	if (p[n] == '"')
		n++;
	while (p[n] == ' ')
		n++;
	if (p[n] != ':' && p[n] != '=')
		return 0;
	n++;
	while (p[n] == ' ')
		n++;
	if (p[n] == '"')
		n++;
	return n;
}

static int ends_value(char c)
{
	return c == '\0' || c == '"' || c == ',' || c == '\r' || c == '\n' || c == '&' ||
	       c == ';' || isspace((unsigned char)c);
}

void pcf_redact(char *out, size_t out_size, const char *text)
{
	size_t o = 0;
	const char *p = text;

	if (!out || out_size == 0)
		return;
	while (*p && o + 1 < out_size) {
		int at_word_start = p == text || !isalnum((unsigned char)p[-1]);
		size_t name = at_word_start ? match_secret_name(p) : 0;
		size_t sep = name ? separator_length(p + name) : 0;
		if (name && sep) {
			size_t keep = name + sep;
			for (size_t i = 0; i < keep && o + 1 < out_size; i++)
				out[o++] = p[i];
			p += keep;
			const char *mask = "***";
			for (; *mask && o + 1 < out_size; mask++)
				out[o++] = *mask;
			while (!ends_value(*p))
				p++;
			continue;
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}
