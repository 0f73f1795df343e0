// What notebook 10 (versioning and object lock) teaches, checked on the real server: restoring a
// version, lifecycle rules for noncurrent versions, legal holds and the kit's sentence for a
// delete object lock refuses. Ceph only (the s3rver fallback has no versioning).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectLegalHoldCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLegalHoldCommand,
  PutObjectLockConfigurationCommand,
  PutObjectRetentionCommand,
} from "@aws-sdk/client-s3";
import { explain, S3KitError, ServiceResource, type Bucket } from "s3kit";
import { sha256 } from "./helpers/hash";
import { needsCeph, uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

async function versionedBucket(prefix: string): Promise<Bucket> {
  const bucket = await new ServiceResource(server.client).createBucket({ Bucket: uniqueBucket(prefix) });
  await bucket.versioning().enable();
  return bucket;
}

/** The S3KitError a call fails with (explained), failing the test if it succeeds. */
async function failure(promise: Promise<unknown>): Promise<S3KitError> {
  const error = await promise.then(() => assert.fail("expected the call to fail"), (e: unknown) => explain(e));
  assert.ok(error instanceof S3KitError);
  return error;
}

describe("restoring a version", () => {
  test("copying an earlier version over the key makes it the latest and keeps every version", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await versionedBucket("restore");
    const drafts = ["first draft", "second draft", "final text"];
    const ids: string[] = [];
    for (const Body of drafts) {
      ids.push((await server.client.send(new PutObjectCommand({ Bucket: bucket.name, Key: "notes.txt", Body }))).VersionId!);
    }
    const notes = bucket.object("notes.txt");
    await notes.delete(); // a delete marker on top: copying a version brings the key back all the same

    await notes.copyFrom({ CopySource: { Bucket: bucket.name, Key: "notes.txt", VersionId: ids[0] } });
    assert.equal(sha256(await (await notes.get()).bytes()), sha256(drafts[0]!));
    // The client's form: the version in the copy source's query string.
    await server.client.send(new CopyObjectCommand({ Bucket: bucket.name, Key: "notes.txt", CopySource: `${bucket.name}/notes.txt?versionId=${ids[1]}` }));
    assert.equal(await (await notes.get()).text(), drafts[1]);

    const versions = await bucket.objectVersions.all().toArray();
    assert.equal(versions.filter((v) => v.isDeleteMarker).length, 1);
    assert.equal(versions.filter((v) => !v.isDeleteMarker).length, 5, "three writes and two copies, none lost");
    for (const [index, id] of ids.entries()) {
      const version = versions.find((v) => v.id === id);
      assert.ok(version, `version ${index + 1} is still listed`);
      assert.equal(await (await version.get()).text(), drafts[index]);
    }
  });

  test("deleting a version by id removes it for good, and a GET of it then fails naming the key", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await versionedBucket("purge");
    const notes = bucket.object("notes.txt");
    await notes.put({ Body: "old" });
    await notes.put({ Body: "new" });
    const [latest, older] = await bucket.objectVersions.all().toArray();
    assert.equal(latest!.isLatest, true);
    await older!.delete();
    const gone = await failure(older!.get());
    // AWS answers NoSuchVersion; Ceph 16 answers NoSuchKey. Either way it is "not there".
    assert.ok(["NoSuchKey", "NoSuchVersion"].includes(gone.code), gone.code);
    assert.equal(gone.$metadata?.httpStatusCode, 404);
    assert.deepEqual((await bucket.objectVersions.all().toArray()).map((v) => v.id), [latest!.id]);
    assert.equal(await (await notes.get()).text(), "new");
  });
});

