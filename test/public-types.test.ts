import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";

// tslab type-checks every notebook cell with its own TypeScript 5.0 fork, never with the
// project's compiler: the s3kit declarations a notebook sees must hold up under that version.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ts = require("@tslab/typescript-for-tslab") as typeof import("typescript");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "lib", "dist");

test("s3kit's public declarations type-check under tslab's TypeScript 5.0", () => {
  assert.match(ts.version, /^5\.0\./);
  const cell = path.join(root, "notebooks", "__public_types_check__.ts");
  const source = [
    'import * as s3kit from "s3kit";',
    'import { connect, explain } from "s3kit";',
    "async function lesson(): Promise<void> {",
    "  const connection = await connect({ quiet: true });",
    "  const message: string = explain(new Error('x')).message;",
    "  console.log(connection.description, message, Object.keys(s3kit).length);",
    "}",
    "void lesson;",
  ].join("\n");
  // The same options tslab compiles cells with (tslab/dist/converter.js), but checking the
  // library's .d.ts files too rather than skipping them.
  const options: import("typescript").CompilerOptions = {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true,
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts"],
    strict: true,
    noEmit: true,
    types: ["node"],
    typeRoots: [path.join(root, "node_modules", "@types")],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (file) => (file === cell ? source : readFile(file));
  host.fileExists = (file) => file === cell || fileExists(file);
  const program = ts.createProgram([cell], options, host);
  const ours = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || d.file.fileName === cell || d.file.fileName.startsWith(dist));
  const report = ours.map((d) => `${d.file ? path.relative(root, d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
  assert.deepEqual(report, []);
  assert.ok(program.getSourceFiles().some((f) => f.fileName === path.join(dist, "index.d.ts")), "s3kit resolved to lib/dist");
});
