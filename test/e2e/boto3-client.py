"""Drives the license configuration lifecycle with boto3, as a Python integrator would.

Usage: boto3-client.py <endpoint> <region> (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
Prints one JSON object with what it observed; the calling test asserts on it.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, region = sys.argv[1], sys.argv[2]
client = boto3.client(
    "license-manager",
    endpoint_url=endpoint,
    region_name=region,
    config=Config(retries={"max_attempts": 1, "mode": "standard"}),
)
observed = {}

arn = client.create_license_configuration(
    Name="boto3", LicenseCountingType="Instance", LicenseCount=3, LicenseRules=["#maximumVcpus=8"],
    Tags=[{"Key": "sdk", "Value": "python"}],
)["LicenseConfigurationArn"]
observed["arn"] = arn
got = client.get_license_configuration(LicenseConfigurationArn=arn)
observed["get"] = {k: got[k] for k in ("Name", "LicenseCountingType", "LicenseCount", "LicenseRules", "Status", "Tags")}

for i in range(4):
    client.create_license_configuration(Name=f"boto3-{i}", LicenseCountingType="vCPU")
pages = client.get_paginator("list_license_configurations").paginate(PaginationConfig={"PageSize": 2})
observed["pages"] = [[c["Name"] for c in page["LicenseConfigurations"]] for page in pages]

client.tag_resource(ResourceArn=arn, Tags=[{"Key": "team", "Value": "data"}])
observed["tags"] = sorted(t["Key"] for t in client.list_tags_for_resource(ResourceArn=arn)["Tags"])

try:
    client.create_license_configuration(Name="bad", LicenseCountingType="Socket", LicenseRules=["#allowedTenancy=EC2-Default"])
except ClientError as error:
    observed["error"] = {
        "code": error.response["Error"]["Code"],
        "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        "message": error.response["Error"]["Message"],
    }

client.delete_license_configuration(LicenseConfigurationArn=arn)
try:
    client.get_license_configuration(LicenseConfigurationArn=arn)
except ClientError as error:
    observed["after_delete"] = error.response["Error"]["Code"]

print(json.dumps(observed))
