import { writer as nodeWriter } from "node:repl";
import { dataFrameTables, isDanfoFrame } from "../display/dataframe";
import { errorReport, fullErrorsWanted, rememberError } from "../display/error";
import { annotateS3Clients } from "./s3-client";

type Eval = (code: string, context: object, file: string, callback: (error: Error | null, result?: unknown) => void) => void;

/** The Node REPL options the kit changes (see node:repl's `start`). */
export interface ReplOptions {
  eval?: Eval;
  writer?: (value: unknown) => string;
}

/**
 * What the kit adds to `npm run repl`, as the kernel hooks do to a notebook: an error thrown by an
 * input shows as the short block of `errorReport`, a DataFrame as a text table, and every S3Client
 * names what its failed requests were about. The REPL prints thrown errors with its `writer` too,
 * so errors are told apart from returned values by marking them as they come out of `eval`.
 */
export function withKernelDisplays(options: ReplOptions): ReplOptions {
  annotateS3Clients();
  const thrown = new WeakSet<object>();
  const evaluate = options.eval;
  const write = options.writer ?? nodeWriter;
  return {
    ...options,
    eval: evaluate && ((code, context, file, callback) =>
      evaluate(code, context, file, (error, result) => {
        // ts-node's compile errors (TSError) are already short and say where: shown as they are.
        if (error && error.name !== "TSError" && error.constructor.name !== "Recoverable") {
          rememberError(error);
          thrown.add(error);
        }
        callback(error, result);
      })),
    writer: (value) => {
      if (value && typeof value === "object" && thrown.delete(value) && !fullErrorsWanted()) return errorReport(value).lines.join("\n");
      if (isDanfoFrame(value)) return dataFrameTables(value).text;
      return write(value);
    },
  };
}
