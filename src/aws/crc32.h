/*
 * CRC-32 (ISO-HDLC, as in zlib and DynamoDB's x-amz-crc32 header).
 */
#ifndef PCF_AWS_CRC32_H
#define PCF_AWS_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 of data[0..len). */
uint32_t pcf_aws_crc32(const void *data, size_t len);

#endif
