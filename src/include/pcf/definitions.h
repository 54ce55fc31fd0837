/*
 * Definitions: PCF-compatible YAML (or JSON) particle definitions loaded
 * into cJSON trees, with every node's file, line and column kept so that a
 * problem found later (by a flavor's schema, say) still points at the text.
 *
 * Knows nothing of AWS or HTTP.
 *
 * Ownership: pcf_definitions owns every particle, tree and string in it;
 * free the whole set with pcf_definitions_free. pcf_diags is caller storage
 * (init / cleanup).
 */
#ifndef PCF_DEFINITIONS_H
#define PCF_DEFINITIONS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cjson/cJSON.h>
#include <pcf/export.h>
#include <pcf/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One problem in the input: "file:line:col: message". line/col are 1-based, 0 when unknown. */
typedef struct pcf_diag {
	char *file;
	int line;
	int column;
	char *message;
} pcf_diag;

/* A growing list of problems, so a user sees them all in one run. */
typedef struct pcf_diags {
	pcf_diag *items;
	size_t count;
	size_t capacity;
} pcf_diags;

PCF_EXTERN void pcf_diags_init(pcf_diags *diags);
PCF_EXTERN void pcf_diags_cleanup(pcf_diags *diags);
/* Appends one problem (printf-style message). Out of memory drops it. */
PCF_EXTERN void pcf_diags_add(pcf_diags *diags, const char *file, int line, int column,
                              const char *fmt, ...) __attribute__((format(printf, 5, 6)));
