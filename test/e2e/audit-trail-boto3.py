"""Looks up an account's audit trail with boto3's CloudTrail client, as a Python integrator would.

Usage: audit-trail-boto3.py <endpoint> <region> (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
Prints one JSON object with what it observed; the calling test asserts on it.
"""
import datetime
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, region = sys.argv[1], sys.argv[2]
client = boto3.client(
    "cloudtrail",
    endpoint_url=endpoint,
    region_name=region,
    config=Config(retries={"max_attempts": 1, "mode": "standard"}),
)
observed = {}


def summary(event):
    return {
        "EventId": event["EventId"],
        "EventName": event["EventName"],
        "EventSource": event["EventSource"],
        "AccessKeyId": event.get("AccessKeyId"),
        "ReadOnly": event["ReadOnly"],
        "EventTime": event["EventTime"].isoformat(),
        "Record": json.loads(event["CloudTrailEvent"]),
    }


observed["all"] = [summary(e) for e in client.lookup_events()["Events"]]
pages = client.get_paginator("lookup_events").paginate(PaginationConfig={"PageSize": 2})
observed["pages"] = [[e["EventId"] for e in page["Events"]] for page in pages]
observed["writes"] = [
    e["EventName"]
    for e in client.lookup_events(LookupAttributes=[{"AttributeKey": "ReadOnly", "AttributeValue": "false"}])["Events"]
]
future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
observed["future"] = client.lookup_events(StartTime=future)["Events"]

bad = {
    "two_attributes": dict(
        LookupAttributes=[
            {"AttributeKey": "EventName", "AttributeValue": "ListLicenseConfigurations"},
            {"AttributeKey": "ReadOnly", "AttributeValue": "true"},
        ]
    ),
    "max_results": dict(MaxResults=51),
    "time_range": dict(StartTime=future, EndTime=future - datetime.timedelta(hours=1)),
    "next_token": dict(NextToken="not-a-token"),
}
observed["errors"] = {}
for name, arguments in bad.items():
    try:
        client.lookup_events(**arguments)
        observed["errors"][name] = None
    except ClientError as error:
        observed["errors"][name] = {
            "code": error.response["Error"]["Code"],
            "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        }
print(json.dumps(observed))
