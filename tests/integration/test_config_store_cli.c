/*
 * `pcf config` end to end: the built pcf binary (PCF_CLI_PATH) against
 * dynoxide and dynalite, which both show items, conditions and queries. Typing of key=value, the -o
 * json shapes DESIGN.md fixes, list and delete, picking the table from definitions (--particle) or
 * naming it (--table), and the MisconfiguredSchema refusal.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pcf/pcf.h>

#include "it_servers.h"
#include "it_ddb.h"
#include "servers.h"

struct result {
	int status;
	char *out;
	char *err;
};

/* The whole content of fd (a temporary file), from its start. */
static char *slurp(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	cr_assert_not_null(buf);
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
	}
	buf[len] = '\0';
	return buf;
}

static int temp_fd(void)
{
	char path[] = "/tmp/pcf-config-cli-XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	unlink(path);
	return fd;
}

/* Runs pcf with the NULL-terminated arguments; output goes to files, so no pipe can fill. */
static struct result run_pcf(const char *first, ...)
{
	char *argv[48];
	int argc = 0, status = 0;
	struct result r;
	int out_fd = temp_fd(), err_fd = temp_fd();
	va_list ap;
	pid_t pid;

	argv[argc++] = "pcf";
	va_start(ap, first);
	for (const char *a = first; a && argc < 47; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		execv(PCF_CLI_PATH, argv);
		_exit(127);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r.out = slurp(out_fd);
	r.err = slurp(err_fd);
	close(out_fd);
	close(err_fd);
	return r;
}

static void result_free(struct result *r)
{
	free(r->out);
	free(r->err);
}

static void assert_ok(const struct result *r)
{
	cr_assert_eq(r->status, 0, "pcf exited %d: %s", r->status, r->err);
}

static void assert_json_out(const struct result *r, const char *expected)
{
	cJSON *got = cJSON_Parse(r->out), *want = cJSON_Parse(expected);
	cr_assert_not_null(want, "test JSON: %s", expected);
	cr_assert(got && cJSON_Compare(got, want, 1), "stdout %s, want %s", r->out, expected);
	cJSON_Delete(got);
	cJSON_Delete(want);
}

/* Creates a config table with the default keys through the library. */
static void make_table(const char *endpoint, const char *table, const char *store_key)
{
	pcf_config_table t = PCF_CONFIG_TABLE_INIT;
	pcf_config_create_options co = PCF_CONFIG_CREATE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db = it_ddb_for(endpoint);

	t.name = table;
	t.store_key = store_key;
	co.poll_interval_ms = 100;
	cr_assert_eq(pcf_config_table_ensure(db, &t, &co, &err), 0, "%s", err.message);
	pcf_ddb_free(db);
}

IT_TABLE_SERVERS_TEST(config_store_cli, set_get_list_delete_with_table)
{
	const char *ep = pcf_test_endpoint(*kind);
	char table[64];
	struct result r;

	pcf_test_table_name(table, sizeof(table), "cfg-cli");
	make_table(ep, table, NULL);

	r = run_pcf("--endpoint", ep, "config", "set", "app1", "db", "host=db.internal",
	            "port=5432", "ratio=0.5", "tls=true", "off=false", "none=null", "zip=01234",
	            "neg=-3", "--table", table, NULL);
	assert_ok(&r);
	cr_assert_str_eq(r.out, "", "set prints nothing in text mode");
	result_free(&r);

	r = run_pcf("--endpoint", ep, "-o", "json", "config", "get", "app1", "db", "--table", table,
	            NULL);
	assert_ok(&r);
	assert_json_out(&r, "{\"host\":\"db.internal\",\"port\":5432,\"ratio\":0.5,\"tls\":true,"
	                    "\"off\":false,\"none\":null,\"zip\":\"01234\",\"neg\":-3}");
	result_free(&r);

	r = run_pcf("--endpoint", ep, "config", "get", "app1", "db", "--table", table, NULL);
	assert_ok(&r);
	cr_assert(strstr(r.out, "host = db.internal\n") && strstr(r.out, "port = 5432\n") &&
	              strstr(r.out, "zip = 01234\n") && strstr(r.out, "none = null\n"),
	          "text output: %s", r.out);
	result_free(&r);

	r = run_pcf("--endpoint", ep, "config", "set", "--json", "app1", "cache",
	            "servers=[\"a\",\"b\"]", "opts={\"ttl\":60}", "id=\"007\"", "--table", table,
	            NULL);
	assert_ok(&r);
	result_free(&r);
	r = run_pcf("--endpoint", ep, "config", "set", "app2", "db", "host=other", "--table", table,
	            NULL);
	assert_ok(&r);
	result_free(&r);

	r = run_pcf("--endpoint", ep, "config", "get", "app1", "-o", "json", "--table", table,
	            NULL);
	assert_ok(&r);
	assert_json_out(&r,
	                "{\"db\":{\"host\":\"db.internal\",\"port\":5432,\"ratio\":0.5,"
	                "\"tls\":true,\"off\":false,\"none\":null,\"zip\":\"01234\",\"neg\":-3},"
	                "\"cache\":{\"servers\":[\"a\",\"b\"],\"opts\":{\"ttl\":60},"
	                "\"id\":\"007\"}}");
	result_free(&r);

	r = run_pcf("--endpoint", ep, "-o", "json", "config", "list", "--table", table, NULL);
	assert_ok(&r);
	assert_json_out(&r, "{\"app1\":[\"cache\",\"db\"],\"app2\":[\"db\"]}");
	result_free(&r);
	r = run_pcf("--endpoint", ep, "config", "list", "app2", "--table", table, NULL);
	assert_ok(&r);
	cr_assert_str_eq(r.out, "app2\tdb\n");
	result_free(&r);

	r = run_pcf("--endpoint", ep, "-o", "json", "config", "delete", "app1", "cache", "--table",
	            table, NULL);
	assert_ok(&r);
	assert_json_out(&r, "{\"servers\":[\"a\",\"b\"],\"opts\":{\"ttl\":60},\"id\":\"007\"}");
	result_free(&r);
	r = run_pcf("--endpoint", ep, "config", "delete", "app1", "cache", "--table", table, NULL);
	cr_assert_eq(r.status, 1, "deleting a missing option fails");
	cr_assert(strstr(r.err, "no option cache"), "%s", r.err);
	result_free(&r);
	r = run_pcf("--endpoint", ep, "config", "get", "app1", "cache", "--table", table, NULL);
	cr_assert_eq(r.status, 1);
	cr_assert_str_eq(r.out, "");
	result_free(&r);
}

Test(config_store_cli, usage_errors_need_no_server)
{
	struct result r = run_pcf("config", "frob", "--table", "t1", NULL);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "frob"), "%s", r.err);
	result_free(&r);
	r = run_pcf("config", "set", "app", "--table", "t1", NULL);
	cr_assert_eq(r.status, 1);
	result_free(&r);
	r = run_pcf("config", "set", "app", "opt", "novalue", "--table", "t1", NULL);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "novalue: expected key=value"), "%s", r.err);
	result_free(&r);
	r = run_pcf("config", "get", "a", "--particle", "p", "--table", "t1", NULL);
	cr_assert_eq(r.status, 1);
	result_free(&r);
}

