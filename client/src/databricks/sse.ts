// Server-sent events from a byte stream: `data:` lines joined per event, blank line ends an event, `[DONE]` ends it all.

export const DONE = Symbol('done');

/** Yields each event's data (lines joined with \n); yields DONE for `data: [DONE]` and stops. */
export async function* sseData(stream: AsyncIterable<Uint8Array>): AsyncGenerator<string | typeof DONE> {
  const decoder = new TextDecoder();
  let buf = '';
  let data: string[] = [];
  const flush = function* () {
    if (data.length) {
      const d = data.join('\n');
      data = [];
      yield d;
    }
  };
  for await (const chunk of stream) {
    buf += decoder.decode(chunk, { stream: true });
    let i: number;
    while ((i = buf.search(/\r?\n/)) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(buf[i] === '\r' ? i + 2 : i + 1);
      if (line === '') {
        for (const d of flush()) {
          if (d.trim() === '[DONE]') {
            yield DONE;
            return;
          }
          yield d;
        }
      } else if (line.startsWith('data:')) {
        data.push(line.slice(5).replace(/^ /, ''));
      }
      // `event:`, `id:`, `retry:` and `:` comments carry nothing the playground uses.
    }
  }
  buf += decoder.decode();
  if (buf.startsWith('data:')) {
    data.push(buf.slice(5).replace(/^ /, ''));
  }
  for (const d of flush()) {
    if (d.trim() !== '[DONE]') {
      yield d;
    }
  }
}
