"""Runs a batch of calls to one API with boto3 in one process (client-side validation off, so that the
service judges bad input), for the end-to-end tests (test/support/clients.ts boto3Batch).

Usage: boto3-batch.py <endpoint> <region> <service> <calls as JSON>
Each call: {"name", "op" (boto3 method), "params", "pages" (follow NextToken, gather the page's list)}.
Prints one JSON object: by name, {"result"} or {"items", "pages"} or {"error": {"Code", "Status", "Message"}}.
"""
import json
import sys

from botocore.exceptions import ClientError

from boto3_calls import client_of

endpoint, region, service, calls = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
client = client_of(service, endpoint, region, validate=False)


def listed(page):
    """The list a page of a List operation holds (each has one)."""
    return next((value for value in page.values() if isinstance(value, list)), [])


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
            page.pop("ResponseMetadata", None)
            pages += 1
            items.extend(listed(page))
            token_name = "nextToken" if "nextToken" in page else "NextToken"
            if not page.get(token_name):
                return {"items": items, "pages": pages}
            params[token_name] = page[token_name]
    except ClientError as error:
        return {
            "error": {
                "Code": error.response["Error"]["Code"],
                "Status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                "Message": error.response["Error"].get("Message"),
            }
        }


print(json.dumps({call["name"]: run(call) for call in calls}, default=str))
