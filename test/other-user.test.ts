// The second S3 user lesson 11 needs: its keys reach a kernel through the environment only, and a
// bucket policy naming it really changes what it may do on Ceph.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { createClient, otherUserCredentials, S3KitError, ServiceResource } from "s3kit";
import { needsCeph, otherUser, uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

describe("the second user", () => {
  test("otherUserCredentials() reads S3KIT_OTHER_* and, without them, fails in one sentence", () => {
    const keys = { accessKeyId: "OTHERKEY", secretAccessKey: "other-secret" };
    assert.deepEqual(otherUserCredentials({ S3KIT_OTHER_ACCESS_KEY_ID: keys.accessKeyId, S3KIT_OTHER_SECRET_ACCESS_KEY: keys.secretAccessKey }), keys);
    assert.throws(() => otherUserCredentials({}), (error: unknown) => {
      assert.ok(error instanceof S3KitError);
      assert.equal(error.code, "NotImplemented");
      assert.match(error.message, /^The local server's second user is not known here: .*Ceph engine only.*\.$/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    });
  });

  test("Ceph: denied a stranger's object, allowed once the bucket policy names it", async (t) => {
    if (needsCeph(t)) return;
    const other = createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, otherUser());
    const bucket = await new ServiceResource(server.client).createBucket({ Bucket: uniqueBucket("other") });
    await bucket.putObject({ Key: "a.txt", Body: "for other" });
    const read = () => other.send(new GetObjectCommand({ Bucket: bucket.name, Key: "a.txt" })).then((r) => r.Body!.transformToString());
    await assert.rejects(read(), (error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
      assert.deepEqual([error.name, error.$metadata?.httpStatusCode], ["AccessDenied", 403]);
      return true;
    });
    const statement = { Effect: "Allow", Principal: { AWS: ["arn:aws:iam:::user/other"] }, Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${bucket.name}/*`] };
    const policy = new ServiceResource(server.client).bucketPolicy(bucket.name);
    await policy.put({ Policy: JSON.stringify({ Version: "2012-10-17", Statement: [statement] }) });
    assert.equal(await read(), "for other");
    await policy.delete();
    await bucket.objects.all().delete();
    await bucket.delete();
    other.destroy();
  });
});
