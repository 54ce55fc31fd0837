/*
 * pcf_definitions: loading files into particles, finding particles, and
 * pointing at positions inside them.
 *
 * Loading runs in stages, each reporting every problem it finds rather
 * than stopping: files (which paths, size limits) -> yaml_loader (text to
 * cJSON documents with node positions) -> particles cut from the documents,
 * each with a path-keyed source map -> pcf_defs_envelope_read (each particle's own
 * fields) -> pcf_defs_envelope_link (names across particles). Only a load that
 * added no diag returns definitions; otherwise the caller gets every
 * problem and nothing else.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pcf/error.h>

#include "defs_internal.h"
#include "describe.h"
#include "files.h"
#include "yaml_loader.h"

#include "src/common/util.h"

static int defs_new(pcf_definitions **out)
{
	pcf_definitions *defs = calloc(1, sizeof(*defs));

	*out = NULL;
	if (defs == NULL)
		return PCF_ENOMEM;
	defs->internal = calloc(1, sizeof(struct defs_internal));
	if (defs->internal == NULL) {
		free(defs);
		return PCF_ENOMEM;
	}
	*out = defs;
	return 0;
}

void pcf_definitions_free(pcf_definitions *defs)
{
	struct defs_internal *in;
	size_t i, j;

	if (defs == NULL)
		return;
	for (i = 0; i < defs->count; i++) {
		pcf_particle_def *d = &defs->particles[i];

		free(d->name);
		free(d->flavor);
		free(d->id);
		for (j = 0; j < d->parent_count; j++)
			free(d->parents[j]);
		free(d->parents);
		pcf_defs_source_map_free((struct pcf_source_map *)d->map);
	}
	free(defs->particles);
	in = defs->internal;
	if (in != NULL) {
		for (i = 0; i < in->root_count; i++)
			cJSON_Delete(in->roots[i]);
		for (i = 0; i < in->file_count; i++)
			free(in->files[i]);
		free(in->roots);
		free(in->files);
		free(in);
	}
	free(defs);
}

const char *pcf_defs_intern_file(pcf_definitions *defs, const char *name)
{
	struct defs_internal *in = defs->internal;
	char *copy;

	if (in->file_count > 0 && strcmp(in->files[in->file_count - 1], name) == 0)
		return in->files[in->file_count - 1];
	if (pcf_util_grow((void **)&in->files, &in->file_capacity, in->file_count, sizeof(char *)) <
	        0 ||
	    (copy = strdup(name)) == NULL)
		return NULL;
	in->files[in->file_count++] = copy;
	return copy;
}

int pcf_defs_take_root(pcf_definitions *defs, cJSON *root)
{
	struct defs_internal *in = defs->internal;

	if (pcf_util_grow((void **)&in->roots, &in->root_capacity, in->root_count,
	                  sizeof(cJSON *)) < 0) {
		cJSON_Delete(root);
		return PCF_ENOMEM;
	}
	in->roots[in->root_count++] = root;
	return 0;
}

int pcf_defs_add_particle(pcf_definitions *defs, cJSON *node, const node_marks *marks,
                          const node_marks *key_marks, const char *file, pcf_diags *diags)
{
	struct defs_internal *in = defs->internal;
	struct pcf_source_map *map;
	pcf_particle_def *def;
	int rc;

	if (pcf_util_grow((void **)&defs->particles, &in->particle_capacity, defs->count,
	                  sizeof(pcf_particle_def)) < 0)
		return PCF_ENOMEM;
	if ((rc = pcf_defs_source_map_build(&map, node, marks, key_marks, file)) < 0)
		return rc;
	def = &defs->particles[defs->count++];
	memset(def, 0, sizeof(*def));
	def->node = node;
	def->map = map;
	def->mark.file = file;
	if (!pcf_defs_node_marks_get(marks, node, &def->mark.line, &def->mark.column))
		def->mark.line = def->mark.column = 0;
	pcf_defs_envelope_read(def, diags);
	return 0;
}

static void report_node(pcf_diags *diags, const char *file, const node_marks *marks,
                        const cJSON *node, const char *what)
{
	char found[128];
	int line = 0, column = 0;

	pcf_defs_node_marks_get(marks, node, &line, &column);
	pcf_defs_describe_value(node, found, sizeof(found));
	pcf_diags_add(diags, file, line, column,
	              "expected %s (a mapping with pcf_name, flavor and aws_resource), found %s",
	              what, found);
}

/* Cuts the particles out of one document: a mapping is one, a list holds several. */
static int add_document(pcf_definitions *defs, cJSON *root, const yaml_docs *docs, const char *file,
                        pcf_diags *diags)
{
	const node_marks *marks = docs->marks;
	cJSON *item;
	int rc = 0;

	if (cJSON_IsObject(root))
		return pcf_defs_add_particle(defs, root, marks, docs->key_marks, file, diags);
	if (!cJSON_IsArray(root)) {
		report_node(diags, file, marks, root, "a particle or a list of particles");
		return 0;
	}
	if (root->child == NULL) {
		int line = 0, column = 0;

		pcf_defs_node_marks_get(marks, root, &line, &column);
		pcf_diags_add(diags, file, line, column,
		              "expected a list of particles, found an empty list");
	}
	cJSON_ArrayForEach(item, root)
	{
		if (!cJSON_IsObject(item))
			report_node(diags, file, marks, item, "a particle");
		else if ((rc = pcf_defs_add_particle(defs, item, marks, docs->key_marks, file,
		                                     diags)) < 0)
			break;
	}
	return rc;
}

