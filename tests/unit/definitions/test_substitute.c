/*
 * ${VAR} substitution on its own: forms, defaults, escapes, and the
 * reasons given for each mistake.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <pcf/error.h>

#include "definitions/substitute.h"

static void setup(void)
{
	setenv("PCF_S_A", "alpha", 1);
	setenv("PCF_S_EMPTY", "", 1);
	unsetenv("PCF_S_UNSET");
}

TestSuite(definitions_substitute, .init = setup);

static void expect_sub(const char *in, const char *out)
{
	char *got = NULL, why[256];

	cr_assert_eq(pcf_defs_substitute_env(&got, in, strlen(in), why, sizeof(why)), 0, "%s: %s",
	             in, why);
	cr_expect_str_eq(got, out, "for %s", in);
	free(got);
}

static void expect_fail(const char *in, const char *reason)
{
	char *got = NULL, why[256];

	cr_expect_eq(pcf_defs_substitute_env(&got, in, strlen(in), why, sizeof(why)),
	             PCF_EDEFINITION, "%s", in);
	cr_expect_null(got);
	cr_expect_str_eq(why, reason, "for %s", in);
}

Test(definitions_substitute, forms)
{
	expect_sub("plain", "plain");
	expect_sub("", "");
	expect_sub("${PCF_S_A}", "alpha");
	expect_sub("x-${PCF_S_A}-y-${PCF_S_A}", "x-alpha-y-alpha");
	expect_sub("${PCF_S_UNSET:-dflt}", "dflt");
	expect_sub("${PCF_S_UNSET-dflt}", "dflt");
	expect_sub("${PCF_S_EMPTY:-dflt}", "dflt");
	expect_sub("${PCF_S_EMPTY-dflt}", "");
	expect_sub("${PCF_S_A:-dflt}", "alpha");
	expect_sub("${PCF_S_UNSET:-}", "");
	expect_sub("${PCF_S_UNSET:-${PCF_S_A}!}", "alpha!");
	expect_sub("${PCF_S_UNSET:-a}b}", "ab}");
}

Test(definitions_substitute, dollars_that_are_not_substitutions)
{
	expect_sub("$inherit$dynamodb_table:users$TableArn",
	           "$inherit$dynamodb_table:users$TableArn");
	expect_sub("$$${PCF_S_A}", "$${PCF_S_A}");
	expect_sub("$${PCF_S_A}", "${PCF_S_A}");
	expect_sub("cost $5 $", "cost $5 $");
	expect_sub("$$", "$$");
	cr_expect(pcf_defs_substitute_needed("a${b}", 5));
	cr_expect_not(pcf_defs_substitute_needed("$inherit$x", 10));
}

Test(definitions_substitute, mistakes)
{
	expect_fail("${PCF_S_UNSET}",
	            "environment variable PCF_S_UNSET is not set (write ${PCF_S_UNSET:-default} "
	            "to give a default)");
	expect_fail("a ${PCF_S_A", "\"${PCF_S_A\": \"${\" without a closing \"}\"");
	expect_fail("${}", "\"${}\": expected a variable name after \"${\"");
	expect_fail("${9A}", "\"${9A}\": expected a variable name after \"${\"");
	expect_fail("${PCF_S_A?x}", "\"${PCF_S_A?x}\": expected \"}\", \":-default}\" or "
	                            "\"-default}\" after the variable name");
	expect_fail("${PCF_S_UNSET:-${PCF_S_UNSET:-${PCF_S_UNSET:-${PCF_S_UNSET:-${PCF_S_UNSET:-"
	            "${PCF_S_UNSET:-${PCF_S_UNSET:-${PCF_S_UNSET:-${PCF_S_UNSET:-${PCF_S_UNSET:-x"
	            "}}}}}}}}}}",
	            "defaults nested more than 8 levels deep");
}
