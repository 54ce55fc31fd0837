/*
 * ${VAR} and ${VAR:-default} substitution from the environment, applied to
 * scalar text before it is typed (so "${RCU:-5}" unquoted becomes the
 * integer 5).
 */
#ifndef PCF_DEFINITIONS_SUBSTITUTE_H
#define PCF_DEFINITIONS_SUBSTITUTE_H

#include <stddef.h>

/*
 * Substitutes the len bytes at text into a new NUL-terminated string in
 * *out (free with free). Forms: ${NAME} (NAME must be set), ${NAME:-word}
 * (word when NAME is unset or empty), ${NAME-word} (word when unset);
 * word may itself hold substitutions. "$${" stands for a literal "${";
 * any other "$" is kept as is, so PCF's "$inherit$..." strings pass
 * untouched. Returns 0, PCF_ENOMEM, or PCF_EDEFINITION with a one-line
 * reason in why (why may be NULL).
 */
int pcf_defs_substitute_env(char **out, const char *text, size_t len, char *why, size_t why_size);

/* 1 when text holds something pcf_defs_substitute_env would change. */
int pcf_defs_substitute_needed(const char *text, size_t len);

/*
 * Formats a one-line reason into why (when why is not NULL and why_size is
 * not 0) and returns PCF_EDEFINITION, so a check can fail in one statement.
 * Substitution and scalar typing both report through such a buffer.
 */
int pcf_defs_why(char *why, size_t why_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
