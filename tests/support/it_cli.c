#include "it_cli.h"

#include <string.h>

#include <criterion/criterion.h>

#include "cli_run.h"

void it_expect_err(int status, const char *const *args, const char *needle)
{
	cli_result r;

	cli_expect(&r, status, args);
	cr_assert_not_null(strstr(r.err, needle), "%s", r.err);
	cli_result_free(&r);
}

void it_expect_out(int status, const char *const *args, const char *needle)
{
	cli_result r;

	cli_expect(&r, status, args);
	cr_assert_not_null(strstr(r.out, needle), "%s", r.out);
	cli_result_free(&r);
}

void it_expect_err_only(int status, const char *const *args, const char *needle)
{
	cli_result r;

	cli_expect(&r, status, args);
	cr_assert_not_null(strstr(r.err, needle), "%s", r.err);
	cr_assert_str_eq(r.out, "");
	cli_result_free(&r);
}
