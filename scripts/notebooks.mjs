// `npm run notebooks`: re-executes every notebook on a fresh, seeded local server and saves the
// outputs, so the committed notebooks read well on GitHub.
import { runNotebooks } from "./notebook-runner.mjs";

const { failed } = await runNotebooks({ write: true, notebooks: process.argv.slice(2) });
process.exit(failed ? 1 : 0);
