export { annotateS3Clients } from "./s3-client";
export { installKernelHooks, type TslabHooks } from "./kernel";
export { withKernelDisplays, type ReplOptions } from "./repl";
