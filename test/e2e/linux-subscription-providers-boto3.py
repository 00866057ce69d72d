"""Sends bad input to every subscription provider operation with boto3, its client-side validation
off, so that the service (not botocore) judges it, then lists what is stored with the paginator.

Usage: linux-subscription-providers-boto3.py <endpoint> <region> <untagged secret ARN> <other account's secret ARN>
Prints one JSON object: each refusal's error code and HTTP status, and the providers listed after.
"""
import json
import sys

from boto3_calls import client_of, error_of

endpoint, region, untagged_secret, foreign_secret = sys.argv[1:5]
client = client_of("license-manager-linux-subscriptions", endpoint, region, validate=False)
observed = {}
provider_arn = (
    "arn:aws:license-manager-linux-subscriptions:%s:222222222222:subscription-provider/0e7b6a52-1c1f-4a3e-9d3b-000000000000"
    % region
)


register = lambda **request: client.register_subscription_provider(**request)
observed["unknown_source"] = error_of(lambda: register(SecretArn=untagged_secret, SubscriptionProviderSource="Suse"))
observed["no_secret"] = error_of(lambda: register(SubscriptionProviderSource="RedHat"))
observed["malformed_secret_arn"] = error_of(
    lambda: register(SecretArn="rhsm-offline-token", SubscriptionProviderSource="RedHat")
)
observed["untagged_secret"] = error_of(lambda: register(SecretArn=untagged_secret, SubscriptionProviderSource="RedHat"))
observed["foreign_secret"] = error_of(lambda: register(SecretArn=foreign_secret, SubscriptionProviderSource="RedHat"))
observed["too_many_tags"] = error_of(
    lambda: register(
        SecretArn=untagged_secret,
        SubscriptionProviderSource="RedHat",
        Tags={"k%d" % n: "v" for n in range(51)},
    )
)
observed["get_malformed_arn"] = error_of(
    lambda: client.get_registered_subscription_provider(SubscriptionProviderArn="not-an-arn")
)
observed["get_unknown"] = error_of(
    lambda: client.get_registered_subscription_provider(SubscriptionProviderArn=provider_arn)
)
observed["deregister_unknown"] = error_of(
    lambda: client.deregister_subscription_provider(SubscriptionProviderArn=provider_arn)
)
observed["deregister_missing_arn"] = error_of(lambda: client.deregister_subscription_provider())
observed["list_max_results_0"] = error_of(lambda: client.list_registered_subscription_providers(MaxResults=0))
observed["list_max_results_101"] = error_of(lambda: client.list_registered_subscription_providers(MaxResults=101))
observed["list_bad_token"] = error_of(lambda: client.list_registered_subscription_providers(NextToken="garbage"))
observed["list_unknown_source"] = error_of(
    lambda: client.list_registered_subscription_providers(SubscriptionProviderSources=["Suse"])
)
listed = []
for page in client.get_paginator("list_registered_subscription_providers").paginate(
    PaginationConfig={"PageSize": 1}
):
    listed.extend(page.get("RegisteredSubscriptionProviders", []))
observed["listed"] = listed
print(json.dumps(observed))
