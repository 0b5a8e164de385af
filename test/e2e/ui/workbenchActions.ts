// Workbench actions for the typed-token steps: notifications, modal dialogs, the Agent Playground frame, the active editor.
import * as path from 'path';
import type { Frame, Page } from 'playwright-core';
import { tabNamed } from './tabs';

/** What the UI check lends these steps. */
export interface Workbench {
  readonly page: Page;
  palette(title: string, exact?: boolean): Promise<void>;
  openFile(rel: string): Promise<void>;
}

export const notification = (page: Page, text: string | RegExp) =>
  page.locator('.notifications-center .notification-list-item').filter({ hasText: text }).first();

/** Toasts are hidden under the smoke-test driver: notifications are read in the notifications center. */
export async function showNotifications(w: Workbench): Promise<void> {
  await w.palette('Notifications: Show Notifications');
  await w.page.locator('.notifications-center').waitFor({ state: 'visible', timeout: 10000 });
}

/** Waits for a modal dialog saying `text` and clicks the button labelled exactly `label`; returns the dialog's text. */
export async function answerDialog(page: Page, text: string | RegExp, label: string): Promise<string> {
  const box = page.locator('.monaco-dialog-box').filter({ hasText: text }).first();
  await box.waitFor({ timeout: 30000 });
  const said = (await box.innerText()).replace(/\s+/g, ' ');
  await box
    .locator('.monaco-button')
    .filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
    .first()
    .click();
  await box.waitFor({ state: 'detached', timeout: 10000 });
  return said;
}

/** The webview frame of the Agent Playground whose title contains `title`. */
export async function playgroundFrame(page: Page, title: string): Promise<Frame> {
  const deadline = Date.now() + 30000;
  while (Date.now() < deadline) {
    for (const f of page.frames()) {
      const t = await f.evaluate(() => document.getElementById('title')?.textContent ?? '').catch(() => '');
      if (t.includes(title)) {
        return f;
      }
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no Agent Playground titled "${title}"`);
}

/** Opens `rel` and makes it the active editor (commands act on it); Quick Open alone can leave a side editor active. */
export async function focusFile(w: Workbench, rel: string): Promise<void> {
  await w.openFile(rel);
  const page = w.page;
  const tab = page.locator('.tab.active').filter({ hasText: tabNamed(path.basename(rel)) });
  const group = page.locator('.editor-group-container').filter({ has: tab }).first();
  await group.locator('.monaco-editor .view-lines').first().click();
  await page.locator('#status\\.editor\\.mode').filter({ hasText: 'Python' }).waitFor({ timeout: 10000 });
}

export async function send(frame: Frame, text: string): Promise<void> {
  await frame.locator('#send:not([disabled])').waitFor({ timeout: 20000 });
  await frame.locator('#input').fill(text);
  await frame.locator('#send').click();
}
