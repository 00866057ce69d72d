"""Runs a batch of license-manager-linux-subscriptions calls with boto3 in one process (client-side
validation off, so that the service judges bad input), for the e2e tests.

Usage: linux-subscriptions-boto3.py <endpoint> <region> <calls as JSON>
Each call: {"name", "op" (boto3 method), "params", "pages" (follow NextToken, gather the list)}.
Prints one JSON object: by name, {"result"} or {"items", "pages"} or {"error": {"Code", "Status"}}.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, region, calls = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
client = boto3.client(
    "license-manager-linux-subscriptions",
    endpoint_url=endpoint,
    region_name=region,
    config=Config(retries={"max_attempts": 1, "mode": "standard"}, parameter_validation=False),
)
LISTS = {
    "list_linux_subscription_instances": "Instances",
    "list_linux_subscriptions": "Subscriptions",
    "list_registered_subscription_providers": "RegisteredSubscriptionProviders",
}


def run(call):
    method = getattr(client, call["op"])
    params = dict(call.get("params", {}))
    try:
        if not call.get("pages"):
            result = method(**params)
            result.pop("ResponseMetadata", None)
            return {"result": result}
        items, pages = [], 0
        while True:
            page = method(**params)
            pages += 1
            items.extend(page.get(LISTS[call["op"]], []))
            if not page.get("NextToken"):
                return {"items": items, "pages": pages}
            params["NextToken"] = page["NextToken"]
    except ClientError as error:
        return {
            "error": {
                "Code": error.response["Error"]["Code"],
                "Status": error.response["ResponseMetadata"]["HTTPStatusCode"],
            }
        }


print(json.dumps({call["name"]: run(call) for call in calls}, default=str))
