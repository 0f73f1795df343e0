// Loaded by the kit's kernelspec before tslab starts (`node --require .../kernel-preload.js tslab
// kernel ...`, written by scripts/kernelspec.mjs), so that every notebook gets the kit's hooks
// without an import.
import { installKernelHooks, type TslabHooks } from "./kernel";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const tslab = require("tslab") as Partial<TslabHooks>;
if (typeof tslab.addDisplayHook === "function" && typeof tslab.setErrorFormatter === "function") {
  installKernelHooks(tslab as TslabHooks);
} else {
  console.error("s3kit: tslab is not patched (no display hooks), so errors show as full stack traces: run `npm start` or `npm run kernel -- install` once to patch it.");
}
