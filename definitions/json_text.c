/*
 * JSON definition files, read as PCF reads them: JSON with the line
 * comments its commentjson allows (`#` and `//`, outside strings).
 *
 * A small recursive-descent checker walks the text once. A syntax error
 * becomes one "invalid JSON: expected X, found Y" diag at its line and
 * column (characters, as libyaml counts them), so a JSON user never reads
 * a YAML parser's words. Valid text is handed to the YAML loader (JSON is
 * YAML's flow style) as a copy whose comments and tabs outside strings are
 * spaces: every offset, line and column stays, so later messages point at
 * the right place, and the loader's positions, limits and substitution
 * apply to JSON too.
 */
#include "json_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "yaml_loader.h"

struct reader {
	char *text; /* the copy being blanked */
	size_t len;
	size_t pos;
	int line;
	int column;
	int depth;
	int failed;
	const char *file;
	pcf_diags *diags;
};

static int at_end(const struct reader *r)
{
	return r->pos >= r->len;
}

static char peek(const struct reader *r)
{
	return at_end(r) ? '\0' : r->text[r->pos];
}

static void advance(struct reader *r)
{
	if (at_end(r))
		return;
	if (r->text[r->pos] == '\n') {
		r->line++;
		r->column = 1;
	} else if (((unsigned char)r->text[r->pos] & 0xC0) != 0x80) {
		r->column++;
	}
	r->pos++;
	/* A continuation byte belongs to the character just counted. */
	while (!at_end(r) && ((unsigned char)r->text[r->pos] & 0xC0) == 0x80)
		r->pos++;
}

static void fail(struct reader *r, const char *expected)
{
	char found[32];
	unsigned char c = (unsigned char)peek(r);

	if (r->failed)
		return;
	r->failed = 1;
	if (at_end(r))
		snprintf(found, sizeof(found), "the end of the file");
	else if (c == '\n' || c == '\r')
		snprintf(found, sizeof(found), "the end of the line");
	else if (c >= 0x20 && c < 0x7F)
		snprintf(found, sizeof(found), "'%c'", c);
	else
		snprintf(found, sizeof(found), "byte 0x%02X", c);
	pcf_diags_add(r->diags, r->file, r->line, r->column, "invalid JSON: expected %s, found %s",
	              expected, found);
}

/* Blanks a comment up to (not including) the end of its line. */
static void skip_comment(struct reader *r)
{
	while (!at_end(r) && peek(r) != '\n') {
		if (peek(r) != '\r')
			r->text[r->pos] = ' ';
		advance(r);
	}
}

