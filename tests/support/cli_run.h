/*
 * Running the built pcf binary (PCF_CLI_PATH) from the CLI integration
 * tests: a child process with its stdout and stderr captured (both pipes
 * drained together, so a chatty child cannot block), its exit status, and
 * temporary definition directories.
 */
#ifndef PCF_TESTS_CLI_RUN_H
#define PCF_TESTS_CLI_RUN_H

#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stddef.h>
#include <sys/types.h>

/* The key of the tables the CLI tests define: id, a string (YAML lines of aws_resource). */
#define CLI_TABLE_KEY                                                                              \
	"  AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"                        \
	"  KeySchema: [{AttributeName: id, KeyType: HASH}]\n"

typedef struct cli_result {
	int status; /* exit status, or 128 + signal */
	char *out;
	char *err;
} cli_result;

typedef struct cli_buf {
	char *data;
	size_t len;
} cli_buf;

/* A started child whose two output pipes are still to be read. */
typedef struct cli_process {
	pid_t pid;
	int out_fd;
	int err_fd;
} cli_process;

/* Appends n bytes of data and keeps the buffer NUL-terminated. */
void cli_buf_append(cli_buf *b, const char *data, size_t n);

/* In a forked child: stdin from /dev/null, stdout and stderr to the fds, exec argv. */
void cli_child(int out_fd, int err_fd, char **argv);

/* Reads both fds until both are closed, into out and err. */
void cli_drain(int out_fd, int err_fd, cli_buf *out, cli_buf *err);

/* Starts argv (NULL-terminated, argv[0] a path) with both streams piped. */
void cli_start(cli_process *p, char **argv);

/* Reads everything the started child prints and waits for its exit. */
void cli_finish(cli_result *r, cli_process *p);

/* Runs program (a path) with the NULL-terminated args, capturing both streams. */
void cli_run_program(cli_result *r, const char *program, const char *const *args);

void cli_result_free(cli_result *r);

/* Runs pcf with the NULL-terminated args (without the program name). */
void cli_run(cli_result *r, const char *const *args);

/* Runs and checks the exit status, showing both streams when it differs. */
void cli_expect(cli_result *r, int status, const char *const *args);

/* stdout as the one JSON document it must be; the caller frees it. */
cJSON *cli_json(const cli_result *r);

/* A new empty directory under TMPDIR; the caller removes it with cli_rmdir. */
void cli_tempdir(char *buf, size_t size);

/* Writes dir/name with text; returns the path in path (size bytes). */
void cli_write(char *path, size_t size, const char *dir, const char *name, const char *text);

/* Removes the files of a flat directory and the directory. */
void cli_rmdir(const char *dir);

#endif
