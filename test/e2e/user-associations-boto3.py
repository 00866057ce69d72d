"""Associates a subscribed user with a user-subscription instance with boto3 and reads it back with
boto3's paginators, then sends bad input with client-side validation off, so that the service (not
botocore) judges it.

Usage: user-associations-boto3.py <endpoint> <region> <directory id> <username> <instance id>
Prints one JSON object: what the calls answered and each refusal's error code and HTTP status.
"""
import json
import sys

from boto3_calls import client_of, error_of

endpoint, region, directory_id, username, instance_id = sys.argv[1:6]
client = client_of("license-manager-user-subscriptions", endpoint, region, validate=False)
provider = {"ActiveDirectoryIdentityProvider": {"DirectoryId": directory_id}}
observed = {}


def paged(operation, key, **arguments):
    pages = client.get_paginator(operation).paginate(PaginationConfig={"PageSize": 1}, **arguments)
    return [item for page in pages for item in page.get(key, [])]


observed["instances"] = sorted(
    (summary["InstanceId"], summary["Status"], tuple(summary["Products"]))
    for summary in paged("list_instances", "InstanceSummaries")
)
associated = client.associate_user(Username=username, InstanceId=instance_id, IdentityProvider=provider)
observed["associated"] = associated["InstanceUserSummary"]["Status"]
arn = associated["InstanceUserSummary"]["InstanceUserArn"]
observed["listed"] = [
    (summary["Username"], summary["InstanceUserArn"] == arn)
    for summary in paged("list_user_associations", "InstanceUserSummaries", InstanceId=instance_id, IdentityProvider=provider)
]
observed["disassociated"] = client.disassociate_user(InstanceUserArn=arn)["InstanceUserSummary"]["Status"]
observed["refusals"] = {
    "missing_username": error_of(lambda: client.associate_user(InstanceId=instance_id, IdentityProvider=provider)),
    "missing_identity_provider": error_of(lambda: client.associate_user(Username=username, InstanceId=instance_id)),
    "malformed_arn": error_of(lambda: client.disassociate_user(InstanceUserArn="not-an-arn")),
    "nothing_named": error_of(lambda: client.disassociate_user()),
    "list_without_instance": error_of(lambda: client.list_user_associations(IdentityProvider=provider)),
    "bad_max_results": error_of(lambda: client.list_instances(MaxResults=0)),
}
observed["after"] = [
    summary["Status"]
    for summary in paged("list_user_associations", "InstanceUserSummaries", InstanceId=instance_id, IdentityProvider=provider)
]
print(json.dumps(observed))
