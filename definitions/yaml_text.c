/*
 * Where pcf meets libyaml: turning libyaml's errors into pcf's messages
 * (JSON text is prepared for it in json_text.c).
 *
 * libyaml says what it found ("did not find expected key") and, often,
 * what it was inside ("while parsing a block mapping" and where that
 * started); both go into the message with 1-based positions. Reader errors
 * (bad UTF-8, control bytes) carry only a byte offset, turned here into a
 * line and column. A few mistakes get a plain-words hint, judged from the
 * text at the error.
 */
#include "yaml_text.h"

#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

/* Line and column (1-based) of a byte offset, for reader errors that carry only the offset. */
static void offset_position(const char *text, size_t len, size_t offset, int *line, int *column)
{
	size_t i;

	*line = 1;
	*column = 1;
	for (i = 0; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*column = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			(*column)++;
		}
	}
}

static void report_reader_error(const yaml_parser_t *p, const char *text, size_t len,
                                const char *file, pcf_diags *diags)
{
	int line, column;

	offset_position(text, len, p->problem_offset, &line, &column);
	if (p->problem_value > 0xFF)
		pcf_diags_add(diags, file, line, column,
		              "expected UTF-8 text, found character U+%04X (%s)",
		              (unsigned)p->problem_value, p->problem);
	else if (p->problem_value != -1)
		pcf_diags_add(diags, file, line, column,
		              "expected UTF-8 text, found byte 0x%02X (%s); is this a binary file?",
		              (unsigned)p->problem_value, p->problem);
	else
		pcf_diags_add(diags, file, line, column, "expected UTF-8 text, found %s",
		              p->problem);
}

/* Does the line holding offset contain "${"? */
static int line_has_variable(const char *text, size_t len, size_t offset)
{
	size_t start = offset < len ? offset : len, end = start;

	while (start > 0 && text[start - 1] != '\n')
		start--;
	while (end < len && text[end] != '\n')
		end++;
	for (size_t i = start; i + 1 < end; i++)
		if (text[i] == '$' && text[i + 1] == '{')
			return 1;
	return 0;
}

/* A hint for the syntax errors people make most, judged by the text at the mark. */
static const char *syntax_hint(const yaml_parser_t *p, const char *text, size_t len)
{
	const char *problem = p->problem ? p->problem : "";
	const yaml_mark_t *mark = &p->problem_mark;

	if (mark->index < len && text[mark->index] == '\t')
		return " (a tab: YAML indents with spaces only)";
	if (strstr(problem, "end of stream") != NULL && p->context != NULL &&
	    strstr(p->context, "quoted scalar") != NULL)
		return " (a quoted string is never closed)";
	if (p->context != NULL && strstr(p->context, "flow") != NULL &&
	    line_has_variable(text, len, mark->index))
		return " (a ${VAR} inside [ ] or { } must close on its line; or quote it: "
		       "\"${VAR}\")";
	if (strstr(problem, "expected <block end>") != NULL ||
	    strstr(problem, "expected key") != NULL)
		return " (check the indentation of this line against the lines above)";
	return "";
}

int pcf_defs_yaml_text_report_error(const yaml_parser_t *p, const char *text, size_t len,
                                    const char *file, pcf_diags *diags)
{
	const yaml_mark_t *mark = &p->problem_mark;
	const char *problem = p->problem ? p->problem : "a syntax error";

	if (p->error == YAML_MEMORY_ERROR)
		return PCF_ENOMEM;
	if (p->error == YAML_READER_ERROR) {
		report_reader_error(p, text, len, file, diags);
		return PCF_EDEFINITION;
	}
	if (p->context != NULL)
		pcf_diags_add(diags, file, (int)mark->line + 1, (int)mark->column + 1,
		              "invalid YAML: %s%s (%s that starts at line %d, column %d)", problem,
		              syntax_hint(p, text, len), p->context, (int)p->context_mark.line + 1,
		              (int)p->context_mark.column + 1);
	else
		pcf_diags_add(diags, file, (int)mark->line + 1, (int)mark->column + 1,
		              "invalid YAML: %s%s", problem, syntax_hint(p, text, len));
	return PCF_EDEFINITION;
}
