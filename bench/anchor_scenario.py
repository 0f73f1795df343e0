# The Python anchor of one anchors.bench.ts scenario, in a process of its own: what a learner
# would write with Debian's boto3 and pandas. Credentials come from the environment.
import json, resource, sys

from peak_rss import peak_rss_mib

args = json.loads(sys.argv[1])
scenario, bucket, key = args["scenario"], args.get("bucket"), args.get("key")
import boto3

s3 = boto3.client("s3", endpoint_url=args["endpoint"], region_name="us-east-1")
result = None
if scenario == "csv":
    import pandas as pd

    result = list(pd.read_csv(s3.get_object(Bucket=bucket, Key=key)["Body"]).shape)
elif scenario == "download":
    s3.download_file(bucket, key, args["file"])
elif scenario == "upload":
    s3.upload_file(args["file"], bucket, key)
elif scenario == "list":
    objects = boto3.resource("s3", endpoint_url=args["endpoint"], region_name="us-east-1").Bucket(bucket).objects
    result = len(list(objects.filter(Prefix=args["prefix"])))
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"result": result, "peakRssMb": peak_rss_mib(), "cpuSeconds": usage.ru_utime + usage.ru_stime}))
