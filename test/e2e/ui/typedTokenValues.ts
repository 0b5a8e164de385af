// The typed-token check's fresh tokens, the names its steps expect, and token matching that never prints a token.
import { randomBytes } from 'crypto';

export const USER = 'carol@example.com';
export const MODEL = 'main.agents.support_agent';
export const ENDPOINT = 'agents_main-agents-support_agent';
/** Fresh per run, so nothing left over from another run (or written in the repository) can match. */
export const TOKEN = `oboTyped${randomBytes(16).toString('hex')}`;
/** Typed first, by mistake: the emulator rejects it, and it must not leak either. */
export const WRONG_TOKEN = `oboWrong${randomBytes(16).toString('hex')}`;
export const needles = [TOKEN, WRONG_TOKEN].flatMap((t) => [
  Buffer.from(t, 'utf8'),
  Buffer.from(t, 'utf16le'),
]);
export const hasToken = (text: string) => text.includes(TOKEN) || text.includes(WRONG_TOKEN);

/** Up to 80 characters either side of the token, the token itself replaced (a failure message must not leak it). */
export function around(text: string): string {
  const i = [TOKEN, WRONG_TOKEN].map((t) => text.indexOf(t)).find((x) => x >= 0) ?? 0;
  return text
    .slice(Math.max(0, i - 80), i + TOKEN.length + 80)
    .replaceAll(TOKEN, '<TOKEN>')
    .replaceAll(WRONG_TOKEN, '<WRONG_TOKEN>');
}
