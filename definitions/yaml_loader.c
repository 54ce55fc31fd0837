/*
 * The YAML loader: libyaml's event parser driving a small tree builder.
 *
 * Events arrive in document order; a stack of frames holds the sequences
 * and mappings still open, and each finished value is attached to the frame
 * below it. Every node's start mark goes into a node_marks table as it is
 * made, so positions survive into every later check.
 *
 * Defences, because definitions may come from anywhere: nesting is capped
 * at YAML_LOADER_MAX_DEPTH, and every alias expansion is counted against
 * YAML_LOADER_MAX_ALIAS_NODES for the file ("billion laughs"). Anchors keep
 * private copies, so dropping a value (a duplicate key) never leaves an
 * alias pointing at freed memory. "<<" merge keys work as in YAML 1.1,
 * which PCF users' PyYAML files rely on: explicit keys win over merged ones.
 *
 * A syntax error ends the parse (libyaml cannot resume); problems in
 * values (unset variables, duplicate keys, bad tags) are reported and the
 * parse goes on, so a user sees all of them.
 */
#include "yaml_loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include <pcf/error.h>

#include "flow_vars.h"
#include "json_text.h"
#include "scalar.h"
#include "strmap.h"
#include "yaml_text.h"

#include "src/common/util.h"

struct frame {
	cJSON *node; /* the open sequence or mapping */
	char *key;   /* pending key of a mapping; NULL when a key comes next */
	yaml_mark_t key_mark;
	int key_is_merge;
	cJSON *merges; /* values given to "<<", applied when the mapping ends */
	strmap keys;   /* the mapping's keys so far: duplicates found in linear time */
	char *anchor;
};

struct anchor {
	char *name;
	cJSON *copy; /* private copy, marks included */
	size_t nodes;
	int height;
};

struct loader {
	yaml_parser_t parser;
	const char *file;
	const char *text; /* what libyaml parses */
	const char *original;
	size_t len;
	flow_vars fv; /* ${VAR} in flow collections; text is fv.text when it has some */
	pcf_diags *diags;
	yaml_docs *docs;
	struct frame stack[YAML_LOADER_MAX_DEPTH + 1];
	size_t depth;
	struct anchor **anchors;
	strmap anchor_names; /* name -> the latest anchor of that name */
	size_t anchor_count;
	size_t anchor_capacity;
	size_t alias_nodes;
	cJSON *root;
	int problems;
	int rc;    /* PCF_ENOMEM once memory ran out */
	int fatal; /* stop reading events */
};

