"""The boto3 baseline for bench_transport.c: the same table, the same
alternating PutItem/GetItem mix on 100 keys, one thread, one client.

    boto3_bench.py ENDPOINT TABLE REQUESTS

Prints cpu_us_per_request= and requests_per_second= like the C program,
then many_requests_per_second= for GetItem requests 16 at a time (boto3's
way: 16 threads sharing one client and its connection pool).
Run with Debian's /usr/bin/python3 (python3-boto3).
"""
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

IN_FLIGHT = 16


def request(client, table, i):
    if i % 2 == 0:
        client.put_item(TableName=table, Item={"pk": {"S": "key-%d" % (i % 100)},
                                               "n": {"N": str(i)},
                                               "s": {"S": "some value"}})
    else:
        client.get_item(TableName=table, Key={"pk": {"S": "key-%d" % ((i - 1) % 100)}})


def main():
    endpoint, table, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name=region,
                          config=Config(max_pool_connections=IN_FLIGHT))
    for i in range(200):
        request(client, table, i)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(n):
        request(client, table, i)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print("cpu_us_per_request=%.1f" % (cpu * 1e6 / n))
    print("requests_per_second=%.0f" % (n / wall))

    def get(i):
        client.get_item(TableName=table, Key={"pk": {"S": "key-%d" % (i % 100)}})

    wall0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
        list(pool.map(get, range(n)))
    print("many_requests_per_second=%.0f" % (n / (time.perf_counter() - wall0)))


if __name__ == "__main__":
    main()
