/*
 * The configuration store library against dynoxide and dynalite (both show
 * tables, items, conditions and queries): round trips of every value type, stores sharing a
 * table, the seed's named errors, the time-based snapshot picking up other
 * clients' writes, and reads answering from the snapshot while the server
 * is gone (a dynalite this test starts and stops itself; no fake server).
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include <pcf/pcf.h>

#include "it_servers.h"
#include "servers.h"

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pcf_ddb *client_for(const char *endpoint)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_ddb *db = NULL;
	pcf_error err = PCF_ERROR_INIT;
	o.endpoint = endpoint;
	o.region = "us-east-1";
	o.max_attempts = 2;
	o.connect_timeout_ms = 1000;
	o.request_timeout_ms = 5000;
	cr_assert_eq(pcf_ddb_new(&db, &o, &err), 0, "pcf_ddb_new: %s", err.message);
	return db;
}

static cJSON *parse(const char *text)
{
	cJSON *v = cJSON_Parse(text);
	cr_assert_not_null(v, "test JSON does not parse: %s", text);
	return v;
}

static void assert_json(const cJSON *got, const char *expected)
{
	cJSON *want = parse(expected);
	char *printed = got ? cJSON_PrintUnformatted(got) : NULL;
	cr_assert(got && cJSON_Compare(got, want, 1), "got %s, want %s",
	          printed ? printed : "(null)", expected);
	cJSON_free(printed);
	cJSON_Delete(want);
}

static pcf_config_store *open_store(pcf_ddb *db, const char *table, const char *store,
                                    pcf_config_mode mode, long interval_ms)
{
	pcf_config_store_options o = PCF_CONFIG_STORE_OPTIONS_INIT;
	pcf_config_store *s = NULL;
	pcf_error err = PCF_ERROR_INIT;
	o.table.name = table;
	o.store = store;
	o.mode = mode;
	o.refresh_interval_ms = interval_ms;
	o.create.timeout_ms = 60000;
	o.create.poll_interval_ms = 100;
	cr_assert_eq(pcf_config_store_open(&s, db, &o, &err), 0, "open %s/%s: %s", table, store,
	             err.message);
	return s;
}

static void set_json(pcf_config_store *s, const char *option, const char *data_json)
{
	cJSON *data = parse(data_json);
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_store_set(s, option, data, &err), 0, "set %s: %s", option,
	             err.message);
	cJSON_Delete(data);
}

static void assert_option(pcf_config_store *s, const char *option, const char *expected)
{
	cJSON *got = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_config_store_get(&got, s, option, &err), 0, "get %s: %s", option,
	             err.message);
	assert_json(got, expected);
	cJSON_Delete(got);
}

IT_TABLE_SERVERS_TEST(config_store_library, round_trips_every_value_type)
{
	/* Binary and sets have no plain JSON type: the client's "$B"/"$SS"/... markers. */
	static const char *const cases[] = {
	    "{\"s\":\"db.internal\",\"unicode\":\"h\\u00e9llo \\u2713\"}",
	    "{\"int\":5432,\"neg\":-17,\"zero\":0,\"dec\":1.25,\"small\":0.001}",
	    "{\"big\":{\"$N\":\"123456789012345678901234567890\"}}",
	    "{\"t\":true,\"f\":false,\"n\":null}",
	    "{\"list\":[1,\"two\",false,null,[3],{\"k\":\"v\"}]}",
	    "{\"map\":{\"host\":\"x\",\"ports\":[1,2],\"deep\":{\"deeper\":{\"v\":1}}}}",
	    "{\"bin\":{\"$B\":\"AAEC/w==\"}}",
	    "{\"ss\":{\"$SS\":[\"a\",\"b\"]}}",
	    "{\"ns\":{\"$NS\":[\"1\",\"2.5\"]}}",
	    "{}",
	};
	char table[64], option[16];
	pcf_ddb *db = client_for(pcf_test_endpoint(*kind));
	pcf_config_store *s;

	pcf_test_table_name(table, sizeof(table), "cfg-types");
	s = open_store(db, table, "app", PCF_CONFIG_DIRECT, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(option, sizeof(option), "opt%zu", i);
		set_json(s, option, cases[i]);
		assert_option(s, option, cases[i]);
	}
	pcf_config_store_close(s);
	pcf_ddb_free(db);
}

