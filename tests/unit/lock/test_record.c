/*
 * The lock's rule and record, without a server: when a lock may be taken
 * (absent, released, the same version seen for a full lease on this
 * process's clock), when a held one must be treated as lost, how items
 * read and write, and the "locked by" message.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <string.h>

#include "src/lock/lock_internal.h"

static pcf_lock_info held_by(const char *run_id, const char *version, long lease_ms)
{
	pcf_lock_info info;

	memset(&info, 0, sizeof(info));
	info.key = "us-east-1/orders";
	info.host = "build-7";
	info.pid = 4242;
	info.run_id = (char *)run_id;
	info.version = (char *)version;
	info.lease_ms = lease_ms;
	info.command = "apply";
	info.taken_at = "2026-11-30T10:00:00Z";
	return info;
}

Test(lock_decide, absent_item_is_taken_at_once)
{
	lock_observation obs = {0};

	cr_assert_eq(lock_decide(NULL, "me", &obs, 0), LOCK_TAKE_ABSENT);
}

Test(lock_decide, released_item_is_taken_at_once)
{
	lock_observation obs = {0};
	pcf_lock_info info = held_by("other", "v1", 20000);

	info.released = 1;
	cr_assert_eq(lock_decide(&info, "me", &obs, 0), LOCK_TAKE_RELEASED);
}

Test(lock_decide, own_run_is_ours)
{
	lock_observation obs = {0};
	pcf_lock_info info = held_by("me", "v1", 20000);

	cr_assert_eq(lock_decide(&info, "me", &obs, 0), LOCK_OURS);
}

Test(lock_decide, held_lock_waits_a_full_lease_from_the_first_look)
{
	lock_observation obs = {0};
	pcf_lock_info info = held_by("other", "v1", 20000);

	/* The first look starts the count, whatever the item says about time. */
	cr_assert_eq(lock_decide(&info, "me", &obs, 1000000), LOCK_WAIT);
	cr_assert_eq(obs.since_ms, 1000000);
	cr_assert_eq(lock_decide(&info, "me", &obs, 1000000 + 19999), LOCK_WAIT);
	cr_assert_eq(lock_decide(&info, "me", &obs, 1000000 + 20000), LOCK_TAKE_EXPIRED);
}

Test(lock_decide, renewed_lock_restarts_the_count)
{
	lock_observation obs = {0};
	pcf_lock_info v1 = held_by("other", "v1", 3000), v2 = held_by("other", "v2", 3000);

	cr_assert_eq(lock_decide(&v1, "me", &obs, 0), LOCK_WAIT);
	cr_assert_eq(lock_decide(&v1, "me", &obs, 2000), LOCK_WAIT);
	/* A renewal wrote a new version: its holder is alive, the lease counts anew. */
	cr_assert_eq(lock_decide(&v2, "me", &obs, 2500), LOCK_WAIT);
	cr_assert_eq(lock_decide(&v2, "me", &obs, 5000), LOCK_WAIT);
	cr_assert_eq(lock_decide(&v2, "me", &obs, 5500), LOCK_TAKE_EXPIRED);
}

Test(lock_decide, lease_is_the_holders_own)
{
	lock_observation obs = {0};
	pcf_lock_info info = held_by("other", "v1", 60000);

	cr_assert_eq(lock_decide(&info, "me", &obs, 0), LOCK_WAIT);
	cr_assert_eq(lock_decide(&info, "me", &obs, 59999), LOCK_WAIT);
	cr_assert_eq(lock_decide(&info, "me", &obs, 60000), LOCK_TAKE_EXPIRED);
}

Test(lock_expiring, from_five_sixths_of_the_lease)
{
	cr_assert_not(lock_expiring(1000, 6000, 1000));
	cr_assert_not(lock_expiring(1000, 6000, 1000 + 2000), "one renewal period: fine");
	cr_assert_not(lock_expiring(1000, 6000, 1000 + 4999), "one renewal may fail");
	cr_assert(lock_expiring(1000, 6000, 1000 + 5000));
	cr_assert(lock_expiring(1000, 6000, 1000 + 9000));
}

