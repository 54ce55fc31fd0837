/*
 * CRC-32 against the standard check value and values from zlib.crc32.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "src/aws/crc32.h"

Test(crc32, check_value)
{
	cr_assert_eq(pcf_aws_crc32("123456789", 9), 0xCBF43926u);
}

Test(crc32, empty_and_json_bodies)
{
	const char *body = "{\"TableNames\":[]}";
	cr_assert_eq(pcf_aws_crc32("", 0), 0u);
	cr_assert_eq(pcf_aws_crc32(body, strlen(body)), 1315925753u);
}

Test(crc32, one_flipped_bit_changes_it)
{
	char a[] = "{\"Item\":{\"id\":{\"S\":\"1\"}}}";
	uint32_t before = pcf_aws_crc32(a, strlen(a));
	a[5] ^= 1;
	cr_assert_neq(pcf_aws_crc32(a, strlen(a)), before);
}
