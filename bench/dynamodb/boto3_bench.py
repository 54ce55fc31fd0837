"""boto3 baseline for ddb_bench: the same modes, the same RESULT line.

    boto3_bench.py get|put TABLE SECONDS
    boto3_bench.py many TABLE SECONDS IN_FLIGHT

CPU is this process's user + system time (time.process_time), per request.
"""
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

KEYS = 100
MANY_BATCH = 1000


def client(pool):
    return boto3.client(
        "dynamodb",
        endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"],
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
        config=Config(max_pool_connections=pool, retries={"max_attempts": 3}),
    )


def one_at_a_time(db, table, put, seconds):
    end = time.monotonic() + seconds
    n = 0
    while time.monotonic() < end:
        key = {"pk": {"S": "k%d" % (n % KEYS)}}
        if put:
            key["n"] = {"N": "42"}
            db.put_item(TableName=table, Item=key)
        else:
            db.get_item(TableName=table, Key=key)
        n += 1
    return n


def many(db, table, seconds, in_flight):
    end = time.monotonic() + seconds
    n = 0

    def get(i):
        return db.get_item(TableName=table, Key={"pk": {"S": "k%d" % (i % KEYS)}})

    with ThreadPoolExecutor(max_workers=in_flight) as pool:
        while time.monotonic() < end:
            list(pool.map(get, range(MANY_BATCH)))
            n += MANY_BATCH
    return n


def main():
    mode, table, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
    in_flight = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    db = client(max(10, in_flight))
    t0, c0 = time.monotonic(), time.process_time()
    if mode == "many":
        n = many(db, table, seconds, in_flight)
    else:
        n = one_at_a_time(db, table, mode == "put", seconds)
    wall, cpu = time.monotonic() - t0, time.process_time() - c0
    print("RESULT %.1f %.1f" % (n / wall, cpu * 1e6 / n))


if __name__ == "__main__":
    main()