Test(config_store_cli, mismatched_table_is_misconfigured_schema)
{
	const char *ep = pcf_test_endpoint(PCF_LOCAL_DYNOXIDE);
	char table[64];
	struct result r;

	pcf_test_table_name(table, sizeof(table), "cfg-cli-schema");
	make_table(ep, table, "tenant");
	r = run_pcf("--endpoint", ep, "config", "get", "app1", "--table", table, NULL);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "MisconfiguredSchema"), "%s", r.err);
	result_free(&r);
	r = run_pcf("--endpoint", ep, "config", "list", "--table", table, NULL);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "MisconfiguredSchema"), "%s", r.err);
	result_free(&r);
}

/* Writes text to pcf.yml in a fresh directory; path (size 128) receives the file's path. */
static void write_definitions(char *path, const char *text)
{
	char dir[] = "/tmp/pcf-config-defs-XXXXXX";
	FILE *f;
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, 128, "%s/pcf.yml", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_definitions(char *path)
{
	char *slash = strrchr(path, '/');
	unlink(path);
	*slash = '\0';
	rmdir(path);
}

/* Two config store particles, each on its own table (the two %s). */
#define TWO_STORES                                                                                 \
	"- pcf_name: first\n  flavor: dynamodb_config_store\n"                                     \
	"  aws_resource: {TableName: %s, StoreKey: app, OptionKey: name,"                          \
	" BillingMode: PAY_PER_REQUEST}\n"                                                         \
	"- pcf_name: second\n  flavor: dynamodb_config_store\n"                                    \
	"  aws_resource:\n    TableName: %s\n    Options: {web: {port: {value: 80}}}\n"

IT_TABLE_SERVERS_TEST(config_store_cli, table_from_definitions)
{
	const char *ep = pcf_test_endpoint(*kind);
	char t1[64], t2[64], yaml[1024];
	char defs[128];
	struct result r;

	pcf_test_table_name(t1, sizeof(t1), "cfg-cli-one");
	pcf_test_table_name(t2, sizeof(t2), "cfg-cli-two");
	snprintf(yaml, sizeof(yaml), TWO_STORES, t1, t2);
	write_definitions(defs, yaml);

	r = run_pcf("--endpoint", ep, "-f", defs, "apply", NULL);
	assert_ok(&r);
	result_free(&r);

	r = run_pcf("--endpoint", ep, "-f", defs, "config", "get", "web", "port", NULL);
	cr_assert_eq(r.status, 1, "two config particles and no --particle");
	cr_assert(strstr(r.err, "--particle"), "%s", r.err);
	result_free(&r);

	r = run_pcf("--endpoint", ep, "-f", defs, "-o", "json", "config", "get", "web", "port",
	            "--particle", "second", NULL);
	assert_ok(&r);
	assert_json_out(&r, "{\"value\":80}");
	result_free(&r);

	/* The first particle's table has its own key names. */
	r = run_pcf("--endpoint", ep, "-f", defs, "config", "set", "web", "port", "value=8080",
	            "--particle", "dynamodb_config_store:first", NULL);
	assert_ok(&r);
	result_free(&r);
	r = run_pcf("--endpoint", ep, "-f", defs, "-o", "json", "config", "get", "web",
	            "--particle", "first", NULL);
	assert_ok(&r);
	assert_json_out(&r, "{\"port\":{\"value\":8080}}");
	result_free(&r);
	/* Opened with the default key names, the same table is refused. */
	r = run_pcf("--endpoint", ep, "config", "get", "web", "--table", t1, NULL);
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "MisconfiguredSchema"), "%s", r.err);
	result_free(&r);
	remove_definitions(defs);
}
