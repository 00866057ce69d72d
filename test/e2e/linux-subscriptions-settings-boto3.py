"""Linux subscriptions settings and tags through boto3, one scenario per run, as the tests ask.

Usage: linux-subscriptions-settings-boto3.py <endpoint> <region> <scenario> [<access key>:<secret key>...]
The calling account's keys come from the environment; the extra pairs are the other accounts the
scenario needs. Prints one JSON object: what each step observed (settings, error codes and statuses).
"""
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from boto3_calls import client_of, error_of

endpoint, region, scenario = sys.argv[1:4]
others = [pair.split(":", 1) for pair in sys.argv[4:]]


def client(service, keys=None):
    """The calling account's client (botocore's validation off: the service judges bad input), or another account's."""
    if not keys:
        return client_of(service, endpoint, region, validate=False)
    config = Config(retries={"max_attempts": 1, "mode": "standard"})
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        config=config,
        aws_access_key_id=keys[0],
        aws_secret_access_key=keys[1],
    )


def shown(settings):
    """What the tests compare of GetServiceSettings / UpdateServiceSettings."""
    return {key: settings.get(key) for key in ("LinuxSubscriptionsDiscovery", "LinuxSubscriptionsDiscoverySettings",
                                               "HomeRegions", "Status", "StatusMessage")}


def settled(linux, timeout=30):
    """GetServiceSettings once no Region is pending any more (the steps run after the update answers)."""
    deadline = time.time() + timeout
    while True:
        settings = shown(linux.get_service_settings())
        if settings["Status"] != "InProgress" or time.time() > deadline:
            return settings
        time.sleep(0.2)


def update(linux, discovery, regions, organization="Disabled", **more):
    return linux.update_service_settings(
        LinuxSubscriptionsDiscovery=discovery,
        LinuxSubscriptionsDiscoverySettings={"OrganizationIntegration": organization, "SourceRegions": regions},
        **more,
    )


def life_cycle():
    linux = client("license-manager-linux-subscriptions")
    observed = {"fresh": shown(linux.get_service_settings())}
    answer = shown(update(linux, "Enabled", ["us-east-1", "eu-west-1"]))
    observed["enable_answer_messages"] = sorted(set(answer["StatusMessage"].values()))
    observed["enabled"] = settled(linux)
    observed["again_without_allow_update"] = shown(update(linux, "Enabled", ["eu-west-1", "us-east-1"]))
    observed["change_without_allow_update"] = error_of(lambda: update(linux, "Enabled", ["us-east-1", "ap-south-1"]))
    observed["after_refusal"] = shown(linux.get_service_settings())
    update(linux, "Enabled", ["us-east-1", "ap-south-1"], AllowUpdate=True)
    observed["moved"] = settled(linux)
    update(linux, "Disabled", ["us-east-1", "ap-south-1"])
    observed["disabled"] = settled(linux)
    return observed


def organization():
    """The calling account is the management account; then a member and an outsider."""
    management = client("license-manager-linux-subscriptions")
    member = client("license-manager-linux-subscriptions", others[0])
    outsider = client("license-manager-linux-subscriptions", others[1])
    observed = {}
    for name, linux in (("member", member), ("outsider", outsider), ("management_not_linked", management)):
        update(linux, "Enabled", ["us-east-1"], organization="Enabled", AllowUpdate=True)
        observed[name] = settled(linux)
    # License Manager's own settings link the organization; Linux subscriptions hears of it from licensing's events.
    license_manager = client("license-manager")
    license_manager.update_service_settings(OrganizationConfiguration={"EnableIntegration": True})
    deadline = time.time() + 30
    while True:
        update(management, "Enabled", ["us-east-1"], organization="Enabled", AllowUpdate=True)
        linked = settled(management)
        if "can't access" not in linked["StatusMessage"]["us-east-1"] or time.time() > deadline:
            break
        time.sleep(0.5)
    observed["management_linked"] = linked
    observed["member_after"] = shown(member.get_service_settings())
    update(management, "Enabled", ["us-east-1"], AllowUpdate=True)
    observed["management_back_to_account"] = settled(management)
    update(management, "Enabled", ["us-east-1"], organization="Enabled", AllowUpdate=True)
    observed["management_organization_again"] = settled(management)
    # Unlinked in License Manager's settings: the organization can no longer be discovered.
    license_manager.update_service_settings(OrganizationConfiguration={"EnableIntegration": False})
    deadline = time.time() + 30
    while True:
        unlinked = settled(management)
        if "can't access" in unlinked["StatusMessage"]["us-east-1"] or time.time() > deadline:
            break
        time.sleep(0.2)
    observed["management_unlinked"] = unlinked
    return observed


