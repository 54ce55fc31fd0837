"""The baseline for bench/engine: N tables created one after another with
boto3, each followed by boto3's table_exists waiter, as a script without
a reconciler would do it. The waiter polls every second (WaiterConfig
Delay=1; its default of 20 s would make the baseline look far slower than
a careful user's script). Prints seconds=<wall time>.

usage: boto3_serial.py ENDPOINT N PREFIX
"""
import os
import sys
import time

import boto3


def main():
    endpoint, n, prefix = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=region)
    waiter = client.get_waiter("table_exists")
    start = time.monotonic()
    for i in range(n):
        name = "%s-%d" % (prefix, i)
        client.create_table(
            TableName=name,
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1},
        )
        waiter.wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 600})
    print("seconds=%.3f" % (time.monotonic() - start))


if __name__ == "__main__":
    main()
