/*
 * Argument checks of the public calls: each malformed call is refused with
 * PCF_EINVAL before anything is sent (err->http_status stays 0). The
 * client's endpoint is never contacted: the transport connects lazily.
 */
#include <criterion/criterion.h>
#include <string.h>

#include <pcf/dynamodb.h>

static pcf_ddb *db;
static cJSON *obj, *arr;

static void setup(void)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;
	o.endpoint = "http://127.0.0.1:9";
	o.region = "us-east-1";
	o.max_attempts = 1;
	cr_assert_eq(pcf_ddb_new(&db, &o, &err), 0, "%s", err.message);
	obj = cJSON_CreateObject();
	arr = cJSON_CreateArray();
}

static void teardown(void)
{
	pcf_ddb_free(db);
	cJSON_Delete(obj);
	cJSON_Delete(arr);
}

TestSuite(client, .init = setup, .fini = teardown);

#define REFUSED(call) cr_assert_eq((call), PCF_EINVAL, "%s", #call)

Test(client, malformed_calls_never_reach_the_network)
{
	cJSON *out = (cJSON *)1, *left = (cJSON *)1;
	cJSON *repeat = cJSON_Parse("{\"Key\":{}}");
	pcf_ddb_pager *pager = (pcf_ddb_pager *)1;
	pcf_error err = PCF_ERROR_INIT;
	REFUSED(pcf_ddb_execute(&out, db, NULL, NULL, &err));
	REFUSED(pcf_ddb_execute(&out, db, "ListTables", arr, &err));
	cr_assert_null(out);
	REFUSED(pcf_ddb_get_item(&out, db, NULL, obj, NULL, &err));
	REFUSED(pcf_ddb_get_item(&out, db, "t", arr, NULL, &err));
	REFUSED(pcf_ddb_delete_item(&out, db, "t", obj, repeat, &err));
	REFUSED(pcf_ddb_put_item(&out, db, "t", obj, arr, &err));
	cr_assert_null(out);
	REFUSED(pcf_ddb_create_table(&out, db, NULL, &err));
	REFUSED(pcf_ddb_describe_table(&out, db, "", &err));
	REFUSED(pcf_ddb_update_time_to_live(&out, db, "t", arr, &err));
	REFUSED(pcf_ddb_tag_resource(db, "arn", obj, &err));
	REFUSED(pcf_ddb_untag_resource(db, NULL, arr, &err));
	REFUSED(pcf_ddb_transact_write_items(&out, db, obj, &err));
	REFUSED(pcf_ddb_query(&out, db, obj, &err));
	REFUSED(pcf_ddb_scan(&out, db, NULL, &err));
	REFUSED(pcf_ddb_parallel_scan(&out, db, obj, 0, &err));
	REFUSED(pcf_ddb_pager_new(&pager, db, "PutItem", obj, &err));
	cr_assert_null(pager);
	REFUSED(pcf_ddb_batch_write_item(&left, db, arr, &err));
	cr_assert_null(left);
	REFUSED(pcf_ddb_ensure_table(&out, db, obj, 1000, &err));
	REFUSED(pcf_ddb_wait_table(&out, NULL, "t", PCF_DDB_TABLE_ACTIVE, 10, 10, &err));
	REFUSED(pcf_ddb_set_batch_retry(db, -1, 0, 0, &err));
	REFUSED(pcf_ddb_set_batch_retry(db, 1, 100, 10, &err));
	REFUSED(pcf_ddb_execute_many(db, NULL, 3, 0, &err));
	cr_assert_eq(err.code, PCF_EINVAL);
	cr_assert_eq(err.http_status, 0, "nothing was sent");
	cJSON_Delete(repeat);
}

Test(client, execute_many_of_nothing_is_fine)
{
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_ddb_execute_many(db, NULL, 0, 0, &err), 0);
	cr_assert_not_null(pcf_ddb_transport(db));
	cr_assert_null(pcf_ddb_transport(NULL));
	pcf_ddb_free(NULL);
}
