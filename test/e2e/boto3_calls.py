"""What the boto3 scripts of the end-to-end tests share (imported from beside them).

client_of: a client of the system, one attempt a call, so that a test sees each answer as it came;
with validate=False botocore sends bad input as it is, so that the service (not botocore) judges it.
error_of: the error code and HTTP status a call was refused with, None when it succeeded.
"""
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client_of(service, endpoint, region, validate=True):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, parameter_validation=validate),
    )


def error_of(call):
    try:
        call()
    except ClientError as error:
        return {"Code": error.response["Error"]["Code"], "Status": error.response["ResponseMetadata"]["HTTPStatusCode"]}
    return None
