/* Quick engines for the fake-server tests (quick_engine.h). */
#include "quick_engine.h"

#include <criterion/criterion.h>
#include <string.h>

pcf_definitions *pcf_test_load_defs(const char *yaml)
{
	pcf_definitions *defs = NULL;
	pcf_diags diags;

	pcf_diags_init(&diags);
	cr_assert_eq(pcf_definitions_load_string(&defs, yaml, strlen(yaml), "pcf.yml", &diags), 0,
	             "%s", diags.count > 0 ? diags.items[0].message : "");
	pcf_diags_cleanup(&diags);
	return defs;
}

pcf_engine *pcf_test_quick_engine(const pcf_definitions *defs, pcf_services *services,
                                  long timeout_ms)
{
	pcf_engine_options o = PCF_ENGINE_OPTIONS_INIT;
	pcf_engine *engine = NULL;
	pcf_error err = PCF_ERROR_INIT;

	o.flavors = pcf_particles_flavors(&o.flavor_count);
	o.services = services;
	o.timeout_ms = timeout_ms;
	o.poll_initial_ms = 10;
	o.poll_max_ms = 50;
	o.yes = 1;
	cr_assert_eq(pcf_engine_new(&engine, defs, &o, &err), 0, "%s", err.message);
	return engine;
}

void pcf_test_engine_free_all(pcf_run_report *report, pcf_engine *engine, pcf_definitions *defs,
                              pcf_services *services)
{
	pcf_run_report_free(report);
	pcf_engine_free(engine);
	pcf_definitions_free(defs);
	pcf_services_free(services);
}

void pcf_test_fake_run_start(pcf_test_fake_run *r, pcf_fake_handler handler, void *payload,
                             int max_attempts, const char *yaml)
{
	pcf_aws_options o = PCF_AWS_OPTIONS_INIT;
	pcf_error err = PCF_ERROR_INIT;

	cr_assert_eq(pcf_fake_server_start(&r->server, handler, payload), 0);
	o.endpoint = pcf_fake_server_url(r->server);
	o.region = "us-east-1";
	o.max_attempts = max_attempts;
	cr_assert_eq(pcf_services_new(&r->services, &o, &err), 0, "%s", err.message);
	r->defs = pcf_test_load_defs(yaml);
}

void pcf_test_fake_run_stop(pcf_test_fake_run *r)
{
	pcf_test_engine_free_all(r->report, NULL, r->defs, r->services);
	pcf_fake_server_stop(r->server);
}
