# The boto3 column of the cheat sheet, run with boto3 against the server test/cheat-sheet.test.ts
# uses. Reads {"endpoint", "bucket", "fixture", "rows": [{"code", "given"}]} as JSON on stdin and
# prints one JSON record per row: the operations boto3 sent, and the value or the error's code.
import io
import json
import os
import shutil
import sys
import tempfile

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

try:
    import pandas as pd
except ImportError:  # the rows that use pandas report it as their error
    pd = None

job = json.load(sys.stdin)
Bucket, fixture = job["bucket"], job["fixture"]
# Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never the command line.
s3 = boto3.resource(
    "s3", endpoint_url=job["endpoint"], region_name="us-east-1", config=Config(s3={"addressing_style": "path"})
)
client = s3.meta.client
sent = []
client.meta.events.register("before-call.s3", lambda model, **_: sent.append(model.name))
work = tempfile.mkdtemp(prefix="s3kit-cheat-sheet-")


def empty_and_delete():
    try:
        for version in s3.Bucket(Bucket).objects.all():
            version.delete()
        client.delete_bucket(Bucket=Bucket)
    except ClientError as error:
        if error.response["Error"]["Code"] not in ("NoSuchBucket", "404"):
            raise


def prepare(given):
    empty_and_delete()
    if given == "none":
        return
    client.create_bucket(Bucket=Bucket)
    if given == "objects":
        for key, body in fixture.items():
            client.put_object(Bucket=Bucket, Key=key, Body=body.encode())


def jsonable(value):
    try:
        return json.loads(json.dumps(value))
    except TypeError:
        return None  # a resource, a DataFrame: only its requests are checked


def run(code):
    file = os.path.join(work, "hi.txt")
    with open(file, "w") as f:
        f.write("hi")
    dest = os.path.join(work, "downloaded.txt")
    if os.path.exists(dest):
        os.remove(dest)
    bucket = s3.Bucket(Bucket)
    names = dict(s3=s3, client=client, Bucket=Bucket, bucket=bucket, Key="hello.txt",
                 obj=bucket.Object("hello.txt"), file=file, dest=dest, io=io, pd=pd)
    *statements, last = code.split("; ")
    for statement in statements:
        exec(statement, names)
    return eval(last, names)


def run_rows():
    results = []
    for row in job["rows"]:
        prepare(row["given"])
        del sent[:]
        try:
            record = {"value": jsonable(run(row["code"]))}
        except ClientError as error:
            record = {"error": error.response["Error"]["Code"]}
        except Exception as error:  # a wrong row: an AttributeError, a NameError
            record = {"error": f"{type(error).__name__}: {error}"}
        record["sent"] = list(sent)
        results.append(record)
    empty_and_delete()
    return results


try:
    print(json.dumps(run_rows()))
finally:
    shutil.rmtree(work)
