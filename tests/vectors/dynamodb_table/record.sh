#!/bin/sh
# Records the DescribeTable (and TTL, tags, continuous backups) answers that
# the dynamodb_table unit tests read. Run it beside a local server:
#   build/tests/pcf-with-server --dynoxide -- \
#       tests/vectors/dynamodb_table/record.sh dynoxide
#   build/tests/pcf-with-server --dynalite --create-ms 300 --update-ms 300 \
#       --delete-ms 300 -- tests/vectors/dynamodb_table/record.sh dynalite
#   build/tests/pcf-with-server --moto -- \
#       tests/vectors/dynamodb_table/record.sh moto
# Each answer is written verbatim to <prefix>_<case>.json in this folder.
set -eu
prefix=$1
dir=$(dirname "$0")
ep=$AWS_ENDPOINT_URL_DYNAMODB

call() {
	curl -s -X POST "$ep" -H 'Content-Type: application/x-amz-json-1.0' \
		-H "X-Amz-Target: DynamoDB_20120810.$1" \
		-H 'Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
		-H 'X-Amz-Date: 20260101T000000Z' --data "$2"
}

save() { # save CASE ACTION BODY
	call "$2" "$3" >"$dir/${prefix}_$1.json"
	echo >>"$dir/${prefix}_$1.json"
}

FULL='{"TableName":"full","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"email","AttributeType":"S"},{"AttributeName":"lsk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":4},"GlobalSecondaryIndexes":[{"IndexName":"by_email","KeySchema":[{"AttributeName":"email","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["a","b"]},"ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":3}}],"LocalSecondaryIndexes":[{"IndexName":"by_lsk","KeySchema":[{"AttributeName":"id","KeyType":"HASH"},{"AttributeName":"lsk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}],"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},"TableClass":"STANDARD","DeletionProtectionEnabled":false,"Tags":[{"Key":"team","Value":"core"}]}'
ONDEMAND='{"TableName":"ondemand","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"by_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}'
MINIMAL='{"TableName":"minimal","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}'

save create_full CreateTable "$FULL"
sleep 1
save describe_full DescribeTable '{"TableName":"full"}'
save create_ondemand CreateTable "$ONDEMAND"
sleep 1
save describe_ondemand DescribeTable '{"TableName":"ondemand"}'
save create_minimal CreateTable "$MINIMAL"
sleep 1
save describe_minimal DescribeTable '{"TableName":"minimal"}'
save ttl_disabled DescribeTimeToLive '{"TableName":"minimal"}'
save update_ttl UpdateTimeToLive '{"TableName":"minimal","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}'
save ttl_enabled DescribeTimeToLive '{"TableName":"minimal"}'
save continuous_backups DescribeContinuousBackups '{"TableName":"minimal"}'
arn=$(call DescribeTable '{"TableName":"full"}' | sed 's/.*"TableArn": *"\([^"]*\)".*/\1/')
save tag_resource TagResource "{\"ResourceArn\":\"$arn\",\"Tags\":[{\"Key\":\"team\",\"Value\":\"core\"},{\"Key\":\"env\",\"Value\":\"dev\"}]}"
save list_tags ListTagsOfResource "{\"ResourceArn\":\"$arn\"}"
save describe_missing DescribeTable '{"TableName":"nope"}'
save stream_disable UpdateTable '{"TableName":"full","StreamSpecification":{"StreamEnabled":false}}'
sleep 1
save describe_stream_disabled DescribeTable '{"TableName":"full"}'
save gsi_create UpdateTable '{"TableName":"minimal","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}}]}'
save describe_gsi_creating DescribeTable '{"TableName":"minimal"}'
save to_ondemand UpdateTable '{"TableName":"full","BillingMode":"PAY_PER_REQUEST"}'
save describe_updating DescribeTable '{"TableName":"full"}'
sleep 1
save describe_switched_ondemand DescribeTable '{"TableName":"full"}'
save delete_ondemand DeleteTable '{"TableName":"ondemand"}'
save describe_deleting DescribeTable '{"TableName":"ondemand"}'
