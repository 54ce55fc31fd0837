/*
 * Table-driven CRC-32 with the reflected polynomial 0xEDB88320. None of the
 * libraries pcf links exposes one, and DynamoDB sends a CRC-32 of every
 * response body in x-amz-crc32, which the transport checks to catch
 * truncated or corrupted responses. The table is built at compile time so
 * there is no first-use race between threads.
 */
#include "crc32.h"

#define P      0xEDB88320u
#define B1(c)  (((c)&1u) ? (P ^ ((c) >> 1)) : ((c) >> 1))
#define B2(c)  B1(B1(c))
#define B4(c)  B2(B2(c))
#define B8(c)  B4(B4(c))
#define R1(n)  B8((uint32_t)(n))
#define R4(n)  R1(n), R1((n) + 1), R1((n) + 2), R1((n) + 3)
#define R16(n) R4(n), R4((n) + 4), R4((n) + 8), R4((n) + 12)
#define R64(n) R16(n), R16((n) + 16), R16((n) + 32), R16((n) + 48)

static const uint32_t table[256] = {R64(0), R64(64), R64(128), R64(192)};

uint32_t pcf_aws_crc32(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xFFu] ^ (crc >> 8);
	return crc ^ 0xFFFFFFFFu;
}