PCF_EXTERN void pcf_diags_vadd(pcf_diags *diags, const char *file, int line, int column,
                               const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
/*
 * Writes each as "file:line:col: message\n"; a diag without a line prints
 * as "file: message", one without a file as "message".
 */
PCF_EXTERN void pcf_diags_print(const pcf_diags *diags, FILE *to);
/*
 * Orders the diags from index `from` on by file (files in the order they
 * first appear), then line and column; equal positions keep their order.
 */
PCF_EXTERN void pcf_diags_sort(pcf_diags *diags, size_t from);
/* One diag in that form into buf (caller storage), truncated to size (size > 0). */
PCF_EXTERN void pcf_diag_format(char *buf, size_t size, const pcf_diag *diag);

/* Files larger than this are refused with a "too large" diag. */
#define PCF_DEFINITIONS_MAX_FILE_BYTES (16u * 1024u * 1024u)

typedef enum pcf_desired_state {
	PCF_DESIRED_RUNNING,
	PCF_DESIRED_STOPPED,
	PCF_DESIRED_TERMINATED
} pcf_desired_state;

/* Where a node came from. */
typedef struct pcf_source_mark {
	const char *file;
	int line;
	int column;
} pcf_source_mark;

typedef struct pcf_source_map pcf_source_map;

/* One particle as written. Owned by its pcf_definitions. */
typedef struct pcf_particle_def {
	char *name;   /* pcf_name */
	char *flavor; /* flavor */
	char *id;     /* "flavor:name", what parents refer to */
	pcf_desired_state desired_state;
	int persist_on_termination;
	int persist_on_update;
	char **parents; /* "flavor:name" each; children: are folded in here */
	size_t parent_count;
	cJSON *aws_resource;       /* the resource section, ${VAR} substituted */
	cJSON *node;               /* the whole particle as loaded */
	pcf_source_mark mark;      /* where the particle starts */
	const pcf_source_map *map; /* positions of the nodes of `node` */
} pcf_particle_def;

typedef struct pcf_definitions {
	pcf_particle_def *particles;
	size_t count;
	/* private to definitions/ */
	void *internal;
} pcf_definitions;

/*
 * Loads definitions from paths (files, directories, or "-" for standard
 * input, named "<stdin>" in messages; none: ./pcf.yml, ./pcf.yaml or
 * ./pcf.json). Checks the particle envelope (pcf_name,
 * flavor, desired_state, persist_*, parents/children, no callbacks,
 * duplicate names, parents that exist) but not the flavor schemas.
 * On problems returns PCF_EDEFINITION with every problem in diags and
 * *out NULL. Free with pcf_definitions_free.
 *
 * What it accepts: a file holds one particle (a mapping), a list of them,
 * or several YAML documents; a directory means its *.yml, *.yaml and
 * *.json files in name order (hidden files skipped); a *.json file is
 * checked as JSON with PCF's "#" and "//" line comments (errors say
 * "invalid JSON"), then read like YAML. Without paths exactly one default
 * file must exist. Plain scalars are typed by the YAML 1.2 core schema
 * (true/false, null/~, integers incl. 0x/0o, floats); quoted scalars stay
 * strings. ${VAR}, ${VAR:-default} and ${VAR-default} in scalar values are
 * replaced from the environment before typing ("$${" is a literal "${"),
 * also inside flow collections ({RCU: ${RCU:-5}});
 * PCF's "$inherit$flavor:name$path" strings are kept as written. Anchors,
 * aliases and "<<" merge keys work. Limits: PCF_DEFINITIONS_MAX_FILE_BYTES
 * a file, 64 levels of nesting, 100000 nodes added by aliases a file.
 * Diags added by one call are sorted by file, line and column; file names
 * in them are the paths as given. diags may be NULL. Safe to call from
 * several threads while nothing changes the environment.
 */
PCF_EXTERN int pcf_definitions_load(pcf_definitions **out, const char *const *paths,
                                    size_t path_count, pcf_diags *diags);
/*
 * As pcf_definitions_load, but when problems were found (PCF_EDEFINITION)
 * *out still holds what could be read, for a caller such as validate that
 * goes on to check the flavor schemas so a user sees every problem in one
 * run. In such definitions a particle whose envelope failed may lack
 * name, flavor, id or aws_resource (NULL), and parents name only
 * particles that resolved: never hand them to the engine. *out is NULL
 * only on other errors (PCF_ENOMEM).
 */
PCF_EXTERN int pcf_definitions_load_partial(pcf_definitions **out, const char *const *paths,
                                            size_t path_count, pcf_diags *diags);
/* The same from text already in memory (copied); name is used in messages.
 * Free *out with pcf_definitions_free. */
PCF_EXTERN int pcf_definitions_load_string(pcf_definitions **out, const char *text, size_t len,
                                           const char *name, pcf_diags *diags);
PCF_EXTERN void pcf_definitions_free(pcf_definitions *defs);

/* The particle with this "name" or "flavor:name", or NULL; borrowed from defs. */
PCF_EXTERN const pcf_particle_def *pcf_definitions_find(const pcf_definitions *defs,
                                                        const char *selector);

/*
 * Position of the node at path inside a particle, e.g.
 * "aws_resource.KeySchema[0].KeyType". Falls back to the nearest ancestor
 * that has a position. Always fills *mark.
 */
PCF_EXTERN void pcf_particle_def_locate(pcf_source_mark *mark, const pcf_particle_def *def,
                                        const char *path);
/* The same, but where the member's key starts ("Foo" in "Foo: 1"), for "unknown field". */
PCF_EXTERN void pcf_particle_def_locate_key(pcf_source_mark *mark, const pcf_particle_def *def,
                                            const char *path);

/*
 * Adds a diag at path inside def (see pcf_particle_def_locate), its
 * message prefixed with "path: " when path is not "".
 */
PCF_EXTERN void pcf_particle_def_report(const pcf_particle_def *def, pcf_diags *diags,
                                        const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * Declarative schemas for a flavor's aws_resource, checked by
 * pcf_schema_check: unknown fields, wrong types, missing required fields,
 * values outside an enum; each problem reported at its path.
 */
typedef enum pcf_schema_type {
	PCF_SCHEMA_ANY,
	PCF_SCHEMA_STRING, /* a scalar number or bool is accepted; pcf_schema_normalize makes it
	                      text */
	PCF_SCHEMA_INTEGER,
	PCF_SCHEMA_NUMBER,
	PCF_SCHEMA_BOOL,
	PCF_SCHEMA_OBJECT, /* fields from `object` */
	PCF_SCHEMA_LIST,   /* items of item_type (item_object for objects) */
	PCF_SCHEMA_MAP     /* any keys; values of item_type (item_object for objects) */
} pcf_schema_type;

#define PCF_SCHEMA_REQUIRED 0x1u

struct pcf_schema;

typedef struct pcf_schema_field {
	const char *name;
	pcf_schema_type type;
	unsigned flags;                       /* PCF_SCHEMA_REQUIRED */
	const char *const *enum_values;       /* NULL-terminated; strings only */
	const struct pcf_schema *object;      /* for OBJECT */
	pcf_schema_type item_type;            /* for LIST and MAP */
	const struct pcf_schema *item_object; /* when item_type is OBJECT */
} pcf_schema_field;

typedef struct pcf_schema {
	const char *name; /* used in messages, e.g. "KeySchema element" */
	const pcf_schema_field *fields;
	size_t field_count;
	int allow_unknown; /* 1: extra fields pass */
} pcf_schema;

/*
 * Checks node (found at path within def; "" for the particle root) against
 * schema. Never changes node: a number or boolean where the schema wants a
 * string passes, as pcf_schema_normalize turns it into its text. Reports
 * every problem into diags. Returns the number of problems added.
 */
PCF_EXTERN size_t pcf_schema_check(const pcf_schema *schema, const cJSON *node, const char *path,
                                   const pcf_particle_def *def, pcf_diags *diags);

/*
 * Rewrites node to the shape schema names: a number or boolean where the
 * schema wants a string becomes its text ("2024", "true"). Only a flavor's
 * normalize op calls it (see pcf_engine_normalize). 0 or PCF_ENOMEM (node
 * may then be partly rewritten).
 */
PCF_EXTERN int pcf_schema_normalize(const pcf_schema *schema, cJSON *node);

#ifdef __cplusplus
}
#endif
#endif