static int load_text(pcf_definitions *defs, const char *text, size_t len, const char *name,
                     pcf_diags *diags)
{
	yaml_docs docs;
	const char *file;
	size_t i;
	int rc, syntax;

	if ((file = pcf_defs_intern_file(defs, name)) == NULL)
		return PCF_ENOMEM;
	pcf_defs_yaml_docs_init(&docs);
	syntax =
	    pcf_defs_yaml_load_text(&docs, text, len, file, pcf_defs_files_is_json(name), diags);
	if (syntax == PCF_ENOMEM) {
		pcf_defs_yaml_docs_cleanup(&docs);
		return PCF_ENOMEM;
	}
	if (docs.count == 0 && syntax == 0)
		pcf_diags_add(diags, file, 0, 0, "expected particle definitions, found %s",
		              len == 0 ? "an empty file"
		                       : "no YAML documents (only comments or "
		                         "blank lines)");
	rc = 0;
	for (i = 0; i < docs.count; i++) {
		cJSON *root = docs.roots[i];

		docs.roots[i] = NULL;
		if (rc == 0 && (rc = pcf_defs_take_root(defs, root)) == 0)
			rc = add_document(defs, root, &docs, file, diags);
		else if (rc < 0)
			cJSON_Delete(root);
	}
	docs.count = 0;
	pcf_defs_yaml_docs_cleanup(&docs);
	return rc;
}

/*
 * The last stage: links particles, and hands defs out only when nothing
 * was reported, or (partial) with the problems, for a caller that goes on
 * checking.
 */
static int finish(pcf_definitions **out, pcf_definitions *defs, pcf_diags *diags,
                  size_t diags_before, int partial)
{
	size_t i;
	int rc;

	if ((rc = pcf_defs_envelope_link(defs, diags)) < 0)
		goto fail;
	if (diags->count > diags_before) {
		pcf_diags_sort(diags, diags_before);
		if (partial) {
			*out = defs;
			return PCF_EDEFINITION;
		}
		rc = PCF_EDEFINITION;
		goto fail;
	}
	for (i = 0; i < defs->count; i++) {
		/* Clean but incomplete can only mean a strdup failed. */
		if (defs->particles[i].id == NULL) {
			rc = PCF_ENOMEM;
			goto fail;
		}
	}
	*out = defs;
	return 0;
fail:
	pcf_definitions_free(defs);
	return rc;
}

static int load_paths(pcf_definitions **out, const char *const *paths, size_t path_count,
                      pcf_diags *diags, int partial)
{
	pcf_diags local, *d = diags ? diags : &local;
	size_t before, i, count = 0, len;
	pcf_definitions *defs = NULL;
	char **files = NULL, *text;
	int rc;

	*out = NULL;
	pcf_diags_init(&local);
	before = d->count;
	if ((rc = defs_new(&defs)) < 0 ||
	    (rc = pcf_defs_files_expand(&files, &count, paths, path_count, d)) < 0)
		goto out;
	for (i = 0; i < count; i++) {
		rc = pcf_defs_files_read(&text, &len, files[i], d);
		if (rc == PCF_ENOMEM)
			goto out;
		if (rc == 0) {
			rc = load_text(defs, text, len,
			               strcmp(files[i], "-") ? files[i] : FILES_STDIN_NAME, d);
			free(text);
			if (rc < 0)
				goto out;
		}
	}
	rc = finish(out, defs, d, before, partial);
	defs = NULL;
out:
	pcf_definitions_free(defs);
	pcf_defs_files_list_free(files, count);
	pcf_diags_cleanup(&local);
	return rc;
}

int pcf_definitions_load(pcf_definitions **out, const char *const *paths, size_t path_count,
                         pcf_diags *diags)
{
	return load_paths(out, paths, path_count, diags, 0);
}

int pcf_definitions_load_partial(pcf_definitions **out, const char *const *paths, size_t path_count,
                                 pcf_diags *diags)
{
	return load_paths(out, paths, path_count, diags, 1);
}

int pcf_definitions_load_string(pcf_definitions **out, const char *text, size_t len,
                                const char *name, pcf_diags *diags)
{
	pcf_diags local, *d = diags ? diags : &local;
	pcf_definitions *defs = NULL;
	size_t before;
	int rc;

	*out = NULL;
	pcf_diags_init(&local);
	before = d->count;
	if (name == NULL)
		name = "<string>";
	if ((rc = defs_new(&defs)) < 0)
		goto out;
	if (len > PCF_DEFINITIONS_MAX_FILE_BYTES) {
		pcf_diags_add(
		    d, name, 0, 0,
		    "file too large: expected at most %u MiB of definitions, found %zu bytes",
		    PCF_DEFINITIONS_MAX_FILE_BYTES / (1024u * 1024u), len);
	} else if ((rc = load_text(defs, text ? text : "", text ? len : 0, name, d)) < 0) {
		goto out;
	}
	rc = finish(out, defs, d, before, 0);
	defs = NULL;
out:
	pcf_definitions_free(defs);
	pcf_diags_cleanup(&local);
	return rc;
}
