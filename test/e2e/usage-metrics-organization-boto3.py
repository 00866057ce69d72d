"""Adds up an organization's licence usage with boto3's CloudWatch client in the management (monitoring) account.

Usage: usage-metrics-organization-boto3.py <endpoint> <region> <metric name> <start epoch> <end epoch>
(credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY). Lists the metric in every linked account
(IncludeLinkedAccounts), reads each from its owning account (AccountId) and sums them with metric math
SUM([...]). Prints one JSON object with what it read.
"""
import json
import sys

import boto3
from botocore.config import Config

endpoint, region, metric_name, start, end = sys.argv[1:6]
client = boto3.client(
    "cloudwatch",
    endpoint_url=endpoint,
    region_name=region,
    config=Config(retries={"max_attempts": 1, "mode": "standard"}),
)
listed = client.list_metrics(
    Namespace="AWSLicenseManager/licenseUsage", MetricName=metric_name, IncludeLinkedAccounts=True
)
queries = [
    {
        "Id": f"m{index}",
        "AccountId": account,
        "MetricStat": {"Metric": metric, "Period": 3600, "Stat": "Maximum"},
        "ReturnData": False,
    }
    for index, (metric, account) in enumerate(zip(listed["Metrics"], listed["OwningAccounts"]))
]
ids = ", ".join(query["Id"] for query in queries)
data = client.get_metric_data(
    MetricDataQueries=queries + [{"Id": "organization", "Expression": f"SUM([{ids}])", "Label": "organization"}],
    StartTime=int(start),
    EndTime=int(end),
)
print(
    json.dumps(
        {
            "owningAccounts": sorted(listed["OwningAccounts"]),
            "results": [
                {"Id": r["Id"], "Label": r["Label"], "Values": r["Values"], "StatusCode": r["StatusCode"]}
                for r in data["MetricDataResults"]
            ],
        }
    )
)
