/*
 * pcf_diags: the list of problems found in definitions.
 *
 * Loading and validation never stop at the first problem; they append here
 * so a user sees every mistake of a run at once. Each entry owns copies of
 * its file name and message. Running out of memory drops an entry rather
 * than failing the caller: the list is advisory, and the caller learns that
 * something went wrong from the return code anyway.
 */
#include <pcf/definitions.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pcf_diags_init(pcf_diags *diags)
{
	diags->items = NULL;
	diags->count = 0;
	diags->capacity = 0;
}

void pcf_diags_cleanup(pcf_diags *diags)
{
	size_t i;

	if (diags == NULL)
		return;
	for (i = 0; i < diags->count; i++) {
		free(diags->items[i].file);
		free(diags->items[i].message);
	}
	free(diags->items);
	pcf_diags_init(diags);
}

static int grow(pcf_diags *diags)
{
	size_t capacity;
	pcf_diag *items;

	if (diags->count < diags->capacity)
		return 0;
	capacity = diags->capacity ? diags->capacity * 2 : 8;
	items = realloc(diags->items, capacity * sizeof(*items));
	if (items == NULL)
		return -1;
	diags->items = items;
	diags->capacity = capacity;
	return 0;
}

static char *format_message(const char *fmt, va_list ap)
{
	va_list copy;
	char *text;
	int len;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		return NULL;
	text = malloc((size_t)len + 1);
	if (text != NULL)
		vsnprintf(text, (size_t)len + 1, fmt, ap);
	return text;
}

void pcf_diags_vadd(pcf_diags *diags, const char *file, int line, int column, const char *fmt,
		    va_list ap)
{
	pcf_diag *d;
	char *message, *file_copy = NULL;

	if (diags == NULL)
		return;
	message = format_message(fmt, ap);
	if (file != NULL)
		file_copy = strdup(file);
	if (message == NULL || (file != NULL && file_copy == NULL) || grow(diags) < 0) {
		free(message);
		free(file_copy);
		return;
	}
	d = &diags->items[diags->count++];
	d->file = file_copy;
	d->line = line > 0 ? line : 0;
	d->column = (line > 0 && column > 0) ? column : 0;
	d->message = message;
}

void pcf_diags_add(pcf_diags *diags, const char *file, int line, int column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pcf_diags_vadd(diags, file, line, column, fmt, ap);
	va_end(ap);
}

void pcf_diag_format(const pcf_diag *d, char *buf, size_t size)
{
	if (d->file == NULL)
		snprintf(buf, size, "%s", d->message);
	else if (d->line == 0)
		snprintf(buf, size, "%s: %s", d->file, d->message);
	else if (d->column == 0)
		snprintf(buf, size, "%s:%d: %s", d->file, d->line, d->message);
	else
		snprintf(buf, size, "%s:%d:%d: %s", d->file, d->line, d->column, d->message);
}

void pcf_diags_print(const pcf_diags *diags, FILE *to)
{
	size_t i;

	if (diags == NULL)
		return;
	for (i = 0; i < diags->count; i++) {
		const pcf_diag *d = &diags->items[i];

		if (d->file == NULL)
			fprintf(to, "%s\n", d->message);
		else if (d->line == 0)
			fprintf(to, "%s: %s\n", d->file, d->message);
		else if (d->column == 0)
			fprintf(to, "%s:%d: %s\n", d->file, d->line, d->message);
		else
			fprintf(to, "%s:%d:%d: %s\n", d->file, d->line, d->column, d->message);
	}
}
