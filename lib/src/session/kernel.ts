import { dataFrameTables, isDanfoFrame } from "../display/dataframe";
import { errorReport, fullErrorsWanted, rememberError } from "../display/error";
import { show } from "../display/notebook";
import { annotateS3Clients } from "./s3-client";

/** The extension points the kit's patch adds to tslab (patches/tslab-1.0.22.patch). */
export interface TslabHooks {
  addDisplayHook(hook: (value: unknown) => boolean): void;
  setErrorFormatter(format: (error: unknown) => { ename: string; evalue: string; traceback: string[] } | undefined): void;
}

/**
 * What the kit's kernel adds to tslab: a cell's error shows as the short block of `errorReport`
 * (S3KIT_FULL_ERRORS=1 keeps tslab's full stack; lastError() returns the error itself), a danfo
 * DataFrame or Series as its last expression shows as the kit's HTML table, and every S3Client
 * names what its failed requests were about (`annotateS3Clients`).
 */
export function installKernelHooks(tslab: TslabHooks): void {
  annotateS3Clients();
  tslab.addDisplayHook((value) => {
    if (!isDanfoFrame(value)) return false;
    const { html, text } = dataFrameTables(value);
    show({ html }, text);
    return true;
  });
  tslab.setErrorFormatter((error) => {
    rememberError(error);
    if (fullErrorsWanted()) return undefined;
    const { ename, evalue, lines: [headline, ...rest] } = errorReport(error);
    // Front ends draw a traceback's ANSI colours: the headline in bold red reads as "this failed".
    return { ename, evalue, traceback: [`\x1b[1;31m${headline}\x1b[0m`, ...rest] };
  });
}
