// `npm run kernel -- install | uninstall`: registers the kit's TypeScript kernel ("TypeScript
// (s3kit)") for this user, so VS Code, JupyterLab or `jupyter nbconvert` can run the notebooks
// outside `npm start`; uninstall removes it again. The logic is in kernelspec.mjs.
import { buildLib, ensureDependencies, SetupError } from "./setup.mjs";
import { installUserKernel, KERNEL_NAME, uninstallUserKernel } from "./kernelspec.mjs";

const USAGE = "usage: npm run kernel -- install | uninstall";

try {
  const [command, ...extra] = process.argv.slice(2);
  if (command === "install" && !extra.length) {
    ensureDependencies();
    buildLib();
    console.log(`s3kit: kernel "${KERNEL_NAME}" registered in ${installUserKernel()} (remove it with \`npm run kernel -- uninstall\`).`);
  } else if (command === "uninstall" && !extra.length) {
    const removed = uninstallUserKernel();
    console.log(removed ? `s3kit: kernel "${KERNEL_NAME}" removed from ${removed}.` : `s3kit: no kernel "${KERNEL_NAME}" was registered for this user.`);
  } else {
    throw new SetupError(USAGE);
  }
} catch (error) {
  console.error(`s3kit: ${error instanceof SetupError ? error.message : (error?.stack ?? error)}`);
  process.exit(1);
}
