/*
 * What a user sees when definitions are wrong: the exact text, file, line
 * and column of every problem, all of them in one run, for malformed YAML
 * and JSON, hostile input (huge, deeply nested, alias bombs, binary), and
 * mistakes in the particle envelope.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <pcf/definitions.h>
#include <pcf/error.h>

#include "defs_test.h"
#include "fake_answers.h"
#include "src/common/util.h"

#define VEC PCF_TEST_DATA_DIR "/definitions/"

struct bad_input {
	const char *name;
	const char *text;
	const char *expected;
};

static struct bad_input malformed[] = {
    {"tab.yml", "pcf_name: a\naws_resource:\n\tTableName: t\n",
     "tab.yml:3:1: invalid YAML: found character that cannot start any token (a tab: YAML "
     "indents with spaces only) (while scanning for the next token that starts at line 3, "
     "column 1)"},
    {"indent.yml", "pcf_name: a\nflavor: f\naws_resource:\n  x: 1\n y: 2\n",
     "indent.yml:5:2: invalid YAML: did not find expected key (check the indentation of this "
     "line against the lines above) (while parsing a block mapping that starts at line 1, "
     "column 1)"},
    {"quote.yml", "pcf_name: \"orders\nflavor: f\n",
     "quote.yml:3:1: invalid YAML: found unexpected end of stream (a quoted string is never "
     "closed) (while scanning a quoted scalar that starts at line 1, column 11)"},
    {"flow.yml", "pcf_name: a\nflavor: [f\n",
     "flow.yml:3:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow "
     "sequence that starts at line 2, column 9)"},
    {"empty.yml", "", "empty.yml: expected particle definitions, found an empty file"},
    {"comments.yml", "# nothing here\n\n",
     "comments.yml: expected particle definitions, found no YAML documents (only comments or "
     "blank lines)"},
    {"scalar.yml", "42\n",
     "scalar.yml:1:1: expected a particle or a list of particles (a mapping with pcf_name, "
     "flavor and aws_resource), found 42"},
    {"list.yml", "- orders\n",
     "list.yml:1:3: expected a particle (a mapping with pcf_name, flavor and aws_resource), "
     "found \"orders\""},
    {"emptylist.yml", "[]\n",
     "emptylist.yml:1:1: expected a list of particles, found an empty list"},
    {"dupkey.yml", "pcf_name: a\nflavor: f\naws_resource: {}\npcf_name: b\n",
     "dupkey.yml:4:1: duplicate key \"pcf_name\": expected each key once in a mapping, found it "
     "again (first at line 1, column 1)"},
    {"alias.yml", "pcf_name: a\nflavor: f\naws_resource: {x: *nope}\n",
     "alias.yml:3:19: alias *nope: expected an anchor &nope defined earlier in this document, "
     "found none"},
    {"tag.yml", "pcf_name: a\nflavor: f\naws_resource: {x: !Ref y}\n",
     "tag.yml:3:19: unsupported tag \"!Ref\": expected no tag or one of !!str, !!int, !!float, "
     "!!bool, !!null"},
    {"seqtag.yml", "pcf_name: a\nflavor: f\naws_resource: !!seq {x: 1}\n",
     "seqtag.yml:3:15: unsupported tag \"!!seq\": expected no tag here"},
    {"aliaskey.yml", "m: &m [1]\n*m : z\n",
     "aliaskey.yml:2:1: alias *m as a key: expected a scalar, found a sequence"},
    {"complexkey.yml", "? [a]\n: b\n",
     "complexkey.yml:1:3: expected a scalar key, found a sequence used as a key"},
    {"merge.yml", "pcf_name: a\nflavor: f\naws_resource:\n  <<: 5\n",
     "merge.yml:4:7: merge key \"<<\": expected a mapping or a list of mappings, found a scalar"},
    {"nul.yml", "pcf_name: a\nflavor: \"f\\0\"\naws_resource: {}\n",
     "nul.yml:2:9: expected text, found a NUL character (\\0) in a string"},
    {"unset.yml", "pcf_name: a\nflavor: f\naws_resource:\n  TableName: ${PCF_T_SURELY_UNSET}\n",
     "unset.yml:4:14: environment variable PCF_T_SURELY_UNSET is not set (write "
     "${PCF_T_SURELY_UNSET:-default} to give a default)"},
    {"unclosed.yml", "pcf_name: a\nflavor: f\naws_resource:\n  TableName: ${NAME\n",
     "unclosed.yml:4:14: \"${NAME\": \"${\" without a closing \"}\""},
    {"badvar.json", "{\"pcf_name\": \"a\", \"flavor\": \"f\", \"aws_resource\": {\"T\": \"${9}\"}}",
     "badvar.json:1:56: \"${9}\": expected a variable name after \"${\""},
    {"bad.json", "{\"pcf_name\": \"a\" \"flavor\": \"f\"}",
     "bad.json:1:18: invalid JSON: expected ',' or '}', found '\"'"},
    {"comma.json", "{\"pcf_name\": \"a\",\n \"flavor\": \"f\",}",
     "comma.json:2:16: invalid JSON: expected a \"key\" in double quotes, found '}'"},
    {"comments.json", "# only\n// comments\n",
     "comments.json: invalid JSON: expected particle definitions, found only comments and "
     "blank lines"},
    {"string.json", "{\"pcf_name\": \"a\\qb\"}",
     "string.json:1:17: invalid JSON: expected an escape (\\\" \\\\ \\/ \\b \\f \\n \\r "
     "\\t or \\uXXXX) after '\\', found 'q'"},
    {"two.json", "{} {}",
     "two.json:1:4: invalid JSON: expected the end of the file after the "
     "JSON value, found '{'"},
    {"deep.yml",
     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
     "[[[[[[[[[[[[",
     "deep.yml:1:65: expected nesting at most 64 levels deep, found more"},
};

#define MALFORMED_COUNT (sizeof(malformed) / sizeof(malformed[0]))

/*
 * Criterion runs each case in a fresh process, where the table's
 * addresses differ, so the parameter is an index into it.
 */
