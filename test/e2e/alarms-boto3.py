"""Reads an account's CloudWatch alarms and their state history with boto3, as a Python script would.

Usage: alarms-boto3.py <endpoint> <region> (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
Prints one JSON object: each alarm's name and state, and the state updates of each, oldest first,
read through boto3's paginators.
"""
import json
import sys

import boto3
from botocore.config import Config

endpoint, region = sys.argv[1:3]
client = boto3.client(
    "cloudwatch",
    endpoint_url=endpoint,
    region_name=region,
    config=Config(retries={"max_attempts": 1, "mode": "standard"}),
)
alarms = [
    alarm
    for page in client.get_paginator("describe_alarms").paginate(PaginationConfig={"PageSize": 1})
    for alarm in page["MetricAlarms"]
]
history = {}
for alarm in alarms:
    pages = client.get_paginator("describe_alarm_history").paginate(
        AlarmName=alarm["AlarmName"],
        HistoryItemType="StateUpdate",
        ScanBy="TimestampAscending",
        PaginationConfig={"PageSize": 1},
    )
    history[alarm["AlarmName"]] = [item["HistorySummary"] for page in pages for item in page["AlarmHistoryItems"]]
print(json.dumps({"alarms": [[a["AlarmName"], a["StateValue"]] for a in alarms], "history": history}))