describe("lifecycle rules for noncurrent versions", () => {
  test("BucketLifecycleConfiguration puts, reads back and deletes NoncurrentVersionExpiration rules", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await versionedBucket("lifecycle");
    const lifecycle = bucket.lifecycleConfiguration();
    await lifecycle.put({
      LifecycleConfiguration: {
        Rules: [
          { ID: "old-versions", Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
          { ID: "lonely-markers", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { ExpiredObjectDeleteMarker: true } },
        ],
      },
    });
    await lifecycle.load();
    const byId = new Map(lifecycle.rules?.map((rule) => [rule.ID, rule]));
    assert.equal(byId.get("old-versions")?.NoncurrentVersionExpiration?.NoncurrentDays, 30);
    assert.equal(byId.get("lonely-markers")?.Expiration?.ExpiredObjectDeleteMarker, true);
    assert.equal(byId.size, 2);

    await lifecycle.delete();
    const none = await failure(lifecycle.load());
    assert.equal(none.code, "NoSuchLifecycleConfiguration");
    assert.equal(none.message, `The bucket s3://${bucket.name} has no lifecycle configuration: put one first, or treat this as "none".`);
  });

  test("Ceph 16 drops NewerNoncurrentVersions without an error (notebook 10 says so)", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await versionedBucket("newer");
    const lifecycle = bucket.lifecycleConfiguration();
    const NoncurrentVersionExpiration = { NoncurrentDays: 30, NewerNoncurrentVersions: 3 };
    await lifecycle.put({ LifecycleConfiguration: { Rules: [{ ID: "keep-3", Status: "Enabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration }] } });
    await lifecycle.load();
    assert.deepEqual(lifecycle.rules?.[0]?.NoncurrentVersionExpiration, { NoncurrentDays: 30 });
  });
});

describe("object lock", () => {
  async function lockedBucket(): Promise<Bucket> {
    const Bucket = uniqueBucket("lock");
    await server.client.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
    return new ServiceResource(server.client).bucket(Bucket);
  }

  test("a legal hold refuses a version's delete in one sentence naming the version; a delete marker is allowed", async (t) => {
    if (needsCeph(t)) return;
    const bucket = await lockedBucket();
    const versioning = bucket.versioning();
    await versioning.load();
    assert.equal(versioning.status, "Enabled", "object lock turns versioning on");

    const { VersionId } = await server.client.send(new PutObjectCommand({ Bucket: bucket.name, Key: "ledger.csv", Body: "day,total\n1,100\n" }));
    const hold = { Bucket: bucket.name, Key: "ledger.csv", VersionId };
    await server.client.send(new PutObjectLegalHoldCommand({ ...hold, LegalHold: { Status: "ON" } }));
    assert.equal((await server.client.send(new GetObjectLegalHoldCommand(hold))).LegalHold?.Status, "ON");
    const [held] = await bucket.objectVersions.all().toArray();

    const refused = await failure(held!.delete());
    assert.equal(refused.code, "AccessDenied");
    assert.equal(
      refused.message,
      `Version ${VersionId} of s3://${bucket.name}/ledger.csv is protected by object lock (a legal hold or a retention period): turn the legal hold off, or wait until the retention ends (GOVERNANCE retention yields to BypassGovernanceRetention).`,
    );
    // A legal hold is not a retention period: bypassing governance does not lift it.
    const bypassed = await failure(server.client.send(new DeleteObjectCommand({ ...hold, BypassGovernanceRetention: true })));
    assert.equal(bypassed.code, "AccessDenied");

    const marker = await bucket.object("ledger.csv").delete();
    assert.equal(marker.DeleteMarker, true, "a delete without a version id only adds a marker");
    assert.equal(await (await held!.get()).text(), "day,total\n1,100\n", "the held version is intact");

    await server.client.send(new PutObjectLegalHoldCommand({ ...hold, LegalHold: { Status: "OFF" } }));
    await held!.delete();
    assert.deepEqual((await bucket.objectVersions.all().toArray()).map((v) => v.isDeleteMarker), [true]);
  });

  test("a lock bucket cannot suspend versioning, and an ordinary bucket takes no retention", async (t) => {
    if (needsCeph(t)) return;
    const locked = await lockedBucket();
    const suspended = await failure(locked.versioning().suspend());
    assert.equal(suspended.code, "InvalidBucketState");

    const plain = await versionedBucket("unlocked");
    const { VersionId } = await server.client.send(new PutObjectCommand({ Bucket: plain.name, Key: "a.txt", Body: "a" }));
    const RetainUntilDate = new Date(Date.now() + 3600_000);
    const retention = await failure(
      server.client.send(new PutObjectRetentionCommand({ Bucket: plain.name, Key: "a.txt", VersionId, Retention: { Mode: "GOVERNANCE", RetainUntilDate } })),
    );
    assert.equal(retention.code, "InvalidRequest");
    // AWS lets a versioned bucket turn object lock on later; Ceph 16 refuses it (notebook 10 says so).
    const later = await failure(server.client.send(new PutObjectLockConfigurationCommand({ Bucket: plain.name, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } })));
    assert.equal(later.code, "InvalidBucketState");
    // An ordinary bucket's versioning still suspends.
    await server.client.send(new PutBucketVersioningCommand({ Bucket: plain.name, VersioningConfiguration: { Status: "Suspended" } }));
  });
});
