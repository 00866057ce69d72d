"""The quiet account of the flood test (test/chaos/floods.test.ts): calls ListLicenseConfigurations at a
steady pace with boto3 in a process of its own, so that its latency is the gateway's and not that of
the test's process, which generates the flood.

Usage: quiet-prober.py <endpoint> <region> <calls> <pause in ms>
Prints one JSON object: {"latenciesMs": [...], "errors": [{"Code", "Status"} of each refused call]}.
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from boto3_calls import client_of, error_of  # noqa: E402

endpoint, region, calls, pause_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
client = client_of("license-manager", endpoint, region)
# The first call opens the connection and loads botocore's models: not measured.
client.list_license_configurations()

latencies, errors = [], []
for _ in range(calls):
    started = time.perf_counter()
    error = error_of(client.list_license_configurations)
    latencies.append((time.perf_counter() - started) * 1000)
    if error:
        errors.append(error)
    time.sleep(pause_ms / 1000)
print(json.dumps({"latenciesMs": latencies, "errors": errors}))
