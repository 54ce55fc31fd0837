/*
 * pcf: declarative reconciler and client library for AWS DynamoDB.
 * Include this one header; it brings in every public module.
 */
#ifndef PCF_PCF_H
#define PCF_PCF_H

#include <pcf/common.h>
#include <pcf/error.h>
#include <pcf/aws.h>
#include <pcf/dynamodb.h>
#include <pcf/definitions.h>
#include <pcf/flavor.h>
#include <pcf/engine.h>
#include <pcf/particles.h>
#include <pcf/config_store.h>
#include <pcf/lock.h>

#endif
