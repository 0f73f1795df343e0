import assert from "node:assert/strict";
import http from "node:http";
import type net from "node:net";
import { inspect } from "node:util";
import { describe, test } from "node:test";
import { BucketAlreadyExists, BucketAlreadyOwnedByYou, NoSuchKey } from "@aws-sdk/client-s3";
import { createClient, explain, S3KitError, ServiceResource } from "s3kit";
import { otherUser, testEngine, uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

async function failure(promise: Promise<unknown>): Promise<S3KitError> {
  const error = await promise.then(() => assert.fail("expected a failure"), (e: unknown) => e);
  assert.ok(error instanceof S3KitError, `expected an S3KitError, got ${String(error)}`);
  return error;
}

/**
 * The S3KitError that `call` fails with on a resource whose client talks to an HTTP server
 * answering every request with `status` and `body` (none for HEAD), as some S3 would.
 */
async function failureFrom(status: number, body: string, call: (s3: ServiceResource) => Promise<unknown>): Promise<S3KitError> {
  const fake = http.createServer((request, response) => {
    response.writeHead(status, { "content-type": "application/xml", "x-amz-request-id": "req-1" });
    response.end(request.method === "HEAD" ? undefined : body);
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(fake.address() as net.AddressInfo).port}`;
  const client = createClient({ kind: "endpoint", endpoint, region: "us-east-1" }, { accessKeyId: "k", secretAccessKey: "s" });
  try {
    return await failure(call(new ServiceResource(client)));
  } finally {
    client.destroy();
    fake.close();
  }
}

describe("S3's codes, kept", () => {
  test("an answer without a body (HEAD) gets S3's code from its status, never Unknown", async () => {
    for (const [status, code] of [[400, "BadRequest"], [403, "AccessDenied"], [500, "InternalError"], [503, "ServiceUnavailable"]] as const) {
      const error = await failureFrom(status, "", (s3) => s3.object("b", "long-key").load());
      assert.equal(error.code, code);
      assert.equal(error.name, code);
      assert.equal(error.$metadata?.httpStatusCode, status);
      assert.doesNotMatch(error.message, /Unknown/);
      assert.match(error.message, /s3:\/\/b\/long-key/);
    }
  });

  test("an empty <Message> (as Ceph RGW sends) changes nothing in the sentence", async () => {
    const body = "<Error><Code>NoSuchKey</Code><Message></Message><RequestId>req-1</RequestId></Error>";
    const error = await failureFrom(404, body, (s3) => s3.object("b", "k").get());
    assert.ok(error instanceof NoSuchKey);
    assert.equal(error.message, "s3://b/k does not exist: check the key, or list the bucket to see what is there.");
  });

  test("a refused signature keeps its code and says to check the keys", async () => {
    const body = "<Error><Code>SignatureDoesNotMatch</Code><Message></Message></Error>";
    const error = await failureFrom(403, body, (s3) => s3.object("b", "k").get());
    assert.equal(error.code, "SignatureDoesNotMatch");
    assert.equal(error.$metadata?.httpStatusCode, 403);
    assert.equal(error.message, "The server refused the credentials for s3://b/k (SignatureDoesNotMatch): check the access key and the secret key.");
  });

  test("refused credentials, a taken bucket name and a non-empty bucket keep their codes", async () => {
    const refusedClient = createClient({ kind: "endpoint", endpoint: server.endpoint, region: "us-east-1" }, { accessKeyId: "NOT-A-KEY", secretAccessKey: "wrong" });
    try {
      const refused = await failure(new ServiceResource(refusedClient).buckets.all().toArray());
      assert.equal(refused.code, "InvalidAccessKeyId");
      assert.equal(refused.message, `The server refused the credentials for ${server.endpoint} (InvalidAccessKeyId): check the access key and the secret key.`);
    } finally {
      refusedClient.destroy();
    }
    const s3 = new ServiceResource(server.client);
    const bucket = await s3.createBucket({ Bucket: uniqueBucket("taken") });
    // AWS in us-east-1 and Ceph answer 200 when the owner creates its bucket again; another user is refused.
    const otherClient = testEngine() === "ceph" ? createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, otherUser()) : undefined;
    const again = await failure(new ServiceResource(otherClient ?? server.client).bucket(bucket.name).create());
    otherClient?.destroy();
    assert.ok(again instanceof BucketAlreadyExists || again instanceof BucketAlreadyOwnedByYou, `${again.name}`);
    assert.match(again.message, new RegExp(`^The bucket s3://${bucket.name} already exists`));
    await bucket.putObject({ Key: "k", Body: "x" });
    const notEmpty = await failure(bucket.delete());
    assert.equal(notEmpty.code, "BucketNotEmpty");
    assert.equal(notEmpty.$metadata?.httpStatusCode, 409);
  });

  test("the kit's own errors are S3KitError by name, without S3's fields", () => {
    const notLoaded = (() => {
      try {
        return new ServiceResource(server.client).object("b", "k").contentLength;
      } catch (e) {
        return e;
      }
    })();
    assert.ok(notLoaded instanceof S3KitError);
    assert.equal(notLoaded.name, "S3KitError");
    assert.equal(notLoaded.code, "NotLoaded");
    assert.ok(!("$metadata" in notLoaded));
    assert.doesNotMatch(inspect(notLoaded), /\$metadata|\$fault/);
    assert.equal(explain(notLoaded), notLoaded);
  });
});
