// `npm run notebooks`: re-executes every notebook (or the ones named) on a fresh, seeded local
// server and saves the outputs, so the committed notebooks read well on GitHub.
import { runNotebooks } from "./notebook-runner.mjs";

try {
  const { failed } = await runNotebooks({ write: true, notebooks: process.argv.slice(2) });
  process.exit(failed ? 1 : 0);
} catch (error) {
  if (error?.code !== "PortInUse") throw error;
  // Saved outputs show the endpoint, so they are made on the default port to stay the same run to run.
  console.error("s3kit: npm run notebooks needs port 4568 (saved outputs show the endpoint): stop what uses it, such as a running npm start, and run it again.");
  process.exit(1);
}
