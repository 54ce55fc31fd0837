/*
 * The dynamodb_table flavor descriptor: what the engine sees of this
 * folder. Terminating deletes the table's items, so the engine asks for
 * --yes first; stop has no operation of its own and means terminate, as
 * in PCF. The envelope's ignore_changes is honoured (ignore_changes.c).
 */
#include "table.h"

const pcf_flavor pcf_flavor_dynamodb_table = {
    .name = "dynamodb_table",
    .flags = PCF_FLAVOR_DELETES_DATA | PCF_FLAVOR_IGNORE_CHANGES,
    .start_action = "CreateTable",
    .terminate_action = "DeleteTable",
    .ops = &pcf_table_ops,
};
