/*
 * pcf: the command-line entry point. Parses global options and hands the
 * command to its module in src/cli/.
 */
#include <pcf/pcf.h>

#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: pcf [-f PATH]... [--endpoint URL] [--region R] [--profile P] [-o text|json]\n"
	"           [--timeout SECONDS] [--parallel N] [-v|-q] COMMAND [NAME...]\n"
	"\n"
	"Converges AWS DynamoDB tables to declarative YAML definitions.\n"
	"\n"
	"commands:\n"
	"  validate    parse and check definitions; no network\n"
	"  plan        show the steps apply would take\n"
	"  apply       converge every selected particle to its desired_state\n"
	"  run | stop | terminate\n"
	"              set the desired state, then apply\n"
	"  status      live state and drift of each particle\n"
	"  export      print a definition that reproduces live tables\n"
	"  item        get|put|delete items in a particle's table\n"
	"  config      get|set|list|delete options of a configuration store\n"
	"\n"
	"Run 'pcf COMMAND --help' for a command's options.\n";

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
		printf("pcf %s\n", pcf_version());
		return 0;
	}
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	fputs(usage_text, stderr);
	return 1;
}
