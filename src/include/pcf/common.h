/*
 * Process-wide set-up, version and logging.
 *
 * pcf_global_init / pcf_global_cleanup are the only global state (libcurl's
 * own global init). Everything else hangs off an explicit handle. The
 * library never writes to stdout; it logs through a pcf_logger, whose
 * default writes to stderr.
 */
#ifndef PCF_COMMON_H
#define PCF_COMMON_H

#include <stdarg.h>
#include <stddef.h>

#include <pcf/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "0.1.0"; a static string, never freed. */
PCF_EXTERN const char *pcf_version(void);

/* Call once before any other pcf function, from one thread. Returns 0 or a PCF_E code. */
PCF_EXTERN int pcf_global_init(void);
/* Undoes pcf_global_init. */
PCF_EXTERN void pcf_global_cleanup(void);

typedef enum pcf_log_level {
	PCF_LOG_ERROR = 0,
	PCF_LOG_WARN = 1,
	PCF_LOG_INFO = 2,
	PCF_LOG_DEBUG = 3,
	PCF_LOG_TRACE = 4
} pcf_log_level;

/* Receives one finished line, without trailing newline. MUST be thread-safe. */
typedef void (*pcf_log_fn)(pcf_log_level level, const char *line, void *payload);

/* Caller storage, usually copied into an options struct. */
typedef struct pcf_logger {
	pcf_log_fn fn;       /* NULL: write to stderr */
	pcf_log_level level; /* lines above this level are dropped */
	void *payload;
} pcf_logger;

#define PCF_LOGGER_INIT                                                                            \
	{                                                                                          \
		.fn = NULL, .level = PCF_LOG_WARN, .payload = NULL                                 \
	}

/* Formats and emits a line if level is enabled. logger may be NULL (stderr at WARN). */
PCF_EXTERN void pcf_log(const pcf_logger *logger, pcf_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
PCF_EXTERN int pcf_log_enabled(const pcf_logger *logger, pcf_log_level level);

/*
 * Copies text into out (size out_size, always NUL-terminated) with secrets
 * masked: the Signature= part of an Authorization header, the values of
 * X-Amz-Security-Token, aws_secret_access_key, SecretAccessKey, SessionToken
 * and Token fields. Every log line that can carry a request or a response
 * goes through here.
 */
PCF_EXTERN void pcf_redact(char *out, size_t out_size, const char *text);

#ifdef __cplusplus
}
#endif
#endif
