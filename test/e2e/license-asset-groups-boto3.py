"""Runs a batch of license-manager calls with boto3 in one process (client-side validation off, so that
the service judges bad input), for the license asset group and ruleset e2e tests.

Usage: license-asset-groups-boto3.py <endpoint> <region> <calls as JSON>
Each call: {"name", "op" (boto3 method), "params", "pages" (follow NextToken, gather the list)}.
Prints one JSON object: by name, {"result"} or {"items", "pages"} or {"error": {"Code", "Status", "Message"}}.
"""
import json
import sys

from botocore.exceptions import ClientError

from boto3_calls import client_of

endpoint, region, calls = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
client = client_of("license-manager", endpoint, region, validate=False)
LISTS = {
    "list_license_asset_rulesets": "LicenseAssetRulesets",
    "list_license_asset_groups": "LicenseAssetGroups",
    "list_assets_for_license_asset_group": "Assets",
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
                "Message": error.response["Error"].get("Message"),
            }
        }


print(json.dumps({call["name"]: run(call) for call in calls}, default=str))