ParameterizedTestParameters(definitions_diagnostics, malformed)
{
	static size_t indices[MALFORMED_COUNT];
	size_t i;

	for (i = 0; i < MALFORMED_COUNT; i++)
		indices[i] = i;
	return cr_make_param_array(size_t, indices, MALFORMED_COUNT);
}

ParameterizedTest(size_t *i, definitions_diagnostics, malformed)
{
	const struct bad_input *c = &malformed[*i];

	expect_diags(c->name, c->text, c->expected);
}

TestSuite(definitions_diagnostics);

Test(definitions_diagnostics, binary_junk_is_not_utf8)
{
	static const char junk[] = {'p', 'c', 'f', ':', ' ', '\xff', '\xfe', '\x00', '\x01', 'x'};
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text;

	pcf_diags_init(&d);
	cr_expect_eq(pcf_definitions_load_string(&defs, junk, sizeof(junk), "junk.bin", &d),
	             PCF_EDEFINITION);
	cr_expect_null(defs);
	text = diags_text(&d);
	cr_expect_str_eq(text,
	                 "junk.bin:1:6: expected UTF-8 text, found byte 0xFF (invalid leading "
	                 "UTF-8 octet); is this a binary file?");
	free(text);
	pcf_diags_cleanup(&d);
}

Test(definitions_diagnostics, control_characters)
{
	expect_diags("ctl.yml", "pcf_name: a\x01\n",
	             "ctl.yml:1:12: expected UTF-8 text, found byte 0x01 (control characters are "
	             "not allowed); is this a binary file?");
}

Test(definitions_diagnostics, alias_bomb_is_refused)
{
	/* "Billion laughs": each level holds ten of the one before, 10^9 strings in all. */
	static const char *bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	                          "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	                          "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	                          "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	                          "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	                          "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	                          "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	                          "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
	                          "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";
	pcf_definitions *defs = NULL;
	char *text = NULL;

	cr_expect_eq(load_text(&defs, "bomb.yml", bomb, &text), PCF_EDEFINITION);
	cr_expect_null(defs);
	cr_expect_str_eq(text, "bomb.yml:5:36: alias *d: aliases in this file expand to more "
	                       "than 100000 nodes; refusing (an alias bomb?)");
	free(text);
}

