/*
 * Process-wide initialisation: the only global state pcf has.
 */
#include <pcf/common.h>
#include <pcf/error.h>

#include <curl/curl.h>

const char *pcf_version(void)
{
	return PCF_VERSION_STRING;
}

int pcf_global_init(void)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return PCF_EINTERNAL;
	return 0;
}

void pcf_global_cleanup(void)
{
	curl_global_cleanup();
}
