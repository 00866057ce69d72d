"""Exchanges a License Manager access token for temporary credentials with boto3's STS client,
as the software of a customer without an AWS account would (AssumeRoleWithWebIdentity is unsigned).

Usage: sts-web-identity.py <endpoint> <region> <role arn> <session name> [duration seconds]
(the access token on stdin). Prints one JSON object: the result members, or the error.
"""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, region, role_arn, session_name = sys.argv[1:5]
request = {"RoleArn": role_arn, "RoleSessionName": session_name, "WebIdentityToken": sys.stdin.read().strip()}
if len(sys.argv) > 5:
    request["DurationSeconds"] = int(sys.argv[5])

sts = boto3.client("sts", endpoint_url=endpoint, region_name=region, config=Config(retries={"max_attempts": 1, "mode": "standard"}))
try:
    result = sts.assume_role_with_web_identity(**request)
except ClientError as error:
    print(json.dumps({"error": {
        "code": error.response["Error"]["Code"],
        "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
        "message": error.response["Error"].get("Message", ""),
    }}))
    sys.exit(0)

credentials = result["Credentials"]
print(json.dumps({
    "credentials": {
        "AccessKeyId": credentials["AccessKeyId"],
        "SecretAccessKey": credentials["SecretAccessKey"],
        "SessionToken": credentials["SessionToken"],
        "Expiration": credentials["Expiration"].isoformat(),
    },
    "subject": result.get("SubjectFromWebIdentityToken"),
    "assumedRoleUser": result.get("AssumedRoleUser"),
    "audience": result.get("Audience"),
    "provider": result.get("Provider"),
}))