Test(definitions_diagnostics, a_huge_file_is_refused_before_reading)
{
	char dir[] = "/tmp/pcf-defs-XXXXXX", path[64];
	const char *paths[1] = {path};
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text;
	int fd;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/huge.yml", dir);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	/* 100 MB, sparse: the loader must refuse it from its size alone. */
	cr_assert_eq(ftruncate(fd, 100 * 1000 * 1000), 0);
	close(fd);
	pcf_diags_init(&d);
	cr_expect_eq(pcf_definitions_load(&defs, paths, 1, &d), PCF_EDEFINITION);
	text = diags_text(&d);
	cr_expect(strstr(text, "huge.yml: file too large: expected at most 16 MiB of definitions, "
	                       "found 100000000 bytes") != NULL,
	          "%s", text);
	free(text);
	pcf_diags_cleanup(&d);
	unlink(path);
	rmdir(dir);
}

Test(definitions_diagnostics, a_huge_string_is_refused)
{
	size_t len = PCF_DEFINITIONS_MAX_FILE_BYTES + 1;
	char *big = malloc(len);
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text;

	cr_assert_not_null(big);
	memset(big, ' ', len);
	pcf_diags_init(&d);
	cr_expect_eq(pcf_definitions_load_string(&defs, big, len, "big.yml", &d), PCF_EDEFINITION);
	text = diags_text(&d);
	cr_expect_str_eq(text, "big.yml: file too large: expected at most 16 MiB of definitions, "
	                       "found 16777217 bytes");
	free(text);
	free(big);
	pcf_diags_cleanup(&d);
}

Test(definitions_diagnostics, missing_paths_and_empty_directories)
{
	char dir[] = "/tmp/pcf-defs-XXXXXX";
	const char *paths[2] = {"no/such/file.yml", dir};
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text, expected[256];

	cr_assert_not_null(mkdtemp(dir));
	pcf_diags_init(&d);
	cr_expect_eq(pcf_definitions_load(&defs, paths, 2, &d), PCF_EDEFINITION);
	text = diags_text(&d);
	snprintf(
	    expected, sizeof(expected),
	    "no/such/file.yml: expected a definitions file or directory, found: No such file "
	    "or directory\n%s: expected *.yml, *.yaml or *.json files in this directory, found "
	    "none",
	    dir);
	cr_expect_str_eq(text, expected);
	free(text);
	pcf_diags_cleanup(&d);
	rmdir(dir);
}

Test(definitions_diagnostics, no_default_file)
{
	char dir[] = "/tmp/pcf-defs-XXXXXX";
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(chdir(dir), 0);
	pcf_diags_init(&d);
	cr_expect_eq(pcf_definitions_load(&defs, NULL, 0, &d), PCF_EDEFINITION);
	text = diags_text(&d);
	cr_expect_str_eq(text, "no definitions found: expected ./pcf.yml, ./pcf.yaml or ./pcf.json "
	                       "in the current directory, found none (or name files and "
	                       "directories with -f)");
	free(text);
	pcf_diags_cleanup(&d);
	rmdir(dir);
}

Test(definitions_diagnostics, every_envelope_mistake_in_one_run)
{
	const char *paths[] = {VEC "errors.yml"};
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text;

	pcf_diags_init(&d);
	cr_expect_eq(pcf_definitions_load(&defs, paths, 1, &d), PCF_EDEFINITION);
	cr_expect_null(defs);
	text = diags_text(&d);
	cr_expect_str_eq(
	    text,
	    VEC "errors.yml:3:18: desired_state: expected one of running, stopped, terminated, "
	        "found \"runing\" (did you mean \"running\"?)\n" VEC
	        "errors.yml:4:3: callbacks: not supported: PCF callbacks name Python functions, "
	        "which pcf cannot run; remove this field\n" VEC
	        "errors.yml:6:22: persist_on_update: expected true or false, found \"yes\" (pcf "
	        "reads YAML 1.2, where only true and false are booleans)\n" VEC
	        "errors.yml:7:3: parentz: unknown particle field: expected one of pcf_name, "
	        "flavor, desired_state, aws_resource, persist_on_termination, "
	        "persist_on_update, ignore_changes, parents or children (did you mean "
	        "\"parents\"?)\n" VEC
	        "errors.yml:8:13: parents[0]: expected the name of a particle in these "
	        "definitions (\"name\" or \"flavor:name\"), found \"dynamodb_table:userz\"\n" VEC
	        "errors.yml:11:13: pcf_name: duplicate particle name \"orders\": expected each "
	        "pcf_name once, found it again (first at " VEC "errors.yml:1:13)\n" VEC
	        "errors.yml:13:17: aws_resource: expected a mapping of the resource's settings, "
	        "found a list\n" VEC
	        "errors.yml:14:3: pcf_name: expected a particle name (a string), found no such "
	        "field (pcf_name is required)\n" VEC
	        "errors.yml:14:11: flavor: expected a flavor name such as dynamodb_table (a "
	        "string), found 7");
	free(text);
	pcf_diags_cleanup(&d);
}

