/*
 * libFuzzer target for the definitions loader: any bytes go through
 * pcf_definitions_load_string, which must answer with definitions or with
 * diags, never crash, leak or read out of bounds. Half of the inputs are
 * named *.json to reach the JSON path too. ${VAR} substitution reads the
 * environment; the variables set here make those paths reachable.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <pcf/definitions.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("PCF_FUZZ_NAME", "orders", 1);
	setenv("PCF_FUZZ_EMPTY", "", 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name = (size > 0 && (data[size - 1] & 1)) ? "fuzz.json" : "fuzz.yml";
	pcf_definitions *defs = NULL;
	pcf_diags diags;
	size_t i;
	int rc;

	pcf_diags_init(&diags);
	rc = pcf_definitions_load_string(&defs, (const char *)data, size, name, &diags);
	if ((rc == 0) != (defs != NULL) || (rc == PCF_EDEFINITION && diags.count == 0))
		abort();
	if (defs != NULL) {
		for (i = 0; i < defs->count; i++) {
			pcf_source_mark mark;

			pcf_particle_def_locate(&mark, &defs->particles[i], "aws_resource.a[0].b");
			if (pcf_definitions_find(defs, defs->particles[i].id) == NULL)
				abort();
		}
	}
	pcf_definitions_free(defs);
	pcf_diags_cleanup(&diags);
	return 0;
}
