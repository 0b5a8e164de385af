// The UI bridge: lets a test in the extension host ask the runner for what only a person can do in the workbench
// (click a notification's Cancel button). The test prints `OBO-E2E-UI {"id", "action", ...}` on its console; the
// runner sees it through the page, acts with playwright, and answers in `<OBO_E2E_BRIDGE>/<id>.json`.
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';

export const BRIDGE_PREFIX = 'OBO-E2E-UI ';

export interface CancelProgressRequest {
  id: string;
  action: 'cancelProgress';
  /** Text of the progress notification (its title). */
  title: string;
  /** Regular expression for the notification that must follow the cancel; its text is returned. */
  expect?: string;
}

export type BridgeRequest = CancelProgressRequest;

export interface BridgeAnswer {
  ok: boolean;
  text?: string;
  error?: string;
}

const items = (page: Page) => page.locator('.notifications-center .notification-list-item');

async function cancelProgress(page: Page, r: CancelProgressRequest): Promise<BridgeAnswer> {
  // The test opened the notifications center (toasts are hidden under the smoke-test driver).
  const item = items(page).filter({ hasText: r.title }).first();
  await item.waitFor({ timeout: 15000 });
  await item.hover();
  await item.locator('.monaco-button', { hasText: 'Cancel' }).first().click({ timeout: 10000 });
  if (!r.expect) {
    return { ok: true };
  }
  const after = items(page)
    .filter({ hasText: new RegExp(r.expect, 'i') })
    .first();
  await after.waitFor({ timeout: 20000 });
  return { ok: true, text: (await after.innerText()).replace(/\s+/g, ' ').trim() };
}

/** Handles one request line from the page console; never throws (failures go back to the test). */
export async function handleBridgeLine(page: Page, line: string, dir: string): Promise<void> {
  let req: BridgeRequest;
  try {
    req = JSON.parse(line.slice(BRIDGE_PREFIX.length)) as BridgeRequest;
  } catch {
    return;
  }
  let answer: BridgeAnswer;
  try {
    answer =
      req.action === 'cancelProgress'
        ? await cancelProgress(page, req)
        : { ok: false, error: 'unknown action' };
  } catch (e) {
    answer = { ok: false, error: (e as Error).message.split('\n')[0] };
  }
  fs.writeFileSync(path.join(dir, `${req.id}.json.tmp`), JSON.stringify(answer));
  fs.renameSync(path.join(dir, `${req.id}.json.tmp`), path.join(dir, `${req.id}.json`));
}
