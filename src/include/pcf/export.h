/*
 * PCF_EXTERN marks what libpcf exports. The library is compiled with hidden
 * visibility, so a function or object shared between files of the library
 * stays internal unless its public declaration carries this marker; every
 * function and object declared in a header under pcf/ must carry it
 * (scripts/check_exports.sh compares the headers with the shared library).
 */
#ifndef PCF_EXPORT_H
#define PCF_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define PCF_EXTERN __attribute__((visibility("default")))
#else
#define PCF_EXTERN
#endif

#endif
