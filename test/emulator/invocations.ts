// The fake agent behind /serving-endpoints/{name}/invocations (§5.4): both agent shapes, streaming, traces, OBO echo.
import { asObject, badRequest, forbidden, HttpFailure, type Router } from './http';
import { findEndpoint } from './serving';
import { hexId, type EmulatorState, type Principal } from './state';

function textOf(content: unknown): string {
  if (typeof content === 'string') {
    return content;
  }
  if (Array.isArray(content)) {
    return content.map((c) => String(asObject(c).text ?? '')).join('');
  }
  return '';
}

function lastUserText(items: unknown[]): string {
  const user = [...items].reverse().find((i) => asObject(i).role === 'user');
  return textOf(asObject(user).content);
}

/** Splits the reply into a few deltas, as a model would stream it. */
function pieces(text: string): string[] {
  const words = text.split(/(?<= )/);
  const n = Math.max(1, Math.ceil(words.length / 3));
  const out: string[] = [];
  for (let i = 0; i < words.length; i += n) {
    out.push(words.slice(i, i + n).join(''));
  }
  return out;
}

const sse = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

export function invocationRoutes(
  router: Router,
  state: EmulatorState,
  who: (h: Record<string, unknown>) => Principal,
) {
  router.add('POST', '/serving-endpoints/:name/invocations', async (req) => {
    const p = who(req.headers);
    const ep = findEndpoint(state, req.params.name);
    if (!state.can(p, 'CAN_QUERY', ep.name)) {
      throw forbidden(`User ${p.userName} does not have CAN_QUERY permission on endpoint '${ep.name}'.`);
    }
    if (ep.state.ready !== 'READY' || !ep.config) {
      throw new HttpFailure(
        400,
        'BAD_REQUEST',
        `Endpoint '${ep.name}' is not ready (state ${ep.state.ready}, ${ep.state.config_update}).`,
      );
    }
    const body = asObject(req.body);
    const chat = ep.task === 'agent/v2/chat';
    const items = chat ? body.messages : body.input;
    if (!Array.isArray(items) || items.length === 0) {
      throw badRequest(
        chat
          ? 'This ChatAgent endpoint expects a non-empty "messages" list.'
          : 'This ResponsesAgent endpoint expects a non-empty "input" list.',
        'BAD_REQUEST',
      );
    }
    const entity = ep.config.served_entities[0];
    if (entity.scale_to_zero_enabled && ep.lastInvokedAt === undefined && state.options.coldStartMs > 0) {
      await new Promise((r) => setTimeout(r, state.options.coldStartMs));
    }
    ep.lastInvokedAt = Date.now();
    const said = lastUserText(items);
    const text = `Hello ${p.userName}! You said: "${said}".`;
    const custom = { ...asObject(body.custom_inputs), invoker: p.userName };
    const requestId = hexId(8);
    const trace =
      asObject(body.databricks_options).return_trace === true
        ? {
            trace: {
              info: { trace_id: `tr-${hexId(8)}`, request_id: requestId, state: 'OK' },
              data: { spans: [] },
            },
            databricks_request_id: requestId,
          }
        : undefined;
    const withTool = /\btool\b/i.test(said);
    const headers = { 'served-model-name': entity.name, 'x-request-id': requestId };
    const msgId = `msg_${hexId(4)}`;
    const callId = `call_${hexId(4)}`;
    if (!chat) {
      const tools = withTool
        ? [
            { type: 'function_call', id: `fc_${hexId(4)}`, call_id: callId, name: 'whoami', arguments: '{}' },
            {
              type: 'function_call_output',
              call_id: callId,
              output: JSON.stringify({ userName: p.userName }),
            },
          ]
        : [];
      const message = {
        type: 'message',
        id: msgId,
        role: 'assistant',
        content: [{ type: 'output_text', text }],
      };
      if (body.stream === true) {
        const events = [
          ...tools.map((item) => sse({ type: 'response.output_item.done', item })),
          ...pieces(text).map((delta) => sse({ type: 'response.output_text.delta', item_id: msgId, delta })),
          sse({ type: 'response.output_item.done', item: message, custom_outputs: custom }),
          ...(trace ? [sse({ databricks_output: trace })] : []),
          ...(state.options.sendDone ? [sse('[DONE]')] : []),
        ];
        return { sse: events, headers };
      }
      return {
        json: {
          object: 'response',
          id: `resp_${hexId(4)}`,
          output: [...tools, message],
          custom_outputs: custom,
          ...(trace ? { databricks_output: trace } : {}),
        },
        headers,
      };
    }
    const tools = withTool
      ? [
          {
            role: 'assistant',
            content: '',
            id: `m_${hexId(4)}`,
            tool_calls: [{ id: callId, type: 'function', function: { name: 'whoami', arguments: '{}' } }],
          },
          {
            role: 'tool',
            content: JSON.stringify({ userName: p.userName }),
            tool_call_id: callId,
            id: `m_${hexId(4)}`,
          },
        ]
      : [];
    if (body.stream === true) {
      const events = [
        ...tools.map((delta) => sse({ delta })),
        ...pieces(text).map((content) => sse({ delta: { role: 'assistant', content, id: msgId } })),
        sse({
          delta: { role: 'assistant', content: '', id: msgId },
          finish_reason: 'stop',
          custom_outputs: custom,
        }),
        ...(trace ? [sse({ databricks_output: trace })] : []),
        ...(state.options.sendDone ? [sse('[DONE]')] : []),
      ];
      return { sse: events, headers };
    }
    return {
      json: {
        messages: [...tools, { role: 'assistant', content: text, id: msgId }],
        finish_reason: 'stop',
        custom_outputs: custom,
        ...(trace ? { databricks_output: trace } : {}),
      },
      headers,
    };
  });
}
