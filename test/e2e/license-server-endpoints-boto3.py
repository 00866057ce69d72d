"""Sends bad input to the license server endpoint operations with boto3, its client-side validation
off, so that the service (not botocore) judges it, then lists what is stored with the paginator.

Usage: license-server-endpoints-boto3.py <endpoint> <region> <identity provider ARN>
Prints one JSON object: each refusal's error code and HTTP status, and the endpoints listed after.
"""
import json
import sys

from boto3_calls import client_of, error_of

endpoint, region, identity_provider_arn = sys.argv[1:4]
client = client_of("license-manager-user-subscriptions", endpoint, region, validate=False)
observed = {}


def settings(secret_id="license-manager-user-rds", server_type="RDS_SAL", server_settings=None):
    provider = {"RdsSalCredentialsProvider": {"SecretsManagerCredentialsProvider": {"SecretId": secret_id}}}
    return {
        "ServerType": server_type,
        "ServerSettings": server_settings if server_settings is not None else {"RdsSalSettings": provider},
    }


create = lambda arn=identity_provider_arn, **s: client.create_license_server_endpoint(
    IdentityProviderArn=arn, LicenseServerSettings=settings(**s)
)
observed["no_server_settings_member"] = error_of(lambda: create(server_settings={}))
observed["wrong_server_type"] = error_of(lambda: create(server_type="RDS_CAL"))
observed["secret_without_prefix"] = error_of(lambda: create(secret_id="rds-admin"))
observed["missing_secret"] = error_of(lambda: create(secret_id="license-manager-user-missing"))
observed["malformed_identity_provider_arn"] = error_of(lambda: create(arn="arn:aws:nope"))
observed["malformed_endpoint_arn"] = error_of(
    lambda: client.delete_license_server_endpoint(LicenseServerEndpointArn="arn:aws:nope", ServerType="RDS_SAL")
)
observed["unknown_filter"] = error_of(
    lambda: client.list_license_server_endpoints(Filters=[{"Attribute": "Color", "Operation": "eq", "Value": "x"}])
)
listed = []
for page in client.get_paginator("list_license_server_endpoints").paginate(PaginationConfig={"PageSize": 1}):
    listed.extend(page.get("LicenseServerEndpoints", []))
observed["listed"] = listed
print(json.dumps(observed))
