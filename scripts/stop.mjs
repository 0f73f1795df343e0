// `npm run stop`: stops this kit home's local S3 server, whoever started it (npm start, or a script
// or notebook whose connect() started it and left it running for the next caller).
import { createRequire } from "node:module";
import path from "node:path";
import { buildLib, ensureDependencies, root } from "./setup.mjs";

ensureDependencies();
buildLib();
const s3kit = createRequire(import.meta.url)(path.join(root, "lib"));
const started = Date.now();
const stopped = await s3kit.stopKitServer();
console.log(
  stopped
    ? `s3kit: stopped the local S3 server (${s3kit.ENGINE_LABELS[stopped.engine]}${stopped.endpoint ? ` at ${stopped.endpoint}` : ""}) in ${((Date.now() - started) / 1000).toFixed(1)} s`
    : "s3kit: no local S3 server was running for this kit home",
);
