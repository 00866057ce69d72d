"""Reads the License Manager usage metrics with boto3's CloudWatch client, as a Python dashboard would.

Usage: usage-metrics-boto3.py <endpoint> <region> <configuration ARN> <counting type> <start epoch> <end epoch>
(credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY). Prints one JSON object with what it read.
"""
import json
import sys

import boto3
from botocore.config import Config

endpoint, region, arn, counting_type, start, end = sys.argv[1:7]
client = boto3.client(
    "cloudwatch",
    endpoint_url=endpoint,
    region_name=region,
    config=Config(retries={"max_attempts": 1, "mode": "standard"}),
)
dimensions = [
    {"Name": "LicenseConfigurationArn", "Value": arn},
    {"Name": "LicenseConfigurationType", "Value": counting_type},
]


def stat(query_id, metric_name):
    return {
        "Id": query_id,
        "MetricStat": {
            "Metric": {"Namespace": "AWSLicenseManager/licenseUsage", "MetricName": metric_name, "Dimensions": dimensions},
            "Period": 3600,
            "Stat": "Maximum",
        },
        "ReturnData": False,
    }


data = client.get_metric_data(
    MetricDataQueries=[
        stat("used", "LicenseConfigurationUsageCount"),
        stat("total", "TotalLicenseConfigurationUsageCount"),
        {"Id": "share", "Expression": "used/total*100", "Label": "share of the count"},
    ],
    StartTime=int(start),
    EndTime=int(end),
)
metrics = client.list_metrics(
    Namespace="AWSLicenseManager/licenseUsage", Dimensions=[{"Name": "LicenseConfigurationArn", "Value": arn}]
)
print(
    json.dumps(
        {
            "results": [
                {"Id": r["Id"], "Label": r["Label"], "Values": r["Values"], "StatusCode": r["StatusCode"]}
                for r in data["MetricDataResults"]
            ],
            "metricNames": sorted(m["MetricName"] for m in metrics["Metrics"]),
        }
    )
)
