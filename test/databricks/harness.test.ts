// Local test-invoke through the real harness in a real python3: both shapes, streaming, errors, stop, run-as-profile.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TurnTranscript, type PlaygroundEvent } from '../../client/src/databricks/agentEvents';
import { CancelledError } from '../../client/src/databricks/errors';
import {
  invokeLocally,
  type LocalInvokeOptions,
  type LocalInvokeRequest,
} from '../../client/src/databricks/harness';
import { childEnvironment } from '../../client/src/databricks/python';
import { MemoryLog, Redactor } from '../../client/src/databricks/redact';
import { ALICE_TOKEN, BOB_TOKEN } from '../emulator/emulator';
import { FIXTURES, PYTHON, ROOT, tempDir, useEmulator } from './helpers';

const agent = (name: string) => path.join(FIXTURES, 'agents', name);
const SHIM = path.join(FIXTURES, 'mlflow_shim');
const HARNESS = path.join(ROOT, 'client', 'python', 'harness.py');

describe('local test-invoke harness', () => {
  const env = useEmulator();

  async function invoke(
    req: Partial<LocalInvokeRequest> & { file: string },
    over: Partial<LocalInvokeOptions> = {},
  ) {
    const t = new TurnTranscript();
    const events: PlaygroundEvent[] = [];
    const log = new MemoryLog();
    const out = await invokeLocally(
      { messages: [{ role: 'user', content: 'hi there' }], ...req },
      {
        python: PYTHON,
        harnessScript: HARNESS,
        env: { DATABRICKS_HOST: env.url, DATABRICKS_TOKEN: ALICE_TOKEN },
        redactor: new Redactor(),
        log,
        signal: new AbortController().signal,
        onEvent: (e) => {
          events.push(e);
          t.apply(e);
        },
        ...over,
      },
    );
    return { t, events, out, log };
  }

  it('streams a ResponsesAgent reply with its tool call, as the profile in the environment', async () => {
    const { t, out, events, log } = await invoke({
      file: agent('plain_responses.py'),
      customInputs: { k: 'v' },
    });
    assert.equal(out.ok, true, JSON.stringify(t.error));
    assert.equal(out.shape, 'responses');
    assert.deepEqual(out.request, {
      input: [{ role: 'user', content: 'hi there' }],
      custom_inputs: { k: 'v' },
    });
    assert.equal(t.text, 'Hello alice@example.com! You said: hi there');
    assert.deepEqual(
      [...t.tools.values()],
      [{ name: 'whoami', arguments: '{}', output: 'alice@example.com' }],
    );
    assert.deepEqual(t.customOutputs, { k: 'v' });
    assert.ok(events.filter((e) => e.type === 'text').length >= 4, 'deltas arrive one by one');
    assert.ok(log.lines.some((l) => l.includes('agent debug print that must not break the protocol')));
    assert.equal(t.done, true);
  });

  it('runs as another profile ("Invoke as profile…") and the agent sees that user', async () => {
    const { t } = await invoke(
      { file: agent('plain_responses.py') },
      { env: { DATABRICKS_HOST: env.url, DATABRICKS_TOKEN: BOB_TOKEN } },
    );
    assert.equal(t.text, 'Hello bob@example.com! You said: hi there');
  });

  it('runs a ChatAgent written against mlflow (test shim) with history and tool steps', async () => {
    const messages = [
      { role: 'user' as const, content: 'one' },
      { role: 'assistant' as const, content: 'You said 1 words (turn 1).' },
      { role: 'user' as const, content: 'two words' },
    ];
    const { t, out } = await invoke(
      { file: agent('shim_chat_agent.py'), messages, customInputs: { a: 1 } },
      { pythonPath: [SHIM] },
    );
    assert.equal(out.shape, 'chat');
    assert.equal(t.text, 'You said 2 words (turn 3).');
    assert.deepEqual(
      [...t.tools.values()],
      [{ name: 'count_words', arguments: '{"text": "two words"}', output: '2' }],
    );
    assert.deepEqual(t.customOutputs, { a: 1, seen: true });
  });

  it('says mlflow is missing when the agent imports it and the interpreter lacks it', async () => {
    const { t, out } = await invoke({ file: agent('shim_chat_agent.py') });
    assert.equal(out.ok, false);
    assert.match(t.error?.message ?? '', /ModuleNotFoundError: No module named 'mlflow'/);
  });

  it('calls predict when there is no predict_stream, in the shape the caller names', async () => {
    const { t, out } = await invoke({ file: agent('plain_chat_predict_only.py'), shape: 'chat' });
    assert.equal(out.ok, true);
    assert.equal(t.text, 'echo: hi there');
  });

  it('runs a %%writefile cell source that is not on disk yet', async () => {
    const source = readFileSync(agent('plain_chat_predict_only.py'), 'utf8');
    const { t } = await invoke({ file: path.join(tempDir(), 'agent_from_cell.py'), source, shape: 'chat' });
    assert.equal(t.text, 'echo: hi there');
  });

  it('reports an agent exception with its traceback frames (file:line) after the partial reply', async () => {
    const file = agent('broken_agent.py');
    const line =
      readFileSync(file, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('return table[key]')) + 1;
    const { t, out } = await invoke({ file });
    assert.equal(out.ok, false);
    assert.equal(t.text, 'partial ');
    assert.equal(t.error?.message, "KeyError: 'hi there'");
    assert.match(t.error?.traceback ?? '', /Traceback/);
    assert.deepEqual(t.error?.frames?.at(-1), { file, line, name: 'lookup' });
    assert.ok(!t.error?.frames?.some((f) => f.file.endsWith('harness.py')), 'harness frames are hidden');
  });

  it('explains a module without an agent', async () => {
    const { t } = await invoke({ file: agent('no_agent.py') });
    assert.match(t.error?.message ?? '', /no agent found .*set_model\(AGENT\) or define AGENT/);
  });

  it('stops a running agent: the process is killed at once', async () => {
    const controller = new AbortController();
    const t0 = Date.now();
    const p = invoke(
      { file: agent('slow_agent.py') },
      { signal: controller.signal, onEvent: (e) => e.type === 'text' && controller.abort() },
    );
    await assert.rejects(p, CancelledError);
    assert.ok(Date.now() - t0 < 5000);
  });

  it('gives children only the chosen credentials, never the editor DATABRICKS_* variables', () => {
    const env = childEnvironment(
      { PATH: '/bin', DATABRICKS_TOKEN: 'editor-token', DATABRICKS_CONFIG_PROFILE: 'x', PYTHONPATH: '/old' },
      { DATABRICKS_HOST: 'h', DATABRICKS_TOKEN: 'chosen' },
      ['/shim'],
    );
    assert.equal(env.DATABRICKS_TOKEN, 'chosen');
    assert.equal(env.DATABRICKS_CONFIG_PROFILE, undefined);
    assert.equal(env.PATH, '/bin');
    assert.equal(env.PYTHONPATH, ['/shim', '/old'].join(path.delimiter));
  });

  it('says which interpreter could not start', async () => {
    const { t, out } = await invoke({ file: agent('plain_responses.py') }, { python: '/nope/python3' });
    assert.equal(out.ok, false);
    assert.match(t.error?.message ?? '', /Could not start Python "\/nope\/python3" \(ENOENT\)/);
  });
});