Test(definitions_diagnostics, references_and_their_shapes)
{
	expect_diags("refs.yml",
	             "- pcf_name: users\n  flavor: dynamodb_table\n  aws_resource: {}\n"
	             "- pcf_name: orders\n  flavor: dynamodb_table\n  aws_resource: {}\n"
	             "  parents: dynamodb_table:users\n  children: [5, \"\", userz]\n",
	             "refs.yml:7:12: parents: expected a list of particle names (\"name\" or "
	             "\"flavor:name\"), found \"dynamodb_table:users\"\n"
	             "refs.yml:8:14: children[0]: expected a particle name (\"name\" or "
	             "\"flavor:name\"), found 5\n"
	             "refs.yml:8:17: children[1]: expected a particle name (\"name\" or "
	             "\"flavor:name\"), found an empty string\n"
	             "refs.yml:8:21: children[2]: expected the name of a particle in these "
	             "definitions (\"name\" or \"flavor:name\"), found \"userz\" (did you mean "
	             "\"users\"?)");
}

Test(definitions_diagnostics, duplicates_across_files)
{
	const char *paths[] = {VEC "single.yml", VEC "tree"};
	pcf_definitions *defs = NULL;
	pcf_diags d;
	char *text;

	pcf_diags_init(&d);
	cr_expect_eq(pcf_definitions_load(&defs, paths, 2, &d), PCF_EDEFINITION);
	text = diags_text(&d);
	cr_expect_str_eq(text, VEC "tree/20-orders.yaml:1:11: pcf_name: duplicate particle name "
	                           "\"orders\": expected each pcf_name once, found it again (first "
	                           "at " VEC "single.yml:2:11)");
	free(text);
	pcf_diags_cleanup(&d);
}

Test(definitions_diagnostics, documents_before_a_syntax_error_are_checked_too)
{
	expect_diags("two.yml", "pcf_name: a\nflavor: f\n---\npcf_name: [\n",
	             "two.yml:1:1: aws_resource: expected a mapping of the resource's settings, "
	             "found no such field (aws_resource is required)\n"
	             "two.yml:5:1: invalid YAML: did not find expected node content (while parsing "
	             "a flow node that starts at line 5, column 1)");
}

Test(definitions_diagnostics, a_null_diags_still_fails)
{
	pcf_definitions *defs = NULL;

	cr_expect_eq(pcf_definitions_load_string(&defs, "[", 1, "x.yml", NULL), PCF_EDEFINITION);
	cr_expect_null(defs);
}

/* For validate: what could be read comes back with the problems. */
Test(definitions_diagnostics, a_partial_load_keeps_what_could_be_read)
{
	const char *paths[] = {VEC "errors.yml"};
	pcf_definitions *defs = NULL;
	pcf_diags d;

	pcf_diags_init(&d);
	cr_assert_eq(pcf_definitions_load_partial(&defs, paths, 1, &d), PCF_EDEFINITION);
	cr_assert_not_null(defs);
	cr_assert_eq(d.count, 9);
	cr_assert_not_null(pcf_definitions_find(defs, "orders"));
	cr_assert_str_eq(defs->particles[0].id, "dynamodb_table:orders");
	pcf_definitions_free(defs);
	pcf_diags_cleanup(&d);
}

/*
 * One particle naming 50,000 parents (and each again as a child): linear,
 * not quadratic. Linking takes about a second here; a quadratic link would
 * take minutes. The bound scales with PCF_TEST_TIME_SCALE, since under
 * valgrind the same work takes tens of times longer (a fixed Criterion
 * timeout of 30 s failed there on a loaded machine).
 */
