// Runs the integration suite (an extensionTestsPath module exporting run()) inside code-server's real Node
// extension host: headless chromium opens the workbench in extension-development mode, and the extension host's
// exit code comes back through window.codeAutomationExit (the smoke-test driver hook @vscode/test-web uses too).
// env: PORT (code-server on 127.0.0.1, started with --vscode-option enable-smoke-test-driver), DEV (extension
//      folder), TESTS (test entry .js), FOLDER (workspace), TIMEOUT_MS, VERBOSE, OBO_E2E_BRIDGE (folder for UI-bridge
//      answers, see bridge.ts; the same value must reach the extension host through the server's environment)
import * as path from 'path';
import * as util from 'util';
import { BRIDGE_PREFIX, handleBridgeLine } from './bridge';
import { elapsed, launchBrowser, remoteUri, workbenchUrl } from './browser';

const NOISE = /^\[|^Resolv|^Creating a socket|^Updating|^Ignoring fetching|^Canceled|^No search provider/;

async function main(): Promise<number> {
  const { PORT, DEV, TESTS, FOLDER } = process.env;
  if (!PORT || !DEV || !TESTS || !FOLDER) {
    console.error('runTests: need PORT, DEV, TESTS and FOLDER');
    return 2;
  }
  const timeout = Number(process.env.TIMEOUT_MS || 240000);
  const verbose = !!process.env.VERBOSE;
  const t0 = Date.now();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    let exit: (code: number | string) => void = () => undefined;
    const exited = new Promise<number | string>((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', async (code: number) => exit(code));
    // The extension host's console reaches the page as console.log('%c INFO', 'color: …', fmt, ...args).
    page.on('console', async (m) => {
      let vals: unknown[];
      try {
        vals = await Promise.all(m.args().map((a) => a.jsonValue()));
      } catch {
        vals = [m.text()];
      }
      const first = vals[0];
      if (typeof first === 'string' && first.startsWith('%c')) {
        const level = first.slice(2).trim();
        const text = util.format(...vals.slice(2));
        if (text.startsWith(BRIDGE_PREFIX) && process.env.OBO_E2E_BRIDGE) {
          void handleBridgeLine(page, text, process.env.OBO_E2E_BRIDGE);
          return;
        }
        if (verbose || !NOISE.test(text)) {
          console.log(level === 'INFO' ? text : `[${level}] ${text}`);
        }
      } else if (verbose) {
        console.log('[page]', m.text());
      }
    });
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    await page.goto(
      workbenchUrl(PORT, path.resolve(FOLDER), [
        ['extensionDevelopmentPath', remoteUri(PORT, path.resolve(DEV))],
        ['extensionTestsPath', remoteUri(PORT, path.resolve(TESTS))],
      ]),
    );
    const code = await Promise.race([
      exited,
      new Promise<string>((r) => setTimeout(() => r('timeout'), timeout)),
    ]);
    await new Promise((r) => setTimeout(r, 500)); // let the last console messages arrive
    console.log(`${elapsed(t0)} extension host exit code: ${code}`);
    return code === 0 ? 0 : code === 'timeout' ? 124 : Number(code) || 1;
  } finally {
    await browser.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('runTests failed:', e);
    process.exit(2);
  },
);
