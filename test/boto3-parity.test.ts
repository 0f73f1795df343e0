// Every name of boto3's S3 resource model (Debian's python3-boto3: resources-1.json and
// boto3/s3/inject.py, read through boto3 itself) has its s3kit form, or is listed with its reason
// in test/parity/boto3-parity.ts, from which the README's parity table is generated.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import * as s3kit from "s3kit";
import { camel, DIFFERENCES, factory, parityTable } from "./parity/boto3-parity";
import { root } from "./helpers/kit";
import { useLocalServer } from "./helpers/server";

interface ResourceNames {
  identifiers: string[];
  attributes: string[];
  actions: string[];
  references: string[];
  subresources: string[];
  collections: Record<string, string[]>;
  waiters: string[];
  injected: string[];
  has_load: boolean;
}

const server = useLocalServer();

/** The arguments each boto3 factory takes, for s3kit's factory of the same name. */
const FACTORY_ARGUMENTS: Record<string, unknown[]> = {
  Bucket: ["b"],
  MultipartUpload: ["b", "k", "u"],
  MultipartUploadPart: ["b", "k", "u", 1],
  Object: ["b", "k"],
  ObjectAcl: ["b", "k"],
  ObjectSummary: ["b", "k"],
  ObjectVersion: ["b", "k", "v"],
};

function boto3Names(): { client: { injected: string[] } } & Record<string, ResourceNames> {
  const run = spawnSync("/usr/bin/python3", [path.join(root, "test", "parity", "boto3-names.py")], { encoding: "utf8" });
  assert.equal(run.status, 0, `boto3's model could not be read (npm test installs Debian's python3-boto3): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

test("every boto3 resource name has its s3kit form or a listed reason; the README table is generated from the same list", () => {
  const names = boto3Names();
  const s3 = new s3kit.ServiceResource(server.client) as unknown as Record<string, (...args: unknown[]) => Record<string, unknown>>;
  const differences = new Map(DIFFERENCES.map((d) => [d.boto3, d]));
  const used = new Set<string>();
  const missing: string[] = [];
  let total = 0;
  let byRule = 0;

  const check = (owner: string, boto3Name: string, holder: object | undefined, ruleName: string) => {
    total++;
    const listed = differences.get(`${owner}.${boto3Name}`) ?? differences.get(`${owner}.*`);
    if (listed) {
      used.add(listed.boto3);
      if (listed.s3kit !== undefined && !(holder && listed.s3kit in holder)) missing.push(`${owner}.${boto3Name}: listed as ${listed.s3kit}, which does not exist`);
      return;
    }
    if (holder && ruleName in holder) byRule++;
    else missing.push(`${owner}.${boto3Name} (s3kit: ${ruleName})`);
  };

  for (const [resource, model] of Object.entries(names)) {
    if (resource === "client") continue;
    const instance =
      resource === "ServiceResource"
        ? s3
        : typeof s3[factory(resource)] === "function"
          ? s3[factory(resource)](...(FACTORY_ARGUMENTS[resource] ?? ["b"]))
          : undefined;
    const { identifiers, attributes, actions, references, subresources, collections, waiters, injected } = model as ResourceNames;
    for (const name of [...identifiers, ...attributes, ...actions, ...references, ...waiters, ...injected]) check(resource, name, instance, camel(name));
    for (const name of subresources) check(resource, name, instance, factory(name));
    for (const [collection, batchActions] of Object.entries(collections)) {
      check(resource, collection, instance, camel(collection));
      const items = instance?.[camel(collection)] as object | undefined;
      for (const action of batchActions) check(resource, `${collection}.${action}`, items, camel(action));
    }
    if ((model as ResourceNames).has_load) for (const name of ["load", "reload"]) check(resource, name, instance, name);
    check(resource, "get_available_subresources", instance, "getAvailableSubresources");
  }
  for (const name of names.client.injected) check("client", name, s3kit, camel(name));

  assert.deepEqual(missing, [], "boto3 names with no s3kit form and no reason in test/parity/boto3-parity.ts");
  assert.deepEqual(DIFFERENCES.map((d) => d.boto3).filter((name) => !used.has(name)), [], "listed differences boto3 does not have");

  const readmePath = path.join(root, "lib", "README.md");
  const readme = readFileSync(readmePath, "utf8");
  const section = /<!-- parity-table:start -->\n([\s\S]*?)\n?<!-- parity-table:end -->/;
  const table = parityTable({ total, byRule });
  if (process.env.S3KIT_WRITE_PARITY === "1") {
    writeFileSync(readmePath, readme.replace(section, () => `<!-- parity-table:start -->\n${table}\n<!-- parity-table:end -->`));
  }
  assert.equal(section.exec(readFileSync(readmePath, "utf8"))?.[1], table, "README parity table is stale: run with S3KIT_WRITE_PARITY=1 to regenerate it");
});

test("getAvailableSubresources lists the factories, as boto3's get_available_subresources", () => {
  const s3 = new s3kit.ServiceResource(server.client);
  assert.deepEqual(s3.bucket("b").object("k").getAvailableSubresources(), ["acl", "bucket", "multipartUpload", "version"]);
  assert.ok(s3.getAvailableSubresources().includes("bucketWebsite"));
});