static void vreport(struct loader *l, const yaml_mark_t *mark, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void report(struct loader *l, const yaml_mark_t *mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report_fatal(struct loader *l, const yaml_mark_t *mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void vreport(struct loader *l, const yaml_mark_t *mark, const char *fmt, va_list ap)
{
	pcf_diags_vadd(l->diags, l->file, (int)mark->line + 1, (int)mark->column + 1, fmt, ap);
	l->problems++;
}

static void report(struct loader *l, const yaml_mark_t *mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(l, mark, fmt, ap);
	va_end(ap);
}

/* report() for a problem after which the rest of the document means nothing. */
static void report_fatal(struct loader *l, const yaml_mark_t *mark, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(l, mark, fmt, ap);
	va_end(ap);
	l->fatal = 1;
}

static void out_of_memory(struct loader *l)
{
	l->rc = PCF_ENOMEM;
	l->fatal = 1;
}

static int mark_node(struct loader *l, const cJSON *node, const yaml_mark_t *mark)
{
	if (pcf_defs_node_marks_put(l->docs->marks, node, (int)mark->line + 1,
	                            (int)mark->column + 1) < 0) {
		out_of_memory(l);
		return -1;
	}
	return 0;
}

static void anchor_remember(struct loader *l, const char *name, const cJSON *node)
{
	struct anchor *a;

	if (pcf_util_grow((void **)&l->anchors, &l->anchor_capacity, l->anchor_count,
	                  sizeof(*l->anchors)) < 0)
		return out_of_memory(l);
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return out_of_memory(l);
	a->name = strdup(name);
	a->copy = pcf_defs_node_marks_copy_tree(l->docs->marks, l->docs->key_marks, node);
	l->anchors[l->anchor_count++] = a;
	if (a->name == NULL || a->copy == NULL)
		return out_of_memory(l);
	a->nodes = pcf_defs_node_marks_count_tree(a->copy, 0, &a->height);
	/* A later anchor of the same name shadows the earlier one. */
	if (pcf_defs_strmap_set(&l->anchor_names, a->name, a) < 0)
		out_of_memory(l);
}

static void anchors_clear(struct loader *l)
{
	size_t i;

	for (i = 0; i < l->anchor_count; i++) {
		free(l->anchors[i]->name);
		cJSON_Delete(l->anchors[i]->copy);
		free(l->anchors[i]);
	}
	l->anchor_count = 0;
	pcf_defs_strmap_cleanup(&l->anchor_names);
}

static const struct anchor *anchor_find(const struct loader *l, const char *name)
{
	return pcf_defs_strmap_get(&l->anchor_names, name);
}

static struct frame *top(struct loader *l)
{
	return l->depth ? &l->stack[l->depth - 1] : NULL;
}

/* Where the node starts, for messages about it. */
static void node_line(struct loader *l, const cJSON *node, int *line, int *column)
{
	if (!pcf_defs_node_marks_get(l->docs->marks, node, line, column))
		*line = *column = 0;
}

/* Hands a finished value to the open collection (or makes it the document). */
static void attach(struct loader *l, cJSON *node)
{
	struct frame *f = top(l);
	const cJSON *previous;
	int line, column;

	if (f == NULL) {
		l->root = node;
		return;
	}
	if (cJSON_IsArray(f->node) || f->key_is_merge) {
		if (!cJSON_AddItemToArray(f->key_is_merge ? f->merges : f->node, node)) {
			cJSON_Delete(node);
			out_of_memory(l);
		}
	} else if ((previous = pcf_defs_strmap_get(&f->keys, f->key)) != NULL) {
		if (!pcf_defs_node_marks_get(l->docs->key_marks, previous, &line, &column))
			node_line(l, previous, &line, &column);
		report(l, &f->key_mark,
		       "duplicate key \"%s\": expected each key once in a mapping, found it again "
		       "(first at line %d, column %d)",
		       f->key, line, column);
		cJSON_Delete(node);
	} else if (!cJSON_AddItemToObject(f->node, f->key, node)) {
		cJSON_Delete(node);
		out_of_memory(l);
	} else {
		if (pcf_defs_strmap_put(&f->keys, node->string, node) < 0 ||
		    pcf_defs_node_marks_put(l->docs->key_marks, node, (int)f->key_mark.line + 1,
		                            (int)f->key_mark.column + 1) < 0)
			out_of_memory(l);
	}
	free(f->key);
	f->key = NULL;
	f->key_is_merge = 0;
}

/* A scalar where a mapping expects a key. */
static void take_key(struct loader *l, struct frame *f, const char *text, int merge,
                     const yaml_mark_t *mark)
{
	f->key_mark = *mark;
	f->key = strdup(text);
	if (f->key == NULL)
		return out_of_memory(l);
	f->key_is_merge = merge;
	if (merge && f->merges == NULL && (f->merges = cJSON_CreateArray()) == NULL)
		out_of_memory(l);
}

/* "&k name: v": the key's text can be aliased later, as a key or a value. */
static void anchor_key(struct loader *l, const char *anchor, const char *text,
                       const yaml_mark_t *mark)
{
	cJSON *node = cJSON_CreateString(text);

	if (node == NULL)
		return out_of_memory(l);
	if (mark_node(l, node, mark) == 0)
		anchor_remember(l, anchor, node);
	cJSON_Delete(node);
}

/*
 * A plain scalar that holds a ${...} which flow_vars made parseable: its
 * text as written, from the original (a new string), or NULL when the
 * scalar holds none. One spanning lines cannot be mapped back: reported.
 */
static char *restore_variable(struct loader *l, const yaml_event_t *e)
{
	size_t start = e->start_mark.index, end = e->end_mark.index;
	char *text;

	if (l->fv.count == 0 || !pcf_defs_flow_vars_touches(&l->fv, start, end))
		return NULL;
	if (e->start_mark.line != e->end_mark.line) {
		report(l, &e->start_mark,
		       "expected a ${VAR} inside [ ] or { } on one line, found it in a value "
		       "spanning lines (quote the value: \"${VAR}\")");
		return NULL;
	}
	if ((text = malloc(end - start + 1)) == NULL) {
		out_of_memory(l);
		return NULL;
	}
	memcpy(text, l->original + start, end - start);
	text[end - start] = '\0';
	return text;
}

static void on_scalar(struct loader *l, const yaml_event_t *e)
{
	const yaml_mark_t *mark = &e->start_mark;
	struct frame *f = top(l);
	char why[512], *restored = NULL;
	scalar_text s;
	cJSON *node;
	int rc;

	s.text = (const char *)e->data.scalar.value;
	s.len = e->data.scalar.length;
	s.plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	s.tag = (const char *)e->data.scalar.tag;
	if (s.plain && (restored = restore_variable(l, e)) != NULL) {
		s.text = restored;
		s.len = strlen(restored);
	}
	if (f != NULL && cJSON_IsObject(f->node) && f->key == NULL) {
		if (memchr(s.text, '\0', s.len) != NULL)
			report(l, mark, "expected a key, found a NUL character (\\0) in it");
		take_key(l, f, s.text, s.plain && strcmp(s.text, "<<") == 0, mark);
		if (e->data.scalar.anchor != NULL)
			anchor_key(l, (const char *)e->data.scalar.anchor, s.text, mark);
		free(restored);
		return;
	}
	rc = pcf_defs_scalar_to_json(&node, &s, why, sizeof(why));
	free(restored);
	if (rc == PCF_ENOMEM || node == NULL)
		return out_of_memory(l);
	if (rc < 0)
		report(l, mark, "%s", why);
	if (mark_node(l, node, mark) < 0) {
		cJSON_Delete(node);
		return;
	}
	if (e->data.scalar.anchor != NULL)
		anchor_remember(l, (const char *)e->data.scalar.anchor, node);
	attach(l, node);
}

/* An alias where a key is due: a scalar anchor gives its text, a collection cannot be a key. */
static void alias_as_key(struct loader *l, struct frame *f, const struct anchor *a,
                         const yaml_event_t *e)
{
	char text[64];

	if (cJSON_IsString(a->copy)) {
		take_key(l, f, a->copy->valuestring, 0, &e->start_mark);
		return;
	}
	if (cJSON_IsArray(a->copy) || cJSON_IsObject(a->copy)) {
		report_fatal(l, &e->start_mark, "alias *%s as a key: expected a scalar, found a %s",
		             (const char *)e->data.alias.anchor,
		             cJSON_IsArray(a->copy) ? "sequence" : "mapping");
		return;
	}
	if (cJSON_IsNumber(a->copy))
		snprintf(text, sizeof(text), "%.17g", a->copy->valuedouble);
	else
		snprintf(text, sizeof(text), "%s",
		         cJSON_IsTrue(a->copy)    ? "true"
		         : cJSON_IsFalse(a->copy) ? "false"
		                                  : "null");
	take_key(l, f, text, 0, &e->start_mark);
}

static void on_alias(struct loader *l, const yaml_event_t *e)
{
	const char *name = (const char *)e->data.alias.anchor;
	const struct anchor *a = anchor_find(l, name);
	struct frame *f = top(l);
	cJSON *copy;

	if (a == NULL) {
		report_fatal(l, &e->start_mark,
		             "alias *%s: expected an anchor &%s defined earlier in "
		             "this document, found none",
		             name, name);
		return;
	}
	if (f != NULL && cJSON_IsObject(f->node) && f->key == NULL) {
		alias_as_key(l, f, a, e);
		return;
	}
	l->alias_nodes += a->nodes;
	if (l->alias_nodes > YAML_LOADER_MAX_ALIAS_NODES) {
		report_fatal(
		    l, &e->start_mark,
		    "alias *%s: aliases in this file expand to more than %d nodes; refusing "
		    "(an alias bomb?)",
		    name, YAML_LOADER_MAX_ALIAS_NODES);
		return;
	}
	if (l->depth + (size_t)a->height > YAML_LOADER_MAX_DEPTH) {
		report_fatal(l, &e->start_mark,
		             "alias *%s: expected nesting at most %d levels deep, "
		             "found more",
		             name, YAML_LOADER_MAX_DEPTH);
		return;
	}
	if ((copy = pcf_defs_node_marks_copy_tree(l->docs->marks, l->docs->key_marks, a->copy)) ==
	    NULL)
		return out_of_memory(l);
	if (mark_node(l, copy, &e->start_mark) < 0) {
		cJSON_Delete(copy);
		return;
	}
	attach(l, copy);
}

static int collection_tag_ok(struct loader *l, const yaml_event_t *e, const char *tag,
                             const char *want)
{
	if (tag == NULL || strcmp(tag, "!") == 0 || strcmp(tag, want) == 0)
		return 1;
	if (strncmp(tag, "tag:yaml.org,2002:", 18) == 0)
		report(l, &e->start_mark, "unsupported tag \"!!%s\": expected no tag here",
		       tag + 18);
	else
		report(l, &e->start_mark, "unsupported tag \"%s\": expected no tag here", tag);
	return 0;
}

static void on_start(struct loader *l, const yaml_event_t *e, int mapping)
{
	const char *tag, *anchor;
	struct frame *f = top(l);

	if (f != NULL && cJSON_IsObject(f->node) && f->key == NULL) {
		report_fatal(l, &e->start_mark, "expected a scalar key, found a %s used as a key",
		             mapping ? "mapping" : "sequence");
		return;
	}
	if (l->depth >= YAML_LOADER_MAX_DEPTH) {
		report_fatal(l, &e->start_mark,
		             "expected nesting at most %d levels deep, found more",
		             YAML_LOADER_MAX_DEPTH);
		return;
	}
	tag = (const char *)(mapping ? e->data.mapping_start.tag : e->data.sequence_start.tag);
	anchor =
	    (const char *)(mapping ? e->data.mapping_start.anchor : e->data.sequence_start.anchor);
	collection_tag_ok(l, e, tag, mapping ? "tag:yaml.org,2002:map" : "tag:yaml.org,2002:seq");
	f = &l->stack[l->depth];
	memset(f, 0, sizeof(*f));
	f->node = mapping ? cJSON_CreateObject() : cJSON_CreateArray();
	if (f->node == NULL || (anchor != NULL && (f->anchor = strdup(anchor)) == NULL)) {
		cJSON_Delete(f->node);
		return out_of_memory(l);
	}
	l->depth++;
	if (mark_node(l, f->node, &e->start_mark) < 0)
		return;
}

static void merge_report(struct loader *l, const cJSON *source)
{
	yaml_mark_t mark = {0, 0, 0};
	int line, column;

	node_line(l, source, &line, &column);
	mark.line = (size_t)(line > 0 ? line - 1 : 0);
	mark.column = (size_t)(column > 0 ? column - 1 : 0);
	report(l, &mark, "merge key \"<<\": expected a mapping or a list of mappings, found %s",
	       cJSON_IsArray(source) ? "a list holding something else" : "a scalar");
}

/* Moves into f's mapping the keys of source that it lacks. */
static void merge_one(struct loader *l, struct frame *f, cJSON *source)
{
	cJSON *item, *next;

	for (item = source->child; item != NULL; item = next) {
		next = item->next;
		if (pcf_defs_strmap_get(&f->keys, item->string) != NULL)
			continue;
		cJSON_DetachItemViaPointer(source, item);
		if (!cJSON_AddItemToObject(f->node, item->string, item)) {
			cJSON_Delete(item);
			return out_of_memory(l);
		}
		if (pcf_defs_strmap_put(&f->keys, item->string, item) < 0)
			return out_of_memory(l);
	}
}

/* Applies "<<" after the mapping's own keys, earlier sources first, as YAML 1.1 says. */
static void apply_merges(struct loader *l, struct frame *f)
{
	cJSON *value, *source;

	cJSON_ArrayForEach(value, f->merges)
	{
		if (cJSON_IsObject(value)) {
			merge_one(l, f, value);
			continue;
		}
		if (!cJSON_IsArray(value)) {
			merge_report(l, value);
			continue;
		}
		cJSON_ArrayForEach(source, value)
		{
			if (cJSON_IsObject(source))
				merge_one(l, f, source);
			else
				merge_report(l, value);
		}
	}
}

static void on_end(struct loader *l)
{
	struct frame f;

	if (l->depth == 0)
		return;
	f = l->stack[--l->depth];
	if (f.merges != NULL)
		apply_merges(l, &f);
	cJSON_Delete(f.merges);
	pcf_defs_strmap_cleanup(&f.keys);
	free(f.key);
	if (f.anchor != NULL)
		anchor_remember(l, f.anchor, f.node);
	free(f.anchor);
	attach(l, f.node);
}

static void drop_open_frames(struct loader *l)
{
	while (l->depth > 0) {
		struct frame *f = &l->stack[--l->depth];

		cJSON_Delete(f->node);
		cJSON_Delete(f->merges);
		pcf_defs_strmap_cleanup(&f->keys);
		free(f->key);
		free(f->anchor);
	}
	cJSON_Delete(l->root);
	l->root = NULL;
}

static void on_document_end(struct loader *l)
{
	yaml_docs *d = l->docs;

	anchors_clear(l);
	if (l->root == NULL)
		return;
	if (pcf_util_grow((void **)&d->roots, &d->capacity, d->count, sizeof(*d->roots)) < 0)
		return out_of_memory(l);
	/* An empty document ("---" alone) is a null scalar: nothing to keep. */
	if (cJSON_IsNull(l->root))
		cJSON_Delete(l->root);
	else
		d->roots[d->count++] = l->root;
	l->root = NULL;
}

static void dispatch(struct loader *l, const yaml_event_t *e)
{
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		on_scalar(l, e);
		break;
	case YAML_ALIAS_EVENT:
		on_alias(l, e);
		break;
	case YAML_SEQUENCE_START_EVENT:
		on_start(l, e, 0);
		break;
	case YAML_MAPPING_START_EVENT:
		on_start(l, e, 1);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		on_end(l);
		break;
	case YAML_DOCUMENT_END_EVENT:
		on_document_end(l);
		break;
	default:
		break;
	}
}

void pcf_defs_yaml_docs_init(yaml_docs *docs)
{
	memset(docs, 0, sizeof(*docs));
}

void pcf_defs_yaml_docs_cleanup(yaml_docs *docs)
{
	size_t i;

	if (docs == NULL)
		return;
	for (i = 0; i < docs->count; i++)
		cJSON_Delete(docs->roots[i]);
	free(docs->roots);
	pcf_defs_node_marks_free(docs->marks);
	pcf_defs_node_marks_free(docs->key_marks);
	pcf_defs_yaml_docs_init(docs);
}

static void run(struct loader *l)
{
	yaml_event_t event;
	int done = 0;

	while (!done && !l->fatal) {
		if (!yaml_parser_parse(&l->parser, &event)) {
			if (pcf_defs_yaml_text_report_error(&l->parser, l->text, l->len, l->file,
			                                    l->diags) == PCF_ENOMEM)
				out_of_memory(l);
			l->problems++;
			break;
		}
		done = event.type == YAML_STREAM_END_EVENT;
		dispatch(l, &event);
		yaml_event_delete(&event);
	}
	drop_open_frames(l);
	anchors_clear(l);
}

int pcf_defs_yaml_load_text(yaml_docs *docs, const char *text, size_t len, const char *file,
                            int is_json, pcf_diags *diags)
{
	struct loader l;
	char *untabbed = NULL;

	memset(&l, 0, sizeof(l));
	if (docs->marks == NULL && pcf_defs_node_marks_new(&docs->marks) < 0)
		return PCF_ENOMEM;
	if (docs->key_marks == NULL && pcf_defs_node_marks_new(&docs->key_marks) < 0)
		return PCF_ENOMEM;
	if (is_json) {
		int rc = pcf_defs_json_prepare(&untabbed, text, len, file, diags);
		if (rc < 0)
			return rc;
	} else if (pcf_defs_flow_vars_prepare(&l.fv, text, len) < 0) {
		pcf_defs_flow_vars_cleanup(&l.fv);
		return PCF_ENOMEM;
	}
	if (!yaml_parser_initialize(&l.parser)) {
		free(untabbed);
		pcf_defs_flow_vars_cleanup(&l.fv);
		return PCF_ENOMEM;
	}
	l.file = file;
	l.original = untabbed ? untabbed : text;
	l.text = l.fv.text ? l.fv.text : l.original;
	l.len = len;
	l.diags = diags;
	l.docs = docs;
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)l.text, len);
	run(&l);
	yaml_parser_delete(&l.parser);
	free(l.anchors);
	free(untabbed);
	pcf_defs_flow_vars_cleanup(&l.fv);
	if (l.rc < 0)
		return l.rc;
	return l.problems ? PCF_EDEFINITION : 0;
}