Test(lock_poll, bounded_between_a_fifth_and_one_second)
{
	cr_assert_eq(lock_poll_ms(100), 200);
	cr_assert_eq(lock_poll_ms(2000), 500);
	cr_assert_eq(lock_poll_ms(20000), 1000);
}

Test(lock_item, round_trips_through_attribute_values)
{
	pcf_lock_info in = held_by("r1", "v9", 20000), out;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *item = lock_info_to_item(&in, 1900000000LL);

	cr_assert_not_null(item);
	cr_assert_str_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(item, "expires_at"), "N")->valuestring,
	    "1900000000");
	cr_assert_str_eq(
	    cJSON_GetObjectItem(cJSON_GetObjectItem(item, "lease_ms"), "N")->valuestring, "20000");
	cr_assert_eq(lock_info_from_item(&out, item, &err), 0, "%s", err.message);
	cr_assert_str_eq(out.key, "us-east-1/orders");
	cr_assert_str_eq(out.host, "build-7");
	cr_assert_eq(out.pid, 4242);
	cr_assert_str_eq(out.run_id, "r1");
	cr_assert_str_eq(out.version, "v9");
	cr_assert_eq(out.lease_ms, 20000);
	cr_assert_str_eq(out.command, "apply");
	cr_assert_eq(out.released, 0);
	pcf_lock_info_cleanup(&out);
	cJSON_Delete(item);
}

Test(lock_item, foreign_item_is_a_bad_response)
{
	pcf_lock_info out;
	pcf_error err = PCF_ERROR_INIT;
	cJSON *item = cJSON_Parse("{\"lock_key\":{\"S\":\"k\"}}");

	cr_assert_eq(lock_info_from_item(&out, item, &err), PCF_EBADRESPONSE);
	cr_assert_not_null(strstr(err.message, "not written by pcf"), "%s", err.message);
	cJSON_Delete(item);
}

Test(lock_error, names_holder_run_command_and_time)
{
	pcf_lock_info info = held_by("r1", "v1", 20000);
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(lock_locked_error(&err, "us-east-1/orders", &info), PCF_ELOCKED);
	cr_assert_str_eq(err.message, "locked by build-7 pid 4242 (run r1, apply, since "
	                              "2026-11-30T10:00:00Z) [lock us-east-1/orders]");
}

Test(lock_random, versions_differ_and_are_hex)
{
	char a[LOCK_VERSION_CHARS + 1], b[LOCK_VERSION_CHARS + 1];

	cr_assert_eq(lock_random_hex(a, sizeof(a)), 0);
	cr_assert_eq(lock_random_hex(b, sizeof(b)), 0);
	cr_assert_eq(strlen(a), LOCK_VERSION_CHARS);
	cr_assert_eq(strspn(a, "0123456789abcdef"), LOCK_VERSION_CHARS);
	cr_assert_str_neq(a, b);
}

Test(lock_key, region_and_table_or_the_particle_id)
{
	pcf_particle_def def;
	char *key;

	memset(&def, 0, sizeof(def));
	def.id = "dynamodb_table:orders";
	def.aws_resource = cJSON_Parse("{\"TableName\":\"orders\"}");
	key = pcf_lock_particle_key(&def, "eu-west-1");
	cr_assert_str_eq(key, "eu-west-1/orders");
	free(key);
	cJSON_AddStringToObject(def.aws_resource, "region_name", "us-west-2");
	key = pcf_lock_particle_key(&def, "eu-west-1");
	cr_assert_str_eq(key, "us-west-2/orders");
	free(key);
	cJSON_Delete(def.aws_resource);
	def.aws_resource = cJSON_Parse("{}");
	key = pcf_lock_particle_key(&def, "eu-west-1");
	cr_assert_str_eq(key, "particle/dynamodb_table:orders");
	free(key);
	cJSON_Delete(def.aws_resource);
}
