/*
 * The shared config file reader.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "src/aws/ini.h"

Test(ini, sections_keys_comments_and_sub_settings)
{
	pcf_aws_ini *ini = NULL;
	const char *text = "# top comment\n"
	                   "[default]\r\n"
	                   "region=us-east-1\n"
	                   "  ; indented comment\n"
	                   "[profile dev]\n"
	                   "aws_access_key_id = AKID  \n"
	                   "s3 =\n"
	                   "  max_concurrent_requests = 20\n"
	                   "output = json\n"
	                   "[empty]\n"
	                   "region = first\n"
	                   "region = second\n";
	cr_assert_eq(pcf_aws_ini_parse(&ini, text, NULL), 0);
	cr_assert_str_eq(pcf_aws_ini_get(ini, "default", "region"), "us-east-1");
	cr_assert_str_eq(pcf_aws_ini_get(ini, "profile dev", "aws_access_key_id"), "AKID");
	cr_assert_str_eq(pcf_aws_ini_get(ini, "profile dev", "output"), "json");
	cr_assert_null(pcf_aws_ini_get(ini, "profile dev", "max_concurrent_requests"),
	               "sub-settings are not profile keys");
	cr_assert_str_eq(pcf_aws_ini_get(ini, "empty", "region"), "second", "last one wins");
	cr_assert(pcf_aws_ini_has_section(ini, "empty"));
	cr_assert_not(pcf_aws_ini_has_section(ini, "missing"));
	cr_assert_null(pcf_aws_ini_get(ini, "default", "nope"));
	pcf_aws_ini_free(ini);
}

Test(ini, missing_file_is_not_found)
{
	pcf_aws_ini *ini = NULL;
	pcf_error err = PCF_ERROR_INIT;
	cr_assert_eq(pcf_aws_ini_load(&ini, "/nonexistent/pcf/config", &err), PCF_ENOTFOUND);
	cr_assert_null(ini);
}
