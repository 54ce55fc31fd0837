"""The baseline for bench/engine: what a plain boto3 script without a
reconciler does with N tables: send every call, then wait for each table
in turn, polling once a second (boto3's waiters with Delay=1; their
default of 20 s would make the baseline look far slower than a careful
user's script). Prints seconds=<wall time> and requests=<calls made>.

usage: boto3_batch.py create|update|delete|describe ENDPOINT N PREFIX
  create   CreateTable for each, then wait for ACTIVE (table_exists)
  update   UpdateTable ReadCapacityUnits 1 -> 2, then poll until ACTIVE
  delete   DeleteTable for each, then wait for it to go (table_not_exists)
  describe DescribeTable for each (what a no-op check costs)
"""
import os
import resource
import sys
import time

import boto3

THROUGHPUT = {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}


def wait_active(client, name):
    while True:
        if client.describe_table(TableName=name)["Table"]["TableStatus"] == "ACTIVE":
            return
        time.sleep(1)


def main():
    mode, endpoint, n, prefix = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=region)
    counter = [0]
    client.meta.events.register("before-send", lambda **kw: counter.__setitem__(0, counter[0] + 1))
    names = ["%s-%d" % (prefix, i) for i in range(n)]
    start = time.monotonic()
    for name in names:
        if mode == "create":
            client.create_table(
                TableName=name,
                AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                ProvisionedThroughput=THROUGHPUT,
            )
        elif mode == "update":
            client.update_table(
                TableName=name,
                ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 1},
            )
        elif mode == "delete":
            client.delete_table(TableName=name)
        else:
            client.describe_table(TableName=name)
    waiter = {"create": "table_exists", "delete": "table_not_exists"}.get(mode)
    for name in names:
        if waiter:
            client.get_waiter(waiter).wait(
                TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 600}
            )
        elif mode == "update":
            wait_active(client, name)  # no waiter exists for an update
    print("seconds=%.3f" % (time.monotonic() - start))
    print("requests=%d" % counter[0])
    print("maxrss_kb=%d" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    main()
