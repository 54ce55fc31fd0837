/*
 * Environment substitution in scalar text.
 *
 * The syntax is the POSIX shell's parameter expansion, cut down to the two
 * forms definitions need: ${NAME} and ${NAME:-default} (plus ${NAME-default},
 * which only falls back when NAME is unset). Everything else is literal;
 * in particular a "$" not followed by "{" stays, because PCF's
 * "$inherit$flavor:name$key.path" values must reach the engine intact.
 * Defaults may nest ("${A:-${B:-x}}"), bounded by MAX_NESTING so a
 * hostile input cannot recurse deeply.
 */
#include "substitute.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "src/common/buf.h"

#define MAX_NESTING 8

static int put(pcf_buf *b, const char *s, size_t n)
{
	pcf_buf_append(b, s, n);
	return pcf_buf_failed(b) ? PCF_ENOMEM : 0;
}

int pcf_defs_why(char *why, size_t why_size, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && why_size > 0) {
		va_start(ap, fmt);
		vsnprintf(why, why_size, fmt, ap);
		va_end(ap);
	}
	return PCF_EDEFINITION;
}

/* Index just past the "}" closing the "${" at text[0..1], or 0 when unclosed. */
static size_t closing_brace(const char *text, size_t len)
{
	size_t i, depth = 0;

	for (i = 0; i < len; i++) {
		if (text[i] == '$' && i + 1 < len && text[i + 1] == '{') {
			depth++;
			i++;
		} else if (text[i] == '}' && --depth == 0) {
			return i + 1;
		}
	}
	return 0;
}

static int expand(pcf_buf *b, const char *text, size_t len, int nesting, char *why,
                  size_t why_size);

/* Expands one "${...}" whose body (between the braces) is body[0..n). */
static int expand_one(pcf_buf *b, const char *body, size_t n, int nesting, char *why,
                      size_t why_size)
{
	size_t name_len = 0;
	char name[256];
	const char *value;
	int colon = 0;

	while (name_len < n && (body[name_len] == '_' || isalnum((unsigned char)body[name_len])))
		name_len++;
	if (name_len == 0 || isdigit((unsigned char)body[0]))
		return pcf_defs_why(why, why_size,
		                    "\"${%.*s}\": expected a variable name after \"${\"", (int)n,
		                    body);
	if (name_len >= sizeof(name))
		return pcf_defs_why(why, why_size, "\"${%.*s...}\": variable name too long", 32,
		                    body);
	memcpy(name, body, name_len);
	name[name_len] = '\0';
	value = getenv(name);
	if (name_len == n) {
		if (value == NULL)
			return pcf_defs_why(
			    why, why_size,
			    "environment variable %s is not set (write ${%s:-default} "
			    "to give a default)",
			    name, name);
		return put(b, value, strlen(value));
	}
	if (body[name_len] == ':' && name_len + 1 < n && body[name_len + 1] == '-')
		colon = 1;
	else if (body[name_len] != '-')
		return pcf_defs_why(
		    why, why_size,
		    "\"${%.*s}\": expected \"}\", \":-default}\" or \"-default}\" after the "
		    "variable name",
		    (int)n, body);
	if (value != NULL && !(colon && value[0] == '\0'))
		return put(b, value, strlen(value));
	name_len += colon ? 2 : 1;
	return expand(b, body + name_len, n - name_len, nesting + 1, why, why_size);
}

static int expand(pcf_buf *b, const char *text, size_t len, int nesting, char *why, size_t why_size)
{
	size_t i = 0, start = 0, end;
	int rc;

	if (nesting > MAX_NESTING)
		return pcf_defs_why(why, why_size, "defaults nested more than %d levels deep",
		                    MAX_NESTING);
	while (i < len) {
		if (text[i] != '$' || i + 1 >= len) {
			i++;
			continue;
		}
		if (text[i + 1] == '$' && i + 2 < len && text[i + 2] == '{') {
			/* "$${" is an escaped "${": keep one "$" and the brace. */
			if ((rc = put(b, text + start, i - start)) < 0)
				return rc;
			start = i + 1;
			i += 3;
			continue;
		}
		if (text[i + 1] != '{') {
			i++;
			continue;
		}
		if ((end = closing_brace(text + i, len - i)) == 0)
			return pcf_defs_why(why, why_size,
			                    "\"%.*s\": \"${\" without a closing \"}\"",
			                    (int)(len - i > 40 ? 40 : len - i), text + i);
		if ((rc = put(b, text + start, i - start)) < 0 ||
		    (rc = expand_one(b, text + i + 2, end - 3, nesting, why, why_size)) < 0)
			return rc;
		i += end;
		start = i;
	}
	return put(b, text + start, len - start);
}

int pcf_defs_substitute_env(char **out, const char *text, size_t len, char *why, size_t why_size)
{
	pcf_buf b = PCF_BUF_INIT;
	int rc;

	*out = NULL;
	if (why != NULL && why_size > 0)
		why[0] = '\0';
	rc = put(&b, "", 0);
	if (rc == 0)
		rc = expand(&b, text, len, 0, why, why_size);
	if (rc < 0) {
		pcf_buf_cleanup(&b);
		return rc;
	}
	*out = pcf_buf_detach(&b);
	return 0;
}

int pcf_defs_substitute_needed(const char *text, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (text[i] == '$' && (text[i + 1] == '{' || text[i + 1] == '$'))
			return 1;
	return 0;
}
