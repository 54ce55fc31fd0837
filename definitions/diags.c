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

#include "src/common/util.h"

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

void pcf_diags_vadd(pcf_diags *diags, const char *file, int line, int column, const char *fmt,
                    va_list ap)
{
	pcf_diag *d;
	char *message, *file_copy = NULL;

	if (diags == NULL)
		return;
	message = pcf_util_vformat(fmt, ap);
	if (file != NULL)
		file_copy = strdup(file);
	if (message == NULL || (file != NULL && file_copy == NULL) ||
	    pcf_util_grow((void **)&diags->items, &diags->capacity, diags->count,
	                  sizeof(*diags->items)) < 0) {
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

void pcf_diag_format(char *buf, size_t size, const pcf_diag *d)
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

struct sort_key {
	pcf_diag diag;
	size_t file_rank;
	size_t index;
};

static int compare_keys(const void *a, const void *b)
{
	const struct sort_key *x = a, *y = b;

	if (x->file_rank != y->file_rank)
		return x->file_rank < y->file_rank ? -1 : 1;
	if (x->diag.line != y->diag.line)
		return x->diag.line < y->diag.line ? -1 : 1;
	if (x->diag.column != y->diag.column)
		return x->diag.column < y->diag.column ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

/* Rank of each file by first appearance; diags without a file rank first. */
static size_t file_rank(const pcf_diags *diags, size_t from, size_t i)
{
	size_t j;

	if (diags->items[i].file == NULL)
		return 0;
	for (j = from; j < i; j++)
		if (diags->items[j].file != NULL &&
		    strcmp(diags->items[j].file, diags->items[i].file) == 0)
			return j - from + 1;
	return i - from + 1;
}

void pcf_diags_sort(pcf_diags *diags, size_t from)
{
	struct sort_key *keys;
	size_t n, i;

	if (diags == NULL || from >= diags->count || diags->count - from < 2)
		return;
	n = diags->count - from;
	if ((keys = malloc(n * sizeof(*keys))) == NULL)
		return; /* unsorted is still complete */
	for (i = 0; i < n; i++) {
		keys[i].diag = diags->items[from + i];
		keys[i].file_rank = file_rank(diags, from, from + i);
		keys[i].index = i;
	}
	qsort(keys, n, sizeof(*keys), compare_keys);
	for (i = 0; i < n; i++)
		diags->items[from + i] = keys[i].diag;
	free(keys);
}
