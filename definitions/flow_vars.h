/*
 * ${VAR} inside YAML flow collections, made parseable without moving any
 * position (see flow_vars.c).
 */
#ifndef PCF_DEFINITIONS_FLOW_VARS_H
#define PCF_DEFINITIONS_FLOW_VARS_H

#include <stddef.h>

struct flow_var_range {
	size_t start; /* offset of the "{" after "$" */
	size_t end;   /* one past its closing "}" */
};

/* Caller storage: pcf_defs_flow_vars_init / pcf_defs_flow_vars_cleanup. */
typedef struct flow_vars {
	char *text; /* the copy to parse, NUL-terminated; NULL when the text needs none */
	struct flow_var_range *ranges; /* in text order */
	size_t count;
	size_t capacity;
} flow_vars;

void pcf_defs_flow_vars_init(flow_vars *fv);
void pcf_defs_flow_vars_cleanup(flow_vars *fv);
/* Finds the ${...} that flow collections would split and fills fv. 0 or PCF_ENOMEM. */
int pcf_defs_flow_vars_prepare(flow_vars *fv, const char *text, size_t len);
/* 1 when bytes [start, end) overlap a range: that scalar's text must come from the original. */
int pcf_defs_flow_vars_touches(const flow_vars *fv, size_t start, size_t end);

#endif