IT_TABLE_SERVERS_TEST(config_store_library, two_stores_in_one_table_stay_separate)
{
	char table[64];
	pcf_ddb *db = client_for(pcf_test_endpoint(*kind));
	pcf_config_store *a, *b;
	cJSON *all = NULL, *old = NULL;
	pcf_error err = PCF_ERROR_INIT;

	pcf_test_table_name(table, sizeof(table), "cfg-two");
	a = open_store(db, table, "app1", PCF_CONFIG_DIRECT, 0);
	b = open_store(db, table, "app2", PCF_CONFIG_DIRECT, 0);
	set_json(a, "db", "{\"host\":\"one\"}");
	set_json(a, "cache", "{\"ttl\":60}");
	set_json(b, "db", "{\"host\":\"two\"}");

	assert_option(a, "db", "{\"host\":\"one\"}");
	assert_option(b, "db", "{\"host\":\"two\"}");
	cr_assert_eq(pcf_config_store_get(&all, b, "cache", &err), PCF_ENOTFOUND);
	cr_assert_null(all);
	cr_assert_eq(pcf_config_store_get_all(&all, a, &err), 0, "%s", err.message);
	assert_json(all, "{\"db\":{\"host\":\"one\"},\"cache\":{\"ttl\":60}}");
	cJSON_Delete(all);
	cr_assert_eq(pcf_config_store_get_all(&all, b, &err), 0, "%s", err.message);
	assert_json(all, "{\"db\":{\"host\":\"two\"}}");
	cJSON_Delete(all);

	/* Deleting in one store leaves the other alone and hands back the data. */
	cr_assert_eq(pcf_config_store_delete(&old, b, "db", &err), 0, "%s", err.message);
	assert_json(old, "{\"host\":\"two\"}");
	cJSON_Delete(old);
	cr_assert_eq(pcf_config_store_delete(&old, b, "db", &err), 0, "%s", err.message);
	cr_assert_null(old, "a second delete finds nothing");
	assert_option(a, "db", "{\"host\":\"one\"}");

	/* The whole table, grouped by store. */
	pcf_config_table t = PCF_CONFIG_TABLE_INIT;
	t.name = table;
	cr_assert_eq(pcf_config_table_read(&all, db, &t, NULL, &err), 0, "%s", err.message);
	assert_json(all, "{\"app1\":{\"db\":{\"host\":\"one\"},\"cache\":{\"ttl\":60}}}");
	cJSON_Delete(all);

	pcf_config_store_close(a);
	pcf_config_store_close(b);
	pcf_ddb_free(db);
}

/* What the tests of opening start from: a client, a fresh table name and
 * options that name that table. */
typedef struct open_case {
	char table[64];
	pcf_ddb *db;
	pcf_config_store_options o;
	pcf_config_store *s;
	pcf_error err;
} open_case;

static void open_case_init(open_case *c, pcf_local_server_kind kind, const char *prefix)
{
	pcf_config_store_options o = PCF_CONFIG_STORE_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;

	c->db = client_for(pcf_test_endpoint(kind));
	c->o = o;
	c->s = NULL;
	c->err = err;
	pcf_test_table_name(c->table, sizeof(c->table), prefix);
	c->o.table.name = c->table;
}

IT_TABLE_SERVERS_TEST(config_store_library, custom_key_names)
{
	open_case c;
	cJSON *desc = NULL;

	open_case_init(&c, *kind, "cfg-keys");
	c.o.table.store_key = "app";
	c.o.table.option_key = "setting";
	c.o.store = "web";
	c.o.create.read_units = 0; /* on-demand */
	c.o.create.write_units = 0;
	cr_assert_eq(pcf_config_store_open(&c.s, c.db, &c.o, &c.err), 0, "%s", c.err.message);
	set_json(c.s, "port", "{\"value\":8080}");
	assert_option(c.s, "port", "{\"value\":8080}");
	cr_assert_eq(pcf_ddb_describe_table(&desc, c.db, c.table, &c.err), 0, "%s", c.err.message);
	cr_assert_str_eq(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(desc, "KeySchema"), 0),
	                        "AttributeName")
	        ->valuestring,
	    "app");
	cJSON_Delete(desc);
	pcf_config_store_close(c.s);

	/* The same table opened with the default key names is refused. */
	c.o.table.store_key = NULL;
	c.o.table.option_key = NULL;
	c.s = (pcf_config_store *)1;
	cr_assert_eq(pcf_config_store_open(&c.s, c.db, &c.o, &c.err), PCF_ESCHEMA);
	cr_assert_null(c.s);
	pcf_ddb_free(c.db);
}

