// Text helpers for rule messages: code formatting and "a, b and c" lists.

/** `code` formatting for messages. */
export const q = (s: string): string => `\`${s}\``;

export function listText(items: string[]): string {
  const quoted = items.map(q);
  return quoted.length <= 1
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
