// Issue 15, "wrong or misleading" 7: outside us-east-1, AWS refuses a CreateBucket without
// CreateBucketConfiguration.LocationConstraint (IllegalLocationConstraintException). The SDK v3
// adds the client's region there (middleware-sdk-s3's locationConstraintMiddleware), so the kit's
// resource and a raw client both send it; these tests pin that down on the wire, and notebook 12
// teaches it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { DeleteBucketCommand, GetBucketLocationCommand, type S3Client } from "@aws-sdk/client-s3";
import { createClient, ServiceResource, trace } from "s3kit";
import { root } from "./helpers/kit";
import { needsCeph, testEngine, uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

/** A client for `region` that also keeps the body of every request it sends, as it went on the wire. */
function clientFor(region: string): { client: S3Client; bodies: string[] } {
  const client = createClient({ kind: "local", endpoint: server.endpoint, region }, server.server.credentials);
  const bodies: string[] = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      const body = (args.request as { body?: unknown }).body;
      bodies.push(typeof body === "string" ? body : "");
      return next(args);
    },
    { step: "finalizeRequest", name: "keepBodiesForTests" },
  );
  return { client, bodies };
}

const CONSTRAINT = /<LocationConstraint>([^<]*)<\/LocationConstraint>/;

describe("CreateBucket's LocationConstraint", () => {
  test("a client for eu-west-1: createBucket() and bucket.create() send LocationConstraint eu-west-1", async () => {
    const { client, bodies } = clientFor("eu-west-1");
    const resource = new ServiceResource(client);
    const traced = await trace(async () => {
      await resource.createBucket({ Bucket: uniqueBucket("lc") }).catch((error: unknown) => error);
      await resource.bucket(uniqueBucket("lc")).create().catch((error: unknown) => error);
    }, { client });
    assert.deepEqual(traced.requests.map((r) => r.operation), ["CreateBucket", "CreateBucket"]);
    assert.deepEqual(bodies.map((body) => body.match(CONSTRAINT)?.[1]), ["eu-west-1", "eu-west-1"]);
    if (testEngine() === "ceph") {
      // Ceph checks it as AWS does, against its own zonegroup ("default"): proof it was read.
      for (const request of traced.requests) assert.deepEqual([request.status, request.error], [400, "InvalidLocationConstraint"]);
    }
    client.destroy();
  });

  test("a client for us-east-1 sends no CreateBucketConfiguration (AWS refuses one naming us-east-1)", async () => {
    const { client, bodies } = clientFor("us-east-1");
    const name = uniqueBucket("lc");
    const traced = await trace(() => new ServiceResource(client).createBucket({ Bucket: name }), { client });
    assert.equal(traced.requests[0]?.status, 200);
    assert.deepEqual(bodies, [""]);
    await client.send(new DeleteBucketCommand({ Bucket: name }));
    client.destroy();
  });

  test("a LocationConstraint the caller gives is sent as given", async () => {
    const { client, bodies } = clientFor("eu-west-1");
    await new ServiceResource(client)
      .createBucket({ Bucket: uniqueBucket("lc"), CreateBucketConfiguration: { LocationConstraint: "eu-central-1" } })
      .catch((error: unknown) => error);
    assert.equal(bodies[0]?.match(CONSTRAINT)?.[1], "eu-central-1");
    client.destroy();
  });

  test("Ceph: a client for the zonegroup's own region creates the bucket there", async (t) => {
    if (needsCeph(t)) return;
    const { client, bodies } = clientFor("default");
    const bucket = await new ServiceResource(client).createBucket({ Bucket: uniqueBucket("lc") });
    assert.equal(bodies[0]?.match(CONSTRAINT)?.[1], "default");
    const { LocationConstraint } = await client.send(new GetBucketLocationCommand({ Bucket: bucket.name }));
    assert.equal(LocationConstraint, "default");
    await bucket.delete();
    client.destroy();
  });
});

/** The text a committed notebook's cells show, cell by cell. */
function committedOutputs(name: string): string[] {
  const notebook = JSON.parse(readFileSync(path.join(root, "notebooks", name), "utf8")) as {
    cells: { cell_type: string; source: string[]; outputs?: { text?: string[] }[] }[];
  };
  return notebook.cells.map((cell) => [cell.source.join(""), ...(cell.outputs ?? []).map((o) => (o.text ?? []).join(""))].join("\n"));
}

describe("the lessons teach it", () => {
  test("notebook 12 shows a CreateBucket for eu-west-1 carrying LocationConstraint eu-west-1, and none for us-east-1", () => {
    const cells = committedOutputs("12-going-to-aws.ipynb");
    const shown = cells.find((text) => text.includes("CreateBucket lesson12-ireland"));
    assert.ok(shown, "a cell of notebook 12 shows the CreateBucket it sent for eu-west-1");
    assert.match(shown, /^eu-west-1: CreateBucket lesson12-ireland, body: .*<LocationConstraint>eu-west-1<\/LocationConstraint>/m);
    assert.match(shown, /^us-east-1: CreateBucket lesson12-virginia, body: \(no body\)$/m);
    assert.ok(cells.some((text) => text.includes("IllegalLocationConstraintException")), "it names AWS's error for a missing constraint");
  });
});
