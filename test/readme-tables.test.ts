// The generated README tables (scripts/readme-tables.mjs): "What runs where" from what the tests
// observed each engine do, and "What is tested where" from test/tested-where.json, whose every row
// must quote its document word for word and name a test (or bench label) that exists.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import * as tables from "../scripts/readme-tables.mjs";
import { root } from "./helpers/kit";
import { tempDir } from "./helpers/server";

interface Entry {
  guarantee: string;
  quote: string;
  doc: string;
  file: string;
  check: string;
}
const TESTED_WHERE = path.join(root, "test", "tested-where.json");
const entries = (): Entry[] => JSON.parse(readFileSync(TESTED_WHERE, "utf8")).guarantees;

describe("What runs where (lib/README.md), from the tests' observations", () => {
  test("one row per feature, what differs between the engines first, by name within each; – where no test ran it", () => {
    const records = [
      { feature: "b: both", engine: "ceph", result: "✓" },
      { feature: "b: both", engine: "s3rver", result: "✓" },
      { feature: "z: differs", engine: "ceph", result: "✓" },
      { feature: "z: differs", engine: "s3rver", result: "✗ NotImplemented" },
      { feature: "a: both", engine: "s3rver", result: "✓" },
      { feature: "a: both", engine: "ceph", result: "✓" },
      { feature: "c: ceph only", engine: "ceph", result: "✓" },
    ];
    assert.equal(
      tables.observedTable(records),
      [
        "| feature | Ceph RGW | s3rver |",
        "|---|---|---|",
        "| c: ceph only | ✓ | – |",
        "| z: differs | ✓ | ✗ NotImplemented |",
        "| a: both | ✓ | ✓ |",
        "| b: both | ✓ | ✓ |",
      ].join("\n"),
    );
  });

  test("observations are read one JSON object a line; a missing file is none", () => {
    const file = path.join(tempDir("s3kit-tables-"), "observed.jsonl");
    assert.deepEqual(tables.readObservations(file), []);
    writeFileSync(file, '{"feature":"f","engine":"ceph","result":"✓"}\n\n{"feature":"f","engine":"s3rver","result":"✗"}\n');
    assert.deepEqual(tables.readObservations(file), [
      { feature: "f", engine: "ceph", result: "✓" },
      { feature: "f", engine: "s3rver", result: "✗" },
    ]);
  });
});

describe("a generated table between its markers", () => {
  const readme = (table: string) => `# Title\n\ntext\n<!-- t:begin -->\n${table}\n<!-- t:end -->\nafter\n`;

  test("as generated: passes and leaves the file alone", () => {
    const file = path.join(tempDir("s3kit-tables-"), "README.md");
    writeFileSync(file, readme("| a |"));
    assert.deepEqual(tables.checkTable(file, "t", "| a |"), { ok: true, message: "README.md: the t table is as generated" });
  });

  test("different: fails showing the table to write; with update, rewrites only the part between the markers", () => {
    const file = path.join(tempDir("s3kit-tables-"), "README.md");
    writeFileSync(file, readme("| old |"));
    const checked = tables.checkTable(file, "t", "| new |");
    assert.equal(checked.ok, false);
    assert.match(checked.message, /^README\.md: the t table differs from what is generated \(S3KIT_UPDATE_README=1 rewrites it\):\n\| new \|$/);
    assert.equal(readFileSync(file, "utf8"), readme("| old |"), "a check writes nothing");
    assert.equal(tables.checkTable(file, "t", "| new |", { update: true }).ok, true);
    assert.equal(readFileSync(file, "utf8"), readme("| new |"));
  });

  test("no markers: fails saying so", () => {
    const file = path.join(tempDir("s3kit-tables-"), "README.md");
    writeFileSync(file, "# Title\n");
    assert.deepEqual(tables.checkTable(file, "t", "| a |"), { ok: false, message: "README.md has no <!-- t:begin --> … <!-- t:end --> markers" });
  });
});

describe("What is tested where (README.md), from test/tested-where.json", () => {
  test("an entry whose quote left its document, whose file is gone or whose test is not in it is reported", () => {
    const dir = tempDir("s3kit-tables-");
    writeFileSync(path.join(dir, "README.md"), "The kit checks\nevery   download.\n");
    writeFileSync(path.join(dir, "x.test.ts"), 'test("downloads are checked", () => {});\n');
    const entry = { guarantee: "g", quote: "checks every download.", doc: "README.md", file: "x.test.ts", check: "downloads are checked" };
    assert.deepEqual(tables.testedWhereProblems([entry], dir), [], "wrapped lines still quote it");
    assert.deepEqual(
      tables.testedWhereProblems(
        [
          { ...entry, quote: "checks every upload." },
          { ...entry, file: "gone.test.ts" },
          { ...entry, check: "uploads are checked" },
          { ...entry, doc: "lib/README.md" },
          { ...entry, check: "" },
        ],
        dir,
      ),
      [
        'entry 1 (g): README.md no longer says "checks every upload."',
        "entry 2 (g): gone.test.ts does not exist",
        'entry 3 (g): x.test.ts has no test or label "uploads are checked"',
        "entry 4 (g): lib/README.md does not exist",
        "entry 5 (g): needs guarantee, quote, doc, file and check",
      ],
    );
  });

  test("every entry quotes its document and names a test or bench label that exists", () => {
    assert.deepEqual(tables.testedWhereProblems(entries(), root), []);
  });

  test("README.md's table is generated from it", () => {
    const checked = tables.checkTable(path.join(root, "README.md"), "tested-where", tables.testedWhereTable(entries()), { update: process.env.S3KIT_UPDATE_README === "1" });
    assert.ok(checked.ok, checked.message);
  });
});