IT_TABLE_SERVERS_TEST(config_store_library, schema_mismatch_is_misconfigured_schema)
{
	open_case c;
	char request[512];
	cJSON *req, *desc = NULL;

	open_case_init(&c, *kind, "cfg-schema");
	snprintf(request, sizeof(request),
	         "{\"TableName\":\"%s\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\","
	         "\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\","
	         "\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
	         c.table);
	req = parse(request);
	cr_assert_eq(pcf_ddb_create_table(&desc, c.db, req, &c.err), 0, "%s", c.err.message);
	cJSON_Delete(req);
	cJSON_Delete(desc);
	cr_assert_eq(
	    pcf_ddb_wait_table(NULL, c.db, c.table, PCF_DDB_TABLE_ACTIVE, 100, 60000, &c.err), 0,
	    "%s", c.err.message);

	c.o.store = "app";
	cr_assert_eq(pcf_config_store_open(&c.s, c.db, &c.o, &c.err), PCF_ESCHEMA);
	cr_assert_null(c.s);
	cr_assert(strstr(c.err.message, "MisconfiguredSchema") != NULL, "%s", c.err.message);
	cr_assert(strstr(c.err.message, c.table) != NULL, "the table is named: %s", c.err.message);
	cr_assert(strstr(c.err.message, "HASH key id, expected _store") != NULL,
	          "the key found and the key expected are named: %s", c.err.message);

	c.o.create_table = 0;
	cr_assert_eq(pcf_config_store_open(&c.s, c.db, &c.o, &c.err), PCF_ESCHEMA);
	cr_assert(strstr(c.err.message, "HASH key id, expected _store") != NULL, "%s",
	          c.err.message);
	pcf_ddb_free(c.db);
}

Test(config_store_library, missing_table_without_create_is_not_found)
{
	open_case c;

	open_case_init(&c, PCF_LOCAL_DYNOXIDE, "cfg-missing");
	c.o.store = "app";
	c.o.create_table = 0;
	cr_assert_eq(pcf_config_store_open(&c.s, c.db, &c.o, &c.err), PCF_ERESOURCE_NOT_FOUND, "%s",
	             c.err.message);
	cr_assert_null(c.s);
	pcf_ddb_free(c.db);
}

IT_TABLE_SERVERS_TEST(config_store_library, create_failure_is_table_not_created)
{
	open_case c;

	open_case_init(&c, *kind, "cfg-notcreated");
	/* Both servers refuse ten trillion read units. */
	c.o.create.read_units = 10000000000000L;
	c.o.store = "app";
	cr_assert_eq(pcf_config_store_open(&c.s, c.db, &c.o, &c.err), PCF_ETABLE_NOT_CREATED,
	             "%d %s", c.err.code, c.err.message);
	cr_assert_eq(c.err.code, PCF_ETABLE_NOT_CREATED);
	cr_assert(strstr(c.err.message, "TableNotCreated") != NULL, "%s", c.err.message);
	cr_assert_str_eq(c.err.aws_type, "ValidationException", "the service's error is kept");
	cr_assert_null(c.s);
	pcf_ddb_free(c.db);
}

/* Starts a dynalite of the test's own that holds new tables CREATING for
 * create_ms, points o at store "app" in table there and returns a client. */
static pcf_ddb *own_dynalite(pcf_local_server *server, long create_ms, pcf_config_store_options *o,
                             const char *table)
{
	pcf_test_dynalite_holding(server, create_ms, 0, 0);
	o->table.name = table;
	o->store = "app";
	return client_for(server->endpoint);
}

Test(config_store_library, slow_creation_is_table_not_ready)
{
	pcf_local_server server;
	pcf_config_store_options o = PCF_CONFIG_STORE_OPTIONS_INIT;
	pcf_config_store *s = NULL;
	pcf_error err = PCF_ERROR_INIT;
	pcf_ddb *db;

	/* This dynalite holds new tables CREATING far longer than the store waits. */
	db = own_dynalite(&server, 60000, &o, "slow_config");
	o.create.timeout_ms = 300;
	o.create.poll_interval_ms = 50;
	cr_assert_eq(pcf_config_store_open(&s, db, &o, &err), PCF_ETABLE_NOT_READY, "%d %s",
	             err.code, err.message);
	cr_assert(strstr(err.message, "TableNotReady") != NULL, "%s", err.message);
	cr_assert_null(s);
	pcf_ddb_free(db);
	pcf_local_server_stop(&server);
}

