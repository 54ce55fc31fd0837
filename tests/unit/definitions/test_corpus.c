/*
 * Replays the fuzzer's seed corpus (tests/fuzz/corpus/definitions) through
 * the loader in the ordinary test suite, so the sanitizer and valgrind
 * builds cover every seed: each must give definitions or diags, never both
 * or neither, and never crash.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <pcf/definitions.h>
#include <pcf/error.h>

#define CORPUS PCF_SOURCE_DIR "/tests/fuzz/corpus/definitions"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	cr_assert_not_null(f, "%s", path);
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	cr_assert_geq(size, 0);
	rewind(f);
	buf = malloc((size_t)size + 1);
	cr_assert_not_null(buf);
	*len = fread(buf, 1, (size_t)size, f);
	cr_assert_eq(*len, (size_t)size);
	fclose(f);
	return buf;
}

Test(definitions_corpus, every_seed_gives_definitions_or_diags)
{
	DIR *dir = opendir(CORPUS);
	struct dirent *e;
	size_t seeds = 0, loaded = 0;

	cr_assert_not_null(dir);
	while ((e = readdir(dir)) != NULL) {
		pcf_definitions *defs = NULL;
		char path[1024], *text;
		pcf_diags d;
		size_t len;
		int rc;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", CORPUS, e->d_name);
		text = read_all(path, &len);
		pcf_diags_init(&d);
		rc = pcf_definitions_load_string(&defs, text, len, e->d_name, &d);
		if (rc == 0) {
			cr_expect_not_null(defs, "%s", e->d_name);
			cr_expect_eq(d.count, 0, "%s", e->d_name);
			loaded++;
		} else {
			cr_expect_eq(rc, PCF_EDEFINITION, "%s: rc %d", e->d_name, rc);
			cr_expect_null(defs, "%s", e->d_name);
			cr_expect_gt(d.count, 0, "%s", e->d_name);
		}
		pcf_definitions_free(defs);
		pcf_diags_cleanup(&d);
		free(text);
		seeds++;
	}
	closedir(dir);
	cr_expect_geq(seeds, 10, "the corpus lost its seeds");
	cr_expect_geq(loaded, 3, "no seed loads cleanly any more");
}
