/*
 * The one JSON document of -o json.
 *
 * Every command prints its document through pcf_cli_json_emit_take, which
 * formats it here (two-space indentation: cJSON_Print indents with tabs,
 * which diff and review tools show badly). A run that ends without having
 * printed one (a usage error, definitions that do not load, a connection
 * that fails before any report exists) still owes the caller a document:
 * the messages a command prints through pcf_cli_fail / pcf_cli_error /
 * pcf_cli_usage_error are recorded in ctx->record, and main.c prints them
 * as {"command", "error": {code, message, ...}, "problems": [...]} when
 * nothing else was printed. So a script can always parse stdout.
 */
#include "src/cli/cli.h"
#include "src/common/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void indent(pcf_buf *b, int depth)
{
	for (int k = 0; k < depth; k++)
		pcf_buf_puts(b, "  ");
}

/* A leaf (string, number, bool, null) as cJSON writes it compactly. */
static void write_leaf(pcf_buf *b, const cJSON *v)
{
	char *text = cJSON_PrintUnformatted(v);

	if (!text) {
		b->failed = 1; /* out of memory: the document is dropped as a whole */
		return;
	}
	pcf_buf_puts(b, text);
	cJSON_free(text);
}

static void write_key(pcf_buf *b, const char *key)
{
	cJSON *s = cJSON_CreateStringReference(key ? key : "");

	if (s)
		write_leaf(b, s);
	else
		b->failed = 1;
	cJSON_Delete(s);
	pcf_buf_puts(b, ": ");
}

static void write_value(pcf_buf *b, const cJSON *v, int depth)
{
	int object = cJSON_IsObject(v);
	const cJSON *c;

	if (!object && !cJSON_IsArray(v)) {
		write_leaf(b, v);
		return;
	}
	if (!v->child) {
		pcf_buf_puts(b, object ? "{}" : "[]");
		return;
	}
	pcf_buf_puts(b, object ? "{\n" : "[\n");
	for (c = v->child; c; c = c->next) {
		indent(b, depth + 1);
		if (object)
			write_key(b, c->string);
		write_value(b, c, depth + 1);
		pcf_buf_puts(b, c->next ? ",\n" : "\n");
	}
	indent(b, depth);
	pcf_buf_puts(b, object ? "}" : "]");
}

char *pcf_cli_json_format(const cJSON *doc)
{
	pcf_buf b = PCF_BUF_INIT;

	write_value(&b, doc, 0);
	pcf_buf_putc(&b, '\n');
	if (pcf_buf_failed(&b)) {
		pcf_buf_cleanup(&b);
		return NULL;
	}
	return pcf_buf_detach(&b);
}

/*
 * Definition problems read "aws_resource.KeySchema[0].KeyType: expected
 * ..."; the part before ": " is the path when it has no blank in it.
 */
static void add_problem(cJSON *list, const pcf_diag *d)
{
	cJSON *o = cJSON_CreateObject();
	const char *message = d->message ? d->message : "";
	const char *colon = strstr(message, ": ");
	size_t path_len = colon ? (size_t)(colon - message) : 0;
	char *path = NULL;

	if (!o)
		return;
	if (path_len && !memchr(message, ' ', path_len))
		path = strndup(message, path_len);
	cJSON_AddStringToObject(o, "file", d->file ? d->file : "");
	cJSON_AddNumberToObject(o, "line", d->line);
	cJSON_AddNumberToObject(o, "column", d->column);
	if (path)
		cJSON_AddStringToObject(o, "path", path);
	else
		cJSON_AddNullToObject(o, "path");
	cJSON_AddStringToObject(o, "message", path ? colon + 2 : message);
	cJSON_AddItemToArray(list, o);
	free(path);
}

cJSON *pcf_cli_problems_json(const pcf_diags *diags)
{
	cJSON *list = cJSON_CreateArray();

	for (size_t k = 0; list && diags && k < diags->count; k++)
		add_problem(list, &diags->items[k]);
	return list;
}

void pcf_cli_record_message(const pcf_cli_context *ctx, const char *code, const char *message)
{
	pcf_cli_record *r = ctx->record;

	/* The first message is the cause; later ones summarise it. */
	if (!r || r->message)
		return;
	r->message = strdup(message);
	snprintf(r->code, sizeof(r->code), "%s", code);
}

void pcf_cli_record_problems(const pcf_cli_context *ctx, const pcf_diags *diags)
{
	if (!ctx->record || ctx->record->problems)
		return;
	ctx->record->problems = pcf_cli_problems_json(diags);
}

void pcf_cli_record_cleanup(pcf_cli_record *record)
{
	if (!record)
		return;
	free(record->message);
	cJSON_Delete(record->problems);
	memset(record, 0, sizeof(*record));
}

int pcf_cli_json_finish(const pcf_cli_context *ctx, int exit_code)
{
	pcf_cli_record *r = ctx->record;
	cJSON *doc, *error;

	if (ctx->format != PCF_CLI_FORMAT_JSON || !r || r->json_emitted)
		return exit_code;
	doc = cJSON_CreateObject();
	if (!doc)
		return PCF_CLI_EXIT_ERROR;
	/* null when the words did not get as far as a command. */
	if (ctx->command)
		cJSON_AddStringToObject(doc, "command", ctx->command);
	else
		cJSON_AddNullToObject(doc, "command");
	if (exit_code != PCF_CLI_EXIT_OK || r->message) {
		/* The same object as a particle's error; the message is the whole line. */
		error = pcf_cli_error_json(&r->detail);
		if (error) {
			cJSON_ReplaceItemInObject(
			    error, "code", cJSON_CreateString(r->code[0] ? r->code : "ERROR"));
			cJSON_ReplaceItemInObject(
			    error, "message",
			    cJSON_CreateString(r->message ? r->message : "failed"));
			cJSON_AddItemToObject(doc, "error", error);
		}
	}
	if (r->problems) {
		cJSON_AddItemToObject(doc, "problems", r->problems);
		r->problems = NULL;
	}
	if (pcf_cli_json_emit_take(ctx, doc) != 0 && exit_code == PCF_CLI_EXIT_OK)
		return PCF_CLI_EXIT_ERROR;
	return exit_code;
}
