// Launches the headless Debian chromium that drives the code-server workbench (shared by the test runner and the UI check).
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.OBO_E2E_CHROMIUM || '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Payload URIs must name the same host:port as the page, with the vscode-remote scheme. */
export function remoteUri(port: string, absPath: string): string {
  return `vscode-remote://127.0.0.1:${port}${absPath}`;
}

/** Workbench URL opening `folder`, with optional `payload` entries (extensionDevelopmentPath, extensionTestsPath). */
export function workbenchUrl(port: string, folder: string, payload: [string, string][] = []): string {
  const p = payload.length ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '';
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}${p}`;
}

export const elapsed = (t0: number): string => ((Date.now() - t0) / 1000).toFixed(1) + 's';
