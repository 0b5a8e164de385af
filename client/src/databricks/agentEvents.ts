// One vocabulary for agent output, local or remote: ResponsesAgent events/items and ChatAgent chunks/messages.

export interface Frame {
  file: string;
  line: number;
  name?: string;
}

export type PlaygroundEvent =
  | { type: 'status'; message: string }
  | { type: 'request'; payload: unknown; kind?: string; detail?: string }
  | { type: 'text'; itemId: string; delta: string }
  /** A complete assistant message: replaces whatever deltas streamed for the same item. */
  | { type: 'message'; itemId: string; text: string }
  | { type: 'toolCall'; callId: string; name: string; arguments: string }
  | { type: 'toolResult'; callId: string; output: string }
  | { type: 'customOutputs'; value: Record<string, unknown> }
  | { type: 'trace'; trace: unknown; requestId?: string }
  | { type: 'error'; message: string; traceback?: string; frames?: Frame[] }
  | { type: 'done'; response?: unknown; requestId?: string; servedModel?: string; elapsedMs?: number };

export type AgentShape = 'responses' | 'chat';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v);

function textOfContent(content: unknown): string {
  if (typeof content === 'string') {
    return content;
  }
  return Array.isArray(content) ? content.map((c) => str(obj(c).text)).join('') : '';
}

/** A ResponsesAgent output item (message, function_call, function_call_output). */
function fromItem(item: Obj): PlaygroundEvent[] {
  switch (item.type) {
    case 'message':
      return [{ type: 'message', itemId: str(item.id) || 'message', text: textOfContent(item.content) }];
    case 'function_call':
      return [
        {
          type: 'toolCall',
          callId: str(item.call_id || item.id),
          name: str(item.name),
          arguments: str(item.arguments),
        },
      ];
    case 'function_call_output':
      return [{ type: 'toolResult', callId: str(item.call_id), output: str(item.output) }];
    default:
      return [];
  }
}

/** A ChatAgent message or delta. */
function fromChatMessage(m: Obj, complete: boolean): PlaygroundEvent[] {
  const out: PlaygroundEvent[] = [];
  const id = str(m.id) || 'message';
  if (Array.isArray(m.tool_calls)) {
    for (const tc of m.tool_calls.map(obj)) {
      const fn = obj(tc.function);
      out.push({ type: 'toolCall', callId: str(tc.id), name: str(fn.name), arguments: str(fn.arguments) });
    }
  }
  if (m.role === 'tool') {
    out.push({ type: 'toolResult', callId: str(m.tool_call_id), output: str(m.content) });
  } else if (m.role === 'assistant' || m.role === undefined) {
    const text = str(m.content);
    if (complete && !Array.isArray(m.tool_calls)) {
      out.push({ type: 'message', itemId: id, text });
    } else if (text) {
      out.push({ type: 'text', itemId: id, delta: text });
    }
  }
  return out;
}

function extras(e: Obj): PlaygroundEvent[] {
  const out: PlaygroundEvent[] = [];
  if (e.custom_outputs && typeof e.custom_outputs === 'object') {
    out.push({ type: 'customOutputs', value: e.custom_outputs as Obj });
  }
  const dbo = obj(e.databricks_output);
  if (dbo.trace !== undefined) {
    out.push({
      type: 'trace',
      trace: dbo.trace,
      requestId: dbo.databricks_request_id === undefined ? undefined : str(dbo.databricks_request_id),
    });
  }
  return out;
}

/** One streamed event (SSE `data:` object or a harness chunk). */
export function fromChunk(shape: AgentShape, data: unknown): PlaygroundEvent[] {
  const e = obj(data);
  if (shape === 'responses' || typeof e.type === 'string') {
    switch (e.type) {
      case 'response.output_text.delta':
        return [{ type: 'text', itemId: str(e.item_id) || 'message', delta: str(e.delta) }, ...extras(e)];
      case 'response.output_item.done':
        return [...fromItem(obj(e.item)), ...extras(e)];
      case 'response.error':
      case 'error':
        return [{ type: 'error', message: str(e.message ?? obj(e.error).message ?? e.error) }];
      default:
        return extras(e);
    }
  }
  return [...fromChatMessage(obj(e.delta), false), ...extras(e)];
}

/** A complete (non-streamed) response. */
export function fromResult(shape: AgentShape, data: unknown): PlaygroundEvent[] {
  const r = obj(data);
  const items =
    shape === 'responses' || Array.isArray(r.output) ? (Array.isArray(r.output) ? r.output : []) : [];
  const events: PlaygroundEvent[] = items.flatMap((i) => fromItem(obj(i)));
  if (Array.isArray(r.messages)) {
    events.push(...r.messages.flatMap((m) => fromChatMessage(obj(m), true)));
  }
  return [...events, ...extras(r)];
}

/** The request body in the agent's own shape: ResponsesAgent `{input}`, ChatAgent `{messages}`. */
export function requestBody(
  shape: AgentShape,
  messages: ChatTurn[],
  customInputs?: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = shape === 'chat' ? { messages } : { input: messages };
  if (customInputs && Object.keys(customInputs).length) {
    body.custom_inputs = customInputs;
  }
  return body;
}

export interface ChatTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** What a conversation turn produced, rebuilt from events (the playground's model, and the tests' oracle). */
export class TurnTranscript {
  readonly order: string[] = [];
  readonly texts = new Map<string, string>();
  readonly tools = new Map<string, { name: string; arguments: string; output?: string }>();
  customOutputs?: Record<string, unknown>;
  trace?: unknown;
  error?: { message: string; traceback?: string; frames?: Frame[] };
  done = false;

  apply(e: PlaygroundEvent): void {
    switch (e.type) {
      case 'text':
        if (!this.texts.has(e.itemId)) {
          this.order.push(e.itemId);
        }
        this.texts.set(e.itemId, (this.texts.get(e.itemId) ?? '') + e.delta);
        break;
      case 'message':
        if (!this.texts.has(e.itemId)) {
          this.order.push(e.itemId);
        }
        this.texts.set(e.itemId, e.text);
        break;
      case 'toolCall':
        this.tools.set(e.callId, { name: e.name, arguments: e.arguments });
        break;
      case 'toolResult': {
        const t = this.tools.get(e.callId) ?? { name: '(unknown tool)', arguments: '' };
        t.output = e.output;
        this.tools.set(e.callId, t);
        break;
      }
      case 'customOutputs':
        this.customOutputs = e.value;
        break;
      case 'trace':
        this.trace = e.trace;
        break;
      case 'error':
        this.error = { message: e.message, traceback: e.traceback, frames: e.frames };
        break;
      case 'done':
        this.done = true;
        break;
    }
  }

  /** The assistant's reply text, as the next turn's history sends it. */
  get text(): string {
    return this.order.map((id) => this.texts.get(id) ?? '').join('\n');
  }
}