/* Polls get until option's data equals expected or bound_ms passes; 1 when seen. */
static int wait_for_option(pcf_config_store *s, const char *option, const char *expected,
                           long bound_ms)
{
	cJSON *want = parse(expected);
	long long until = now_ms() + bound_ms;
	int seen = 0;
	while (!seen && now_ms() < until) {
		cJSON *got = NULL;
		if (pcf_config_store_get(&got, s, option, NULL) == 0 && cJSON_Compare(got, want, 1))
			seen = 1;
		cJSON_Delete(got);
		if (!seen)
			sleep_ms(20);
	}
	cJSON_Delete(want);
	return seen;
}

/* Names a fresh table, opens store "app" in it directly and sets one option. */
static pcf_config_store *new_writer(pcf_ddb *db, char *table, size_t size, const char *prefix,
                                    const char *option, const char *data_json)
{
	pcf_config_store *writer;

	pcf_test_table_name(table, size, prefix);
	writer = open_store(db, table, "app", PCF_CONFIG_DIRECT, 0);
	set_json(writer, option, data_json);
	return writer;
}

IT_TABLE_SERVERS_TEST(config_store_library, time_based_picks_up_other_clients_writes)
{
	char table[64];
	pcf_ddb *reader_db = client_for(pcf_test_endpoint(*kind));
	pcf_ddb *writer_db = client_for(pcf_test_endpoint(*kind));
	pcf_config_store *writer, *reader;
	cJSON *all = NULL;

	writer =
	    new_writer(writer_db, table, sizeof(table), "cfg-timed", "db", "{\"host\":\"old\"}");
	reader = open_store(reader_db, table, "app", PCF_CONFIG_TIME_BASED, 200);
	assert_option(reader, "db", "{\"host\":\"old\"}");

	/* Another client changes and adds options; the snapshot follows. */
	set_json(writer, "db", "{\"host\":\"new\"}");
	set_json(writer, "cache", "{\"ttl\":5}");
	cr_assert(wait_for_option(reader, "db", "{\"host\":\"new\"}", 20000),
	          "the refresh never brought the change in");
	cr_assert(wait_for_option(reader, "cache", "{\"ttl\":5}", 20000));
	cr_assert_eq(pcf_config_store_get_all(&all, reader, NULL), 0);
	assert_json(all, "{\"db\":{\"host\":\"new\"},\"cache\":{\"ttl\":5}}");
	cJSON_Delete(all);

	/* A delete by the other client disappears from the snapshot too. */
	cr_assert_eq(pcf_config_store_delete(NULL, writer, "cache", NULL), 0);
	long long until = now_ms() + 20000;
	int gone = 0;
	while (!gone && now_ms() < until) {
		cJSON *got = NULL;
		gone = pcf_config_store_get(&got, reader, "cache", NULL) == PCF_ENOTFOUND;
		cJSON_Delete(got);
		if (!gone)
			sleep_ms(20);
	}
	cr_assert(gone, "the deleted option stayed in the snapshot");

	pcf_config_store_close(reader);
	pcf_config_store_close(writer);
	pcf_ddb_free(reader_db);
	pcf_ddb_free(writer_db);
}

Test(config_store_library, reload_refreshes_at_once_and_own_writes_show)
{
	char table[64];
	pcf_ddb *db = client_for(pcf_test_endpoint(PCF_LOCAL_DYNOXIDE));
	pcf_config_store *writer, *reader;
	pcf_error err = PCF_ERROR_INIT;

	writer = new_writer(db, table, sizeof(table), "cfg-reload", "flag", "{\"on\":false}");
	/* An hour between refreshes: only reload can bring a change in. */
	reader = open_store(db, table, "app", PCF_CONFIG_TIME_BASED, 3600000);
	set_json(writer, "flag", "{\"on\":true}");
	assert_option(reader, "flag", "{\"on\":false}");
	cr_assert_eq(pcf_config_store_reload(reader, &err), 0, "%s", err.message);
	assert_option(reader, "flag", "{\"on\":true}");

	/* What this store writes it reads back without a refresh. */
	set_json(reader, "own", "{\"n\":{\"$N\":\"12345678901234567890123\"}}");
	assert_option(reader, "own", "{\"n\":{\"$N\":\"12345678901234567890123\"}}");
	cr_assert_eq(pcf_config_store_delete(NULL, reader, "flag", &err), 0, "%s", err.message);
	cJSON *gone = NULL;
	cr_assert_eq(pcf_config_store_get(&gone, reader, "flag", NULL), PCF_ENOTFOUND);
	cr_assert_null(gone);

	/* Direct mode has nothing to reload. */
	cr_assert_eq(pcf_config_store_reload(writer, &err), 0);
	pcf_config_store_close(reader);
	pcf_config_store_close(writer);
	pcf_ddb_free(db);
}