Test(definitions_diagnostics, many_parents_link_quickly)
{
	int64_t start = pcf_util_now_ms();
	long limit_ms = pcf_test_scaled_ms(30000);
	const size_t n = 50000;
	size_t cap = n * 120 + 4096, used = 0;
	char *text = malloc(cap);
	pcf_definitions *defs = NULL;
	char *got = NULL;

	cr_assert_not_null(text);
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, cap - used,
		                         "- {pcf_name: p%zu, flavor: f, aws_resource: {}, "
		                         "children: [child]}\n",
		                         i);
	used +=
	    (size_t)snprintf(text + used, cap - used,
	                     "- pcf_name: child\n  flavor: f\n  aws_resource: {}\n  parents: [");
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, cap - used, "%sp%zu", i ? ", " : "", i);
	snprintf(text + used, cap - used, "]\n");
	cr_assert_eq(load_text(&defs, "wide.yml", text, &got), 0, "%s", got);
	cr_assert_leq(pcf_util_now_ms() - start, (int64_t)limit_ms,
	              "linking 50,000 parents took over %ld ms", limit_ms);
	cr_assert_eq(defs->particles[n].parent_count, n, "each parent once");
	cr_assert_str_eq(defs->particles[n].parents[0], "f:p0", "in the order written");
	pcf_definitions_free(defs);
	free(got);
	free(text);
}

Test(definitions_diagnostics, ignore_changes_is_a_list_of_paths)
{
	pcf_definitions *defs = expect_load(
	    "ign.yml",
	    "pcf_name: t\nflavor: dynamodb_table\naws_resource: {}\n"
	    "ignore_changes: [ProvisionedThroughput, "
	    "\"GlobalSecondaryIndexes[by_email].ProvisionedThroughput.ReadCapacityUnits\", "
	    "\"Tags[*]\"]\n");
	pcf_definitions_free(defs);
	expect_diags("ign.yml",
	             "pcf_name: t\nflavor: dynamodb_table\naws_resource: {}\n"
	             "ignore_changes: ProvisionedThroughput\n",
	             "ign.yml:4:17: ignore_changes: expected a list of paths into aws_resource "
	             "(such as ProvisionedThroughput), found \"ProvisionedThroughput\"");
	expect_diags("ign.yml",
	             "pcf_name: t\nflavor: dynamodb_table\naws_resource: {}\n"
	             "ignore_changes: [\"A..B\", \"[x]\", \"A[]\", \"A[x]B\", 5, \"A.\"]\n",
	             "ign.yml:4:18: ignore_changes[0]: expected a path into aws_resource such as "
	             "GlobalSecondaryIndexes[by_email].ProvisionedThroughput (names joined by "
	             "dots, list elements as [name] or [*]), found \"A..B\"\n"
	             "ign.yml:4:26: ignore_changes[1]: expected a path into aws_resource such as "
	             "GlobalSecondaryIndexes[by_email].ProvisionedThroughput (names joined by "
	             "dots, list elements as [name] or [*]), found \"[x]\"\n"
	             "ign.yml:4:33: ignore_changes[2]: expected a path into aws_resource such as "
	             "GlobalSecondaryIndexes[by_email].ProvisionedThroughput (names joined by "
	             "dots, list elements as [name] or [*]), found \"A[]\"\n"
	             "ign.yml:4:40: ignore_changes[3]: expected a path into aws_resource such as "
	             "GlobalSecondaryIndexes[by_email].ProvisionedThroughput (names joined by "
	             "dots, list elements as [name] or [*]), found \"A[x]B\"\n"
	             "ign.yml:4:49: ignore_changes[4]: expected a path into aws_resource such as "
	             "GlobalSecondaryIndexes[by_email].ProvisionedThroughput (names joined by "
	             "dots, list elements as [name] or [*]), found 5\n"
	             "ign.yml:4:52: ignore_changes[5]: expected a path into aws_resource such as "
	             "GlobalSecondaryIndexes[by_email].ProvisionedThroughput (names joined by "
	             "dots, list elements as [name] or [*]), found \"A.\"");
}
