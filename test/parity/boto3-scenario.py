# The scenario of test/boto3-scenario.test.ts, run with boto3 against the same server: prints one
# JSON record per step (an attribute's value, the loaded data's field names, or the error code).
import json, sys
import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, bucket = sys.argv[1], sys.argv[2]
# Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never the command line.
s3 = boto3.resource("s3", endpoint_url=endpoint, region_name="us-east-1", config=Config(s3={"addressing_style": "path"}))
results = {}

def step(name, action):
    try:
        results[name] = {"value": action()}
    except ClientError as error:
        results[name] = {"code": error.response["Error"]["Code"], "status": error.response["ResponseMetadata"]["HTTPStatusCode"]}

b = s3.Bucket(bucket)
obj = b.Object("k")
obj.put(Body=b"12345")
step("length before", lambda: obj.content_length)
obj.put(Body=b"1234567890")
step("length after put", lambda: obj.content_length)
b.Object("src").put(Body=b"s")
obj.copy_from(CopySource={"Bucket": bucket, "Key": "src"}, MetadataDirective="REPLACE", Metadata={"stage": "copied"})
step("metadata after copy_from", lambda: obj.metadata)
summary = s3.ObjectSummary(bucket, "k")
summary.load()
step("summary fields after load", lambda: sorted(k for k in summary.meta.data if k != "ResponseMetadata"))
step("summary storage class after load", lambda: summary.storage_class)
listed = next(iter(b.objects.all()))
step("owner in listing", lambda: listed.owner is not None)
step("get missing key", lambda: b.Object("nope").get() and None)
step("head missing key", lambda: b.Object("nope").load())
step("get in missing bucket", lambda: s3.Object(bucket + "-gone", "k").get() and None)
step("delete non-empty bucket", lambda: b.delete())
step("cors never set", lambda: b.Cors().load())
step("copy from missing source", lambda: b.Object("dst").copy_from(CopySource={"Bucket": bucket, "Key": "nope"}) and None)
step("abort missing upload", lambda: b.Object("k").MultipartUpload("no-such-upload").abort() and None)
obj.delete()
step("length after delete", lambda: obj.content_length)
print(json.dumps(results))