struct error_count {
	atomic_int failures;
	atomic_int last_code;
};

static void count_error(const pcf_error *err, void *payload)
{
	struct error_count *c = payload;
	atomic_store(&c->last_code, err->code);
	atomic_fetch_add(&c->failures, 1);
}

Test(config_store_library, failed_refresh_keeps_answering_from_the_snapshot)
{
	pcf_local_server server;
	pcf_config_store_options o = PCF_CONFIG_STORE_OPTIONS_INIT;
	pcf_config_store *s = NULL;
	pcf_error err = PCF_ERROR_INIT;
	struct error_count errors = {0, 0};
	cJSON *all = NULL;
	pcf_ddb *db;

	/* A dynalite of this test's own, stopped halfway. */
	db = own_dynalite(&server, 0, &o, "snapshot_config");
	o.create.poll_interval_ms = 50;
	o.mode = PCF_CONFIG_TIME_BASED;
	o.refresh_interval_ms = 200;
	o.on_error = count_error;
	o.payload = &errors;
	cr_assert_eq(pcf_config_store_open(&s, db, &o, &err), 0, "%s", err.message);
	set_json(s, "db", "{\"host\":\"kept\",\"port\":5432}");
	cr_assert_eq(pcf_config_store_reload(s, &err), 0, "%s", err.message);

	pcf_local_server_stop(&server);
	long long until = now_ms() + 30000;
	while (atomic_load(&errors.failures) < 2 && now_ms() < until)
		sleep_ms(20);
	cr_assert_geq(atomic_load(&errors.failures), 2, "refresh failures reach the callback");
	cr_assert_lt(atomic_load(&errors.last_code), 0);

	/* Reads still answer, from the last good snapshot. */
	assert_option(s, "db", "{\"host\":\"kept\",\"port\":5432}");
	cr_assert_eq(pcf_config_store_get_all(&all, s, &err), 0, "%s", err.message);
	assert_json(all, "{\"db\":{\"host\":\"kept\",\"port\":5432}}");
	cJSON_Delete(all);
	/* A forced reload reports the failure and keeps the snapshot too. */
	cr_assert_lt(pcf_config_store_reload(s, &err), 0);
	cr_assert_neq(err.message[0], '\0');
	assert_option(s, "db", "{\"host\":\"kept\",\"port\":5432}");

	pcf_config_store_close(s);
	pcf_ddb_free(db);
}

struct reader_arg {
	pcf_config_store *store;
	atomic_int *stop;
	int bad;
	int reads;
};

static void *read_loop(void *p)
{
	struct reader_arg *a = p;
	while (!atomic_load(a->stop)) {
		cJSON *got = NULL;
		const cJSON *v;
		if (pcf_config_store_get(&got, a->store, "counter", NULL) != 0)
			a->bad++;
		v = cJSON_GetObjectItem(got, "v");
		if (!cJSON_IsNumber(v))
			a->bad++;
		cJSON_Delete(got);
		a->reads++;
	}
	return NULL;
}

Test(config_store_library, readers_on_many_threads_during_refreshes_and_writes)
{
	char table[64], data[32];
	pcf_ddb *db = client_for(pcf_test_endpoint(PCF_LOCAL_DYNOXIDE));
	pcf_config_store *s;
	pthread_t threads[4];
	struct reader_arg args[4];
	atomic_int stop = 0;

	pcf_test_table_name(table, sizeof(table), "cfg-threads");
	s = open_store(db, table, "app", PCF_CONFIG_TIME_BASED, 1);
	set_json(s, "counter", "{\"v\":0}");
	for (int i = 0; i < 4; i++) {
		args[i] = (struct reader_arg){s, &stop, 0, 0};
		cr_assert_eq(pthread_create(&threads[i], NULL, read_loop, &args[i]), 0);
	}
	for (int n = 1; n <= 20; n++) {
		snprintf(data, sizeof(data), "{\"v\":%d}", n);
		set_json(s, "counter", data);
		cr_assert_eq(pcf_config_store_reload(s, NULL), 0);
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 4; i++) {
		pthread_join(threads[i], NULL);
		cr_assert_eq(args[i].bad, 0, "reader %d saw %d bad answers", i, args[i].bad);
		cr_assert_gt(args[i].reads, 0);
	}
	assert_option(s, "counter", "{\"v\":20}");
	pcf_config_store_close(s);
	pcf_ddb_free(db);
}
