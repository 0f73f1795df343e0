# The names of boto3's S3 resource model (resources-1.json) and of the methods boto3/s3/inject.py
# adds, as boto3 itself builds them: read by test/boto3-parity.test.ts. Needs Debian's python3-boto3.
import json, inspect
import boto3
from botocore import xform_name
s3 = boto3.resource("s3", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="y")
model = s3.meta.client.meta.service_model
out = {}
def describe(res, name):
    rm = res.meta.resource_model
    d = {}
    d["identifiers"] = [xform_name(i.name) for i in rm.identifiers]
    shape = rm.shape
    d["attributes"] = sorted(xform_name(m) for m in model.shape_for(shape).members) if shape else []
    d["actions"] = [a.name for a in rm.actions]
    d["actions"] = [xform_name(a.name) for a in rm.actions]
    d["references"] = [xform_name(r.name) for r in rm.references]
    d["subresources"] = [s.name for s in rm.subresources]
    d["collections"] = {c.name: [xform_name(b.name) for b in c.batch_actions] for c in rm.collections}
    d["waiters"] = [xform_name(w.name) for w in rm.waiters]
    modelled = set(d["identifiers"]) | set(d["attributes"]) | set(d["actions"]) | set(d["references"]) | set(d["subresources"]) | set(d["collections"]) | set(d["waiters"]) | {"meta", "load", "reload", "get_available_subresources"}
    d["injected"] = sorted(n for n in dir(res) if not n.startswith("_") and n not in modelled and callable(getattr(type(res), n, None)))
    d["has_load"] = hasattr(res, "load")
    out[name] = d
describe(s3, "ServiceResource")
args = {"Bucket": ("b",), "BucketAcl": ("b",), "BucketCors": ("b",), "BucketLifecycle": ("b",), "BucketLifecycleConfiguration": ("b",), "BucketLogging": ("b",), "BucketNotification": ("b",), "BucketPolicy": ("b",), "BucketRequestPayment": ("b",), "BucketTagging": ("b",), "BucketVersioning": ("b",), "BucketWebsite": ("b",), "MultipartUpload": ("b", "k", "u"), "MultipartUploadPart": ("b", "k", "u", 1), "Object": ("b", "k"), "ObjectAcl": ("b", "k"), "ObjectSummary": ("b", "k"), "ObjectVersion": ("b", "k", "v")}
for name in s3.meta.resource_model.subresources:
    describe(getattr(s3, name.name)(*args[name.name]), name.name)
# The methods boto3 adds to the client (boto3/s3/inject.py): not operations, not botocore's own.
from botocore.client import BaseClient
client = s3.meta.client
operations = {xform_name(op) for op in model.operation_names}
out["client"] = {"injected": sorted(n for n in dir(client) if not n.startswith("_") and n not in operations and not hasattr(BaseClient, n) and callable(getattr(client, n)))}
print(json.dumps(out, indent=1))
