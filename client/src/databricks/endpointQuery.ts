// Queries a serving endpoint through the SDK's API client (query() drops custom_inputs and cannot stream); SSE when streaming.
import { ApiError, type serving } from '@databricks/sdk-experimental';
import {
  fromChunk,
  fromResult,
  requestBody,
  type AgentShape,
  type ChatTurn,
  type PlaygroundEvent,
} from './agentEvents';
import type { DatabricksSession } from './connection';
import { CancelledError, explain, UserFacingError } from './errors';
import { DONE, sseData } from './sse';

export interface EndpointQuery {
  endpoint: string;
  messages: ChatTurn[];
  customInputs?: Record<string, unknown>;
  stream: boolean;
  returnTrace: boolean;
  /** Known shape; otherwise read from the endpoint's `task`. */
  shape?: AgentShape;
}

export interface EndpointQueryOutcome {
  ok: boolean;
  shape: AgentShape;
  request: Record<string, unknown>;
  raw: unknown[];
  requestId?: string;
  servedModel?: string;
}

export const shapeOfTask = (task: string | undefined): AgentShape =>
  task === 'agent/v2/chat' ? 'chat' : 'responses';

/** Reads the endpoint first: a non-READY endpoint gets a clear message instead of a 400 from the invocation. */
async function endpointShape(
  session: DatabricksSession,
  name: string,
  signal: AbortSignal,
): Promise<AgentShape> {
  let ep: serving.ServingEndpointDetailed;
  try {
    ep = await session.call((ctx) => session.client.servingEndpoints.get({ name }, ctx), signal);
  } catch (e) {
    throw explain(e, `Reading endpoint ${name}`, 'Nothing was sent to the agent.', session.redactor);
  }
  if (ep.state?.ready !== 'READY') {
    throw new UserFacingError(
      'invalid',
      `Querying ${name}`,
      `the endpoint is not ready (${ep.state?.ready ?? '?'}, ${ep.state?.config_update ?? '?'})`,
      'Nothing was sent to the agent.',
      'Wait until the Deployments view shows it ready (or read its build logs if the update failed), then query again.',
    );
  }
  return shapeOfTask(ep.task);
}

export async function queryEndpoint(
  session: DatabricksSession,
  q: EndpointQuery,
  signal: AbortSignal,
  onEvent: (e: PlaygroundEvent) => void,
): Promise<EndpointQueryOutcome> {
  const r = session.redactor;
  const emit = (e: PlaygroundEvent) => onEvent(r.redactValue(e));
  const shape = q.shape ?? (await endpointShape(session, q.endpoint, signal));
  const request = requestBody(shape, q.messages, q.customInputs);
  if (q.returnTrace) {
    request.databricks_options = { return_trace: true };
  }
  if (q.stream) {
    request.stream = true;
  }
  const outcome: EndpointQueryOutcome = { ok: false, shape, request, raw: [] };
  emit({
    type: 'request',
    payload: request,
    kind: shape,
    detail: `POST /serving-endpoints/${q.endpoint}/invocations`,
  });
  const started = Date.now();
  try {
    const res = (await session.call(
      (ctx) =>
        session.client.apiClient.request(
          {
            path: `/serving-endpoints/${q.endpoint}/invocations`,
            method: 'POST',
            headers: new Headers({
              'Content-Type': 'application/json',
              Accept: q.stream ? 'text/event-stream' : 'application/json',
            }),
            payload: request,
            raw: q.stream,
            responseHeaders: ['served-model-name', 'x-request-id', 'x-databricks-request-id'],
          },
          ctx,
        ),
      signal,
      // A streamed answer may take minutes; the per-request timeout covers only the first byte of a plain call.
      q.stream ? 10 * 60_000 : undefined,
    )) as Record<string, unknown>;
    outcome.servedModel = res['served-model-name'] as string | undefined;
    outcome.requestId = (res['x-request-id'] ?? res['x-databricks-request-id']) as string | undefined;
    if (q.stream) {
      const contents = res.contents as AsyncIterable<Uint8Array> | undefined;
      if (!contents) {
        throw new Error('the endpoint sent no stream');
      }
      for await (const data of sseData(contents)) {
        if (signal.aborted) {
          throw new CancelledError();
        }
        if (data === DONE) {
          break;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(data);
        } catch {
          emit({ type: 'status', message: `Ignored a stream event that is not JSON: ${data.slice(0, 80)}` });
          continue;
        }
        outcome.raw.push(parsed);
        fromChunk(shape, parsed).forEach(emit);
      }
    } else {
      const { 'served-model-name': _s, 'x-request-id': _x, 'x-databricks-request-id': _d, ...body } = res;
      outcome.raw.push(body);
      fromResult(shape, body).forEach(emit);
    }
  } catch (e) {
    if (e instanceof CancelledError || signal.aborted) {
      emit({
        type: 'error',
        message: 'Stopped: the request was cancelled; the endpoint may still finish it.',
      });
      throw new CancelledError();
    }
    const err = explain(e, `Querying ${q.endpoint}`, 'The conversation is unchanged.', r);
    const shapeHint =
      e instanceof ApiError && e.statusCode === 400
        ? ` The request used the ${shape === 'chat' ? 'ChatAgent {messages}' : 'ResponsesAgent {input}'} shape.`
        : '';
    emit({ type: 'error', message: err.message + shapeHint });
    return outcome;
  }
  outcome.ok = true;
  emit({
    type: 'done',
    requestId: outcome.requestId,
    servedModel: outcome.servedModel,
    elapsedMs: Date.now() - started,
  });
  return outcome;
}