static void skip_space(struct reader *r)
{
	while (!at_end(r)) {
		char c = peek(r);
		if (c == '\t') {
			r->text[r->pos] = ' ';
			advance(r);
		} else if (c == ' ' || c == '\n' || c == '\r') {
			advance(r);
		} else if (c == '#' ||
		           (c == '/' && r->pos + 1 < r->len && r->text[r->pos + 1] == '/')) {
			skip_comment(r);
		} else {
			return;
		}
	}
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void read_escape(struct reader *r)
{
	char c;

	advance(r); /* the backslash */
	c = peek(r);
	if (c != 'u') {
		if (c == '\0' || strchr("\"\\/bfnrt", c) == NULL)
			fail(r,
			     "an escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX) after '\\'");
		else
			advance(r);
		return;
	}
	advance(r);
	for (int i = 0; i < 4 && !r->failed; i++) {
		if (!is_hex(peek(r)))
			fail(r, "four hexadecimal digits after \\u");
		else
			advance(r);
	}
}

static void read_string(struct reader *r)
{
	advance(r); /* the opening quote */
	while (!r->failed) {
		unsigned char c = (unsigned char)peek(r);
		if (at_end(r) || c == '\n') {
			fail(r, "a closing '\"' before the end of the line");
		} else if (c == '"') {
			advance(r);
			return;
		} else if (c == '\\') {
			read_escape(r);
		} else if (c < 0x20) {
			fail(r, "an escape such as \\t for a control character in a string");
		} else {
			advance(r);
		}
	}
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void read_digits(struct reader *r, const char *expected)
{
	if (!is_digit(peek(r))) {
		fail(r, expected);
		return;
	}
	while (is_digit(peek(r)))
		advance(r);
}

static void read_number(struct reader *r)
{
	if (peek(r) == '-')
		advance(r);
	if (peek(r) == '0')
		advance(r);
	else
		read_digits(r, "a digit");
	if (!r->failed && peek(r) == '.') {
		advance(r);
		read_digits(r, "a digit after '.'");
	}
	if (!r->failed && (peek(r) == 'e' || peek(r) == 'E')) {
		advance(r);
		if (peek(r) == '+' || peek(r) == '-')
			advance(r);
		read_digits(r, "a digit in the exponent");
	}
}

static void read_word(struct reader *r)
{
	static const char *const words[] = {"true", "false", "null"};

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if (r->len - r->pos >= n && memcmp(r->text + r->pos, words[i], n) == 0) {
			for (size_t k = 0; k < n; k++)
				advance(r);
			return;
		}
	}
	fail(r, "a value (an object, a list, a string, a number, true, false or null)");
}

static void read_value(struct reader *r);

/* The members of an object or the items of a list, up to and including `close`. */
static void read_members(struct reader *r, char close, int object)
{
	const char *item = object ? "a \"key\" in double quotes" : "a value";
	char expected[64];

	advance(r); /* the opening bracket */
	skip_space(r);
	if (peek(r) == close) {
		advance(r);
		return;
	}
	snprintf(expected, sizeof(expected), "',' or '%c'", close);
	while (!r->failed) {
		if (object) {
			if (peek(r) != '"') {
				fail(r, item);
				return;
			}
			read_string(r);
			skip_space(r);
			if (peek(r) != ':') {
				fail(r, "':' after the key");
				return;
			}
			advance(r);
			skip_space(r);
		}
		read_value(r);
		skip_space(r);
		if (peek(r) == close) {
			advance(r);
			return;
		}
		if (peek(r) != ',') {
			fail(r, expected);
			return;
		}
		advance(r);
		skip_space(r);
	}
}

static void read_value(struct reader *r)
{
	char c = peek(r);

	if (r->failed)
		return;
	if ((c == '{' || c == '[') && ++r->depth > YAML_LOADER_MAX_DEPTH) {
		fail(r, "nesting at most 64 levels deep");
		return;
	}
	if (c == '{')
		read_members(r, '}', 1);
	else if (c == '[')
		read_members(r, ']', 0);
	else if (c == '"')
		read_string(r);
	else if (c == '-' || is_digit(c))
		read_number(r);
	else
		read_word(r);
	if (c == '{' || c == '[')
		r->depth--;
}

int pcf_defs_json_prepare(char **out, const char *text, size_t len, const char *file,
                          pcf_diags *diags)
{
	struct reader r = {NULL, len, 0, 1, 1, 0, 0, file, diags};

	*out = NULL;
	if ((r.text = malloc(len + 1)) == NULL)
		return PCF_ENOMEM;
	memcpy(r.text, text, len);
	r.text[len] = '\0';
	skip_space(&r);
	if (at_end(&r) && len > 0) {
		pcf_diags_add(diags, file, 0, 0,
		              "invalid JSON: expected particle definitions, found only comments "
		              "and blank lines");
		free(r.text);
		return PCF_EDEFINITION;
	}
	if (!at_end(&r)) {
		read_value(&r);
		skip_space(&r);
		if (!at_end(&r))
			fail(&r, "the end of the file after the JSON value");
	}
	if (r.failed) {
		free(r.text);
		return PCF_EDEFINITION;
	}
	*out = r.text;
	return 0;
}
