/*
 * Finding particles and pointing at places inside them.
 *
 * Checks after loading (the engine's, each flavor's) know a problem by its
 * path in the particle's tree; these functions turn that path back into a
 * file position. A path the map does not hold (a node that a check or an
 * alias made, or a field that is missing) falls back to its nearest
 * ancestor that has a position, so a report always points somewhere
 * sensible: a missing field is reported where its mapping starts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/definitions.h>

#include "src/common/util.h"

#include "defs_internal.h"
#include "source_map.h"

const pcf_particle_def *pcf_definitions_find(const pcf_definitions *defs, const char *selector)
{
	size_t i;

	if (defs == NULL || selector == NULL)
		return NULL;
	for (i = 0; i < defs->count; i++)
		if (defs->particles[i].id != NULL && strcmp(defs->particles[i].id, selector) == 0)
			return &defs->particles[i];
	for (i = 0; i < defs->count; i++)
		if (defs->particles[i].name != NULL &&
		    strcmp(defs->particles[i].name, selector) == 0)
			return &defs->particles[i];
	return NULL;
}

/* Cuts the last component ("x.y" -> "x", "x[3]" -> "x", "x" -> ""); 0 when path was "". */
static int parent_path(char *path)
{
	size_t len = strlen(path);
	char *cut;

	if (len == 0)
		return 0;
	if (path[len - 1] == ']' && (cut = strrchr(path, '[')) != NULL) {
		*cut = '\0';
		return 1;
	}
	cut = strrchr(path, '.');
	if (cut != NULL && (strrchr(path, ']') == NULL || cut > strrchr(path, ']')))
		*cut = '\0';
	else
		path[0] = '\0';
	return 1;
}

static void locate(const pcf_particle_def *def, const char *path, int key, pcf_source_mark *mark)
{
	char *copy;
	int line, column;

	mark->file = def ? def->mark.file : NULL;
	mark->line = def ? def->mark.line : 0;
	mark->column = def ? def->mark.column : 0;
	if (def == NULL || def->map == NULL || path == NULL || (copy = strdup(path)) == NULL)
		return;
	do {
		if (pcf_defs_source_map_find(def->map, copy, key, &line, &column)) {
			mark->line = line;
			mark->column = column;
			break;
		}
		/* An ancestor stands in for a missing node: its value, not its key. */
		key = 0;
	} while (parent_path(copy));
	free(copy);
}

void pcf_particle_def_locate(pcf_source_mark *mark, const pcf_particle_def *def, const char *path)
{
	locate(def, path, 0, mark);
}

void pcf_particle_def_locate_key(pcf_source_mark *mark, const pcf_particle_def *def,
                                 const char *path)
{
	locate(def, path, 1, mark);
}

static void vreport(const pcf_particle_def *def, pcf_diags *diags, const char *path, int key,
                    const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

static void vreport(const pcf_particle_def *def, pcf_diags *diags, const char *path, int key,
                    const char *fmt, va_list ap)
{
	pcf_source_mark mark;
	char *message;

	if (diags == NULL || (message = pcf_util_vformat(fmt, ap)) == NULL)
		return;
	locate(def, path, key, &mark);
	if (path != NULL && path[0] != '\0')
		pcf_diags_add(diags, mark.file, mark.line, mark.column, "%s: %s", path, message);
	else
		pcf_diags_add(diags, mark.file, mark.line, mark.column, "%s", message);
	free(message);
}

void pcf_particle_def_report(const pcf_particle_def *def, pcf_diags *diags, const char *path,
                             const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(def, diags, path, 0, fmt, ap);
	va_end(ap);
}

void pcf_defs_report_key(const pcf_particle_def *def, pcf_diags *diags, const char *path,
                         const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(def, diags, path, 1, fmt, ap);
	va_end(ap);
}
