import path from "node:path";
import { redactSecrets } from "./redact";

/** The part of tslab's display API the kit uses (tslab's own `Display`). */
export interface NotebookDisplay {
  html(s: string): void;
  markdown(s: string): void;
  png(b: Uint8Array): void;
  svg(s: string): void;
  text(s: string): void;
}

interface Tslab {
  display: NotebookDisplay;
  newDisplay(): NotebookDisplay;
}

/** True inside the tslab Jupyter kernel, which runs as `tslab kernel --config-path ...`. */
export function inNotebook(): boolean {
  return path.basename(process.argv[1] ?? "") === "tslab" && process.argv[2] === "kernel";
}

function tslab(): Tslab | undefined {
  // Only required inside the kernel (where it is loaded already): it drags in a TypeScript compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return inNotebook() ? (require("tslab") as Tslab) : undefined;
}

/**
 * Rich output: the notebook's display when in tslab, and a plain-text fallback everywhere else
 * (a REPL, a script), so the same helper works in both. Signatures and credentials are redacted.
 */
export function show(rich: { html?: string; png?: Uint8Array; markdown?: string }, plainText: string): void {
  const display = tslab()?.display;
  if (!display) return void console.log(redactSecrets(plainText));
  if (rich.png) display.png(rich.png);
  else if (rich.html !== undefined) display.html(redactSecrets(rich.html));
  else if (rich.markdown !== undefined) display.markdown(redactSecrets(rich.markdown));
  else display.text(redactSecrets(plainText));
}

/**
 * One output that is replaced each time it is updated (tslab's `newDisplay()`): a progress
 * display shows as a single line that changes, not a thousand lines. Outside a notebook it
 * rewrites the terminal's current line, or, when output is not a terminal, prints only the
 * final state.
 */
export interface LiveOutput {
  update(html: string, plainText: string): void;
  done(html: string, plainText: string): void;
}

export function liveOutput(): LiveOutput {
  const handle = tslab()?.newDisplay();
  if (handle) return { update: (html) => handle.html(redactSecrets(html)), done: (html) => handle.html(redactSecrets(html)) };
  const tty = process.stdout.isTTY;
  return {
    update: (_html, text) => {
      if (tty) process.stdout.write(`\r\x1b[2K${redactSecrets(text)}`);
    },
    done: (_html, text) => process.stdout.write(redactSecrets(tty ? `\r\x1b[2K${text}\n` : `${text}\n`)),
  };
}
