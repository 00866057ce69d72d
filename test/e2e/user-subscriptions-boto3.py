"""Sends bad input to the user-subscriptions operations with boto3, its client-side validation off,
so that the service (not botocore) judges it, then reads what is stored.

Usage: user-subscriptions-boto3.py <endpoint> <region> <domain> <address> <secret id>
Prints one JSON object: each refusal's error code and HTTP status, and what the lists show after.
"""
import json
import sys

from boto3_calls import client_of, error_of

endpoint, region, domain, address, secret = sys.argv[1:6]
client = client_of("license-manager-user-subscriptions", endpoint, region, validate=False)
observed = {}


def settings(**changes):
    value = {
        "DomainName": domain,
        "DomainIpv4List": [address],
        "DomainCredentialsProvider": {"SecretsManagerCredentialsProvider": {"SecretId": secret}},
        "DomainNetworkSettings": {"Subnets": ["subnet-0123456789abcdef0"]},
    }
    value.update(changes)
    return {"ActiveDirectoryIdentityProvider": {"ActiveDirectoryType": "SELF_MANAGED", "ActiveDirectorySettings": value}}


register = lambda product, provider, **more: client.register_identity_provider(
    Product=product, IdentityProvider=provider, **more
)
observed["wrong_union_member"] = error_of(lambda: register("REMOTE_DESKTOP_SERVICES", {}))
observed["unknown_product"] = error_of(lambda: register("WORD_PERFECT", settings()))
observed["three_addresses"] = error_of(
    lambda: register("REMOTE_DESKTOP_SERVICES", settings(DomainIpv4List=["10.0.0.1", "10.0.0.2", "10.0.0.3"]))
)
observed["empty_subnets"] = error_of(
    lambda: register("REMOTE_DESKTOP_SERVICES", settings(DomainNetworkSettings={"Subnets": []}))
)
observed["empty_settings_subnets"] = error_of(
    lambda: register("REMOTE_DESKTOP_SERVICES", settings(), Settings={"Subnets": [], "SecurityGroupId": "sg-12345678"})
)
observed["self_managed_for_office"] = error_of(lambda: register("OFFICE_PROFESSIONAL_PLUS", settings()))
observed["malformed_arn"] = error_of(lambda: client.deregister_identity_provider(IdentityProviderArn="arn:aws:nope"))
observed["malformed_product_user_arn"] = error_of(
    lambda: client.stop_product_subscription(
        ProductUserArn="arn:aws:license-manager-user-subscriptions:us-east-1:111111111111:identity-provider/x"
    )
)
observed["update_unknown"] = error_of(
    lambda: client.update_identity_provider_settings(
        IdentityProvider={"ActiveDirectoryIdentityProvider": {"DirectoryId": "d-9999999999"}},
        Product="REMOTE_DESKTOP_SERVICES",
        UpdateSettings={"AddSubnets": [], "RemoveSubnets": []},
    )
)
observed["start_unknown_product"] = error_of(
    lambda: client.start_product_subscription(
        Username="alice",
        Product="WORD_PERFECT",
        IdentityProvider={"ActiveDirectoryIdentityProvider": {"DirectoryId": "d-9999999999"}},
    )
)
observed["start_wrong_union_member"] = error_of(
    lambda: client.start_product_subscription(
        Username="alice", Product="REMOTE_DESKTOP_SERVICES", IdentityProvider={}
    )
)
observed["list_bad_filter"] = error_of(
    lambda: client.list_identity_providers(Filters=[{"Attribute": "Color", "Operation": "eq", "Value": "red"}])
)
observed["list_subscriptions_bad_filter"] = error_of(
    lambda: client.list_product_subscriptions(
        IdentityProvider={"ActiveDirectoryIdentityProvider": {"DirectoryId": "d-9999999999"}},
        Filters=[{"Attribute": "Product", "Operation": "eq", "Value": "x"}],
    )
)
observed["list_subscriptions_unknown_product"] = error_of(
    lambda: client.list_product_subscriptions(
        IdentityProvider={"ActiveDirectoryIdentityProvider": {"DirectoryId": "d-9999999999"}}, Product="WORD_PERFECT"
    )
)
observed["list_subscriptions_no_directory"] = error_of(
    lambda: client.list_product_subscriptions(IdentityProvider={"ActiveDirectoryIdentityProvider": {}})
)
observed["providers_after"] = [
    summary["IdentityProviderArn"]
    for page in client.get_paginator("list_identity_providers").paginate()
    for summary in page["IdentityProviderSummaries"]
]
print(json.dumps(observed))
