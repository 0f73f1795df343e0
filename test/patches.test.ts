// The kit's patches to tslab and danfojs-node (patches/): applied reproducibly by setup, refused
// on another version, and danfo's heavy modules loaded only when one of its functions needs them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import * as patches from "../scripts/patches.mjs";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { root } from "../scripts/setup.mjs";
import { tempDir } from "./helpers/server";

const PATCH = ["--- a/greeting.js", "+++ b/greeting.js", "@@ -1,3 +1,3 @@", " // a file", "-const who = 'world';", "+const who = 'learner';", " module.exports = who;", ""].join("\n");
const ORIGINAL = "// a file\nconst who = 'world';\nmodule.exports = who;\n";

describe("applying a patch", () => {
  test("applies once, then changes nothing on the next run", () => {
    const dir = tempDir("s3kit-patch-");
    writeFileSync(path.join(dir, "greeting.js"), ORIGINAL);
    assert.deepEqual(patches.applyPatch(PATCH, dir), ["greeting.js"]);
    assert.equal(readFileSync(path.join(dir, "greeting.js"), "utf8"), "// a file\nconst who = 'learner';\nmodule.exports = who;\n");
    assert.deepEqual(patches.applyPatch(PATCH, dir), []);
  });

  test("a file that changed stops it with one sentence saying what to do, and writes nothing", () => {
    const dir = tempDir("s3kit-patch-");
    writeFileSync(path.join(dir, "greeting.js"), "// another version\n");
    assert.throws(() => patches.applyPatch(PATCH, dir, "The test patch"), {
      message: `The test patch does not apply to ${path.join(dir, "greeting.js")} (a changed file?): run \`npm ci\` to reinstall it, then run the command again.`,
    });
    assert.equal(readFileSync(path.join(dir, "greeting.js"), "utf8"), "// another version\n");
  });

  for (const [name, version] of Object.entries(patches.PATCHED_VERSIONS as Record<string, string>)) {
    test(`${name} ${version}: applied to the installed one (setup ran), another version refused`, () => {
      assert.deepEqual(patches.patchPackage(name), [], "already applied: nothing left to change");
      const other = tempDir("s3kit-package-");
      const manifest = JSON.parse(readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8"));
      writeFileSync(path.join(other, "package.json"), JSON.stringify({ ...manifest, version: "9.9.9" }));
      assert.throws(() => patches.patchPackage(name, other), {
        message: `${name} 9.9.9 is installed but the kit's patch is for ${name} ${version}: run \`npm ci\` to install the locked version.`,
      });
    });
  }

  test("the danfojs-node patch applies to the files npm installs", () => {
    const pristine = tempDir("s3kit-danfo-");
    cpSync(path.join(root, "node_modules", "danfojs-node"), pristine, { recursive: true });
    const patchText = readFileSync(path.join(root, "patches", "danfojs-node-1.2.0.patch"), "utf8");
    // Undo the patch in the copy (swap each hunk's sides), then apply it again.
    const reversed = patchText.replace(/^([+-])(?![+-]{2} )/gm, (sign) => (sign === "+" ? "-" : "+"));
    const undone = patches.applyPatch(reversed, pristine);
    assert.equal(undone.length, 9, "nine files carry the patch");
    assert.deepEqual(patches.patchPackage("danfojs-node", pristine), undone);
    for (const file of undone) {
      assert.equal(readFileSync(path.join(pristine, file), "utf8"), readFileSync(path.join(root, "node_modules", "danfojs-node", file), "utf8"));
    }
  });
});

describe("danfojs-node, patched", () => {
  // A Node process of its own: what is loaded is process-wide.
  const script = `
    const loaded = (name) => Object.keys(require.cache).some((file) => file.includes("/node_modules/" + name + "/"));
    const heavy = ["mathjs", "table", "request", "xlsx", "@tensorflow/tfjs-node"];
    const dfd = require("danfojs-node");
    const report = { atLoad: heavy.filter(loaded) };
    const df = new dfd.DataFrame({ city: ["a", "b", "a", "b"], t: [1, 2, 3, 5] });
    report.afterFrame = heavy.filter(loaded);
    report.std = df.groupby(["city"]).col(["t"]).std().column("t_std").values;
    report.median = df.column("t").median();
    report.describe = df.describe().column("t").values;
    report.printed = df.toString().includes("│");
    report.beforeTensor = heavy.filter(loaded);
    report.tensorShape = df.tensor.shape;
    const file = require("node:path").join(process.argv[1], "frame.xlsx");
    dfd.toExcel(df, { filePath: file });
    dfd.readExcel(file).then((back) => {
      report.excel = back.values;
      report.afterUse = heavy.filter(loaded);
      console.log(JSON.stringify(report));
    });
  `;

  test("loads mathjs, table, xlsx and TensorFlow.js only when a function needs them, and each works", () => {
    const run = spawnSync(process.execPath, ["-e", script, tempDir("s3kit-danfo-")], { cwd: root, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout.trim().split("\n").pop()!);
    assert.deepEqual(report.atLoad, []);
    assert.deepEqual(report.afterFrame, []);
    assert.deepEqual(report.std, [Math.sqrt(2), Math.sqrt(4.5)]);
    assert.equal(report.median, 2.5);
    assert.deepEqual(report.describe.slice(0, 3), [4, 2.75, Math.sqrt(35 / 12)]);
    assert.equal(report.printed, true);
    assert.deepEqual(report.beforeTensor, ["mathjs", "table"]);
    assert.deepEqual(report.tensorShape, [4, 2]);
    assert.deepEqual(report.excel, [["a", 1], ["b", 2], ["a", 3], ["b", 5]]);
    assert.deepEqual(report.afterUse, ["mathjs", "table", "xlsx", "@tensorflow/tfjs-node"]);
  });

  test("a DataFrame made from the program's own Tensor, before danfo loaded TensorFlow.js, is still made from its values", () => {
    const made = `
      const tf = require("@tensorflow/tfjs-node");
      const dfd = require("danfojs-node");
      console.log(JSON.stringify(new dfd.DataFrame(tf.tensor2d([[1, 2], [3, 4]])).values));
    `;
    const run = spawnSync(process.execPath, ["-e", made], { cwd: root, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split("\n").pop()!), [[1, 2], [3, 4]]);
  });
});