def bad_input():
    linux = client("license-manager-linux-subscriptions")
    regions = lambda values: {"OrganizationIntegration": "Disabled", "SourceRegions": values}
    observed = {
        "no_settings": error_of(lambda: linux.update_service_settings(LinuxSubscriptionsDiscovery="Enabled")),
        "no_discovery": error_of(
            lambda: linux.update_service_settings(LinuxSubscriptionsDiscoverySettings=regions(["us-east-1"]))
        ),
        "no_region": error_of(lambda: update(linux, "Enabled", [])),
        "not_a_region": error_of(lambda: update(linux, "Enabled", ["mars-1"])),
        "too_many_regions": error_of(lambda: update(linux, "Enabled", [f"us-east-{n}" for n in range(101)])),
        "bad_toggle": error_of(lambda: update(linux, "On", ["us-east-1"])),
        "bad_integration": error_of(lambda: update(linux, "Enabled", ["us-east-1"], organization="Yes")),
        "bad_allow_update": error_of(lambda: update(linux, "Enabled", ["us-east-1"], AllowUpdate="yes")),
        "disable_bad_region": error_of(lambda: update(linux, "Disabled", ["mars-1"])),
    }
    observed["after"] = shown(linux.get_service_settings())
    return observed


def message_of(call):
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Message"]
    return None


def tags():
    """The calling account registers a Red Hat provider, tags it, then deactivates in the guide's order;
    another account (others[0]) is refused."""
    linux = client("license-manager-linux-subscriptions")
    stranger = client("license-manager-linux-subscriptions", others[0])
    # The guide's prerequisite of a provider: discovery enabled for the account.
    update(linux, "Enabled", ["us-east-1"], AllowUpdate=True)
    settled(linux)
    secret = client("secretsmanager").create_secret(
        Name="rhsm-offline-token",
        SecretString="offline-token",
        Tags=[{"Key": "LicenseManagerLinuxSubscriptions", "Value": "enabled"}],
    )["ARN"]
    arn = linux.register_subscription_provider(
        SecretArn=secret, SubscriptionProviderSource="RedHat", Tags={"team": "linux"}
    )["SubscriptionProviderArn"]
    observed = {"arn": arn}
    tags_of = lambda account=linux: account.list_tags_for_resource(resourceArn=arn)["tags"]
    linux.tag_resource(resourceArn=arn, tags={"env": "prod", "owner": "ops"})
    observed["tagged"] = tags_of()
    linux.untag_resource(resourceArn=arn, tagKeys=["owner", "absent"])
    observed["untagged"] = tags_of()
    observed["too_many"] = error_of(
        lambda: linux.tag_resource(resourceArn=arn, tags={f"k{n}": "v" for n in range(50)})
    )
    observed["long_key"] = error_of(lambda: linux.tag_resource(resourceArn=arn, tags={"k" * 129: "v"}))
    observed["stranger_list"] = error_of(lambda: tags_of(stranger))
    observed["stranger_tag"] = error_of(lambda: stranger.tag_resource(resourceArn=arn, tags={"x": "y"}))
    observed["stranger_untag"] = error_of(lambda: stranger.untag_resource(resourceArn=arn, tagKeys=["env"]))
    unknown = arn.rsplit("/", 1)[0] + "/00000000-0000-0000-0000-000000000000"
    observed["unknown_list"] = error_of(lambda: linux.list_tags_for_resource(resourceArn=unknown))
    observed["unknown_untag"] = error_of(lambda: linux.untag_resource(resourceArn=unknown, tagKeys=["env"]))
    other_api = "arn:aws:license-manager-user-subscriptions:us-east-1:111111111111:identity-provider/x"
    observed["other_api_tag"] = error_of(lambda: linux.tag_resource(resourceArn=other_api, tags={"x": "y"}))
    observed["after"] = tags_of()
    # Deactivation: the provider goes first; disabling discovery is refused until then.
    observed["disable_while_registered"] = error_of(lambda: update(linux, "Disabled", ["us-east-1"]))
    observed["disable_refusal"] = message_of(lambda: update(linux, "Disabled", ["us-east-1"]))
    observed["still"] = shown(linux.get_service_settings())["LinuxSubscriptionsDiscovery"]
    linux.deregister_subscription_provider(SubscriptionProviderArn=arn)
    update(linux, "Disabled", ["us-east-1"])
    observed["disabled"] = settled(linux)
    return observed


print(json.dumps({"life-cycle": life_cycle, "organization": organization, "bad-input": bad_input, "tags": tags}[
    scenario
]()))
