// `npm run repl`: a TypeScript REPL (ts-node) with s3kit loaded and connected, for trying S3 calls
// one line at a time. Inputs are type-checked like a notebook cell; top-level await works.
import { createRequire } from "node:module";
import path from "node:path";
import { KERNEL_ENV, root } from "./setup.mjs";

const require = createRequire(import.meta.url);
const s3kit = require(path.join(root, "lib"));
const tsNode = require("ts-node");
const nodeRepl = require("node:repl");

// Before connect(): the SDK reads these when the client is made (and stays quiet about Node 20).
for (const [name, value] of Object.entries(KERNEL_ENV)) process.env[name] ??= value;

let connection;
try {
  connection = await s3kit.connect(); // prints the one line saying where requests go
} catch (error) {
  console.error(`s3kit: ${s3kit.explain(error).message}`);
  process.exit(1);
}

const repl = tsNode.createRepl();
const service = tsNode.create({
  ...repl.evalAwarePartialHost,
  project: path.join(root, "tsconfig.json"),
  compilerOptions: { noUnusedLocals: false },
});
repl.setService(service);

// The REPL evaluates in the global context: what the prelude below declares, globalThis provides.
Object.assign(globalThis, { client: connection.client, resource: connection.resource });

console.log(`Ready: client, resource, s3kit, the SDK's commands and trace/sideBySide/show* are in scope; await works; lastError() is the last error in full. Try:
  (await client.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)
  (await resource.buckets.all().toArray()).map((b) => b.name)
  await (await client.send(new GetObjectCommand({ Bucket: "s3kit-data", Key: "samples/hello.txt" }))).Body?.transformToString()
  await trace(() => client.send(new ListObjectsV2Command({ Bucket: "s3kit-data" })))
.exit (or Ctrl-D) leaves.`);

// ts-node does not hand out the Node REPL it starts; catch it to show errors and values as a
// notebook does (withKernelDisplays: short S3 errors, lastError() for the full one, DataFrames as
// tables), and to leave cleanly on .exit or Ctrl-D (the SDK's and fetch's idle sockets would
// otherwise keep the process alive).
const startNodeRepl = nodeRepl.start;
nodeRepl.start = (options) => {
  const server = startNodeRepl(s3kit.withKernelDisplays(options));
  server.on("exit", () => {
    connection.client.destroy();
    process.exit(0);
  });
  return server;
};
repl.start();
// Typed names for the REPL's type checker (evaluated once the REPL has set up module scope): the imports run like any input; `declare` only tells
// the checker about the values put into the context.
repl.evalCode(`
import { S3Client, ListBucketsCommand, ListObjectsV2Command, GetObjectCommand, PutObjectCommand, HeadObjectCommand,
  DeleteObjectCommand, CreateBucketCommand, DeleteBucketCommand, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import * as s3kit from "s3kit";
import { connect, explain, trace, showTrace, sideBySide, showSideBySide, showError, showDataFrame, showChart, lastError } from "s3kit";
declare const client: S3Client;
declare const resource: s3kit.ServiceResource;
`);

