"""Uses the Secrets Manager subset with boto3, as a Python integrator would.

Usage: secrets-manager-boto3.py <endpoint> <region> (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
Prints one JSON object with what it observed; the calling test asserts on it.
"""
import json
import sys

from boto3_calls import client_of, error_of

endpoint, region = sys.argv[1], sys.argv[2]
client = client_of("secretsmanager", endpoint, region)
observed = {}


created = client.create_secret(Name="boto3/ldap-bind", SecretString='{"username":"svc","password":"b0t0-pa55"}')
observed["created"] = {"ARN": created["ARN"], "Name": created["Name"], "VersionId": created["VersionId"]}
first = client.get_secret_value(SecretId="boto3/ldap-bind")
observed["first"] = {"SecretString": first["SecretString"], "VersionStages": first["VersionStages"]}
binary = client.put_secret_value(SecretId=created["ARN"], SecretBinary=b"\x00\x01binary\xff")
observed["binary"] = {"VersionStages": binary["VersionStages"]}
current = client.get_secret_value(SecretId=created["ARN"])
observed["current"] = {"SecretBinary": list(current["SecretBinary"]), "VersionId": current["VersionId"]}
previous = client.get_secret_value(SecretId="boto3/ldap-bind", VersionStage="AWSPREVIOUS")
observed["previous"] = {"SecretString": previous["SecretString"], "VersionId": previous["VersionId"]}
described = client.describe_secret(SecretId="boto3/ldap-bind")
observed["described"] = {"VersionIdsToStages": described["VersionIdsToStages"], "ARN": described["ARN"]}
observed["listed"] = [
    entry["Name"]
    for page in client.get_paginator("list_secrets").paginate(PaginationConfig={"PageSize": 1})
    for entry in page["SecretList"]
]
observed["both_values"] = error_of(
    lambda: client.create_secret(Name="boto3/both", SecretString="x", SecretBinary=b"y")
)
observed["missing"] = error_of(lambda: client.describe_secret(SecretId="boto3/nothing-here"))
deleted = client.delete_secret(SecretId="boto3/ldap-bind", ForceDeleteWithoutRecovery=True)
observed["deleted"] = {"Name": deleted["Name"], "HasDeletionDate": "DeletionDate" in deleted}
observed["after_delete"] = error_of(lambda: client.describe_secret(SecretId="boto3/ldap-bind"))
print(json.dumps(observed))
