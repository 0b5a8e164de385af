// Benchmark: edit→diagnostics latency (p50/p95) on a 2,000-line agent over stdio and IPC; index time and memory, 10,000 files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Range } from 'vscode-languageserver-protocol';
import type { ServerInfoResult } from '../../shared/protocol';
import { generatedAgent, typingChanges } from '../lsp/generatedAgent';
import { LspTestClient, uriOf } from '../lsp/lspTestClient';
import { agentProject, plainModule, writeTree } from './corpus';
import { report } from './report';

const AGENT_LINES = 2000;
const KEYSTROKES = Number(process.env.OBO_BENCH_KEYSTROKES ?? 200);
const WARMUP = 20;
const WORKSPACE_FILES = 10_000;
/** How long the index benchmark leaves the server idle before it reads the memory again. */
const SETTLE_MS = 15_000;
/** Node flags for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it. */
const SERVER_ARGS = (process.env.OBO_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
/**
 * `OBO_BENCH_ONLY=single` runs only the single-file typing figures (a quick loop while tuning keystrokes), `index`
 * only the 10,000-file index.
 */
const ONLY = process.env.OBO_BENCH_ONLY;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** What is typed, one key at a time, on a new line in the middle of a function. */
interface Typing {
  name: string;
  typed: string;
  /** The helpers are methods of one large class (the statement being edited is the whole class). */
  inClass?: boolean;
}

const TYPINGS: Typing[] = [
  // A comment leaves the code's meaning unchanged: the server keeps the last interpretation.
  { name: 'typing a comment', typed: '    # a comment typed one key at a time to measure keystroke latency' },
  // Code changes meaning on almost every key: a full re-interpretation each time.
  { name: 'typing code', typed: '    extra = helper_3(text, limit) + str(len(parts))' },
  // Agents often keep their code in one class: an edit there is inside one huge top-level statement.
  {
    name: 'typing code in a method of one big class',
    typed: '        extra = self.helper_3(text, limit) + str(len(parts))',
    inClass: true,
  },
];

/**
 * Opens the agent, inserts an empty line in the middle of a function and types `typing.typed` into it again and
 * again (clearing the line between rounds, untimed): each keystroke is one didChange followed by the pull the editor
 * sends, timed from sending the change to the answer.
 */
async function editLatency(
  typing: Typing,
  workspace?: Iterable<[string, string]>,
  transport: 'stdio' | 'ipc' = 'stdio',
): Promise<Record<string, number>> {
  // In a workspace, every other agent project is indexed too: a keystroke must not re-analyse them all.
  const dir = workspace
    ? writeTree('obo-bench-lsp-ws-', workspace)
    : fs.mkdtempSync(path.join(os.tmpdir(), 'obo-bench-lsp-'));
  const file = path.join(dir, 'my_agent', 'agent.py');
  const text = generatedAgent(AGENT_LINES, { inClass: typing.inClass });
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, text);
  const client = await LspTestClient.start({ folder: dir, execArgv: SERVER_ARGS, transport });
  try {
    await client.ready();
    const uri = uriOf(file);
    const t0 = performance.now();
    await client.open(uri, text);
    const first = await client.report(uri);
    const openMs = performance.now() - t0;
    const line = Math.floor(text.split('\n').length / 2) + 1;
    let version = 1;
    let resultId = first.kind === 'full' ? first.resultId : undefined;
    const send = async (change: { range: Range; text: string }): Promise<void> => {
      await client.change(uri, ++version, [change]);
      const r = await client.report(uri, resultId);
      resultId = r.resultId ?? resultId;
    };
    const start = { line, character: 0 };
    await send({ range: { start, end: start }, text: '\n' });
    const round = typingChanges(line, typing.typed);
    const times: number[] = [];
    for (let k = 0; times.length < KEYSTROKES;) {
      for (const change of round) {
        const t = performance.now();
        await send(change);
        if (k++ >= WARMUP && times.length < KEYSTROKES) {
          times.push(performance.now() - t);
        }
      }
      await send({ range: { start, end: { line, character: typing.typed.length } }, text: '' });
    }
    times.sort((a, b) => a - b);
    return {
      'file lines': text.split('\n').length,
      keystrokes: times.length,
      'open → first diagnostics ms': openMs,
      'edit → diagnostics p50 ms': percentile(times, 50),
      'edit → diagnostics p95 ms': percentile(times, 95),
      'edit → diagnostics max ms': times[times.length - 1],
    };
  } finally {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** 10,000 files: ~2% of the slots are agent projects (agent, logging script, tools or a notebook), the rest plain modules. */
function* workspaceFiles(): Generator<[string, string]> {
  let written = 0;
  for (let n = 0; written < WORKSPACE_FILES; n++) {
    const dir = `pkg${Math.floor(n / 200)}/part${Math.floor(n / 50) % 4}`;
    if (n % 50 === 7) {
      for (const [name, text] of Object.entries(agentProject(n))) {
        if (written < WORKSPACE_FILES) {
          written++;
          yield [`${dir}/project${n}/${name}`, text];
        }
      }
    } else {
      written++;
      yield [`${dir}/mod${n}.py`, plainModule(n)];
    }
  }
}

async function indexCost(): Promise<Record<string, number>> {
  const root = writeTree('obo-bench-index-', workspaceFiles());
  try {
    const t0 = performance.now();
    const client = await LspTestClient.start({ folder: root, execArgv: SERVER_ARGS });
    try {
      await client.ready();
      const readyMs = performance.now() - t0;
      const info = (await client.connection.sendRequest('obo/serverInfo')) as ServerInfoResult;
      const status = client.statuses.find((s) => s.state === 'ready');
      // V8's memory reducer collects what the index left once the server has been idle for a few seconds (about 8):
      // what the process holds while the user reads, as against the moment the index is ready.
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      const settled = (await client.connection.sendRequest('obo/serverInfo')) as ServerInfoResult;
      return {
        'files in workspace': WORKSPACE_FILES,
        'Python files and notebooks indexed': status?.files ?? 0,
        'files analysed (prefilter kept)': info.lastIndex?.matched ?? 0,
        'agents found': info.agents,
        'start → index ready ms': readyMs,
        'index ms (server side)': info.lastIndex?.ms ?? 0,
        'server RSS MB': info.memory.rss / 1e6,
        'server heap used MB': info.memory.heapUsed / 1e6,
        [`server RSS MB ${SETTLE_MS / 1000} s later, idle`]: settled.memory.rss / 1e6,
        [`server heap used MB ${SETTLE_MS / 1000} s later, idle`]: settled.memory.heapUsed / 1e6,
      };
    } finally {
      await client.stop();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const files = WORKSPACE_FILES.toLocaleString('en-US');
  if (ONLY === 'index') {
    report(`LSP index of a ${files}-file workspace`, await indexCost());
    return;
  }
  for (const typing of TYPINGS) {
    report(
      `LSP edit → diagnostics over stdio (${AGENT_LINES}-line agent, ${typing.name})`,
      await editLatency(typing),
    );
  }
  // VS Code starts the server with TransportKind.ipc: the same typing over Node's IPC channel.
  report(
    `LSP edit → diagnostics over IPC, as VS Code runs the server (${AGENT_LINES}-line agent, typing code)`,
    await editLatency(TYPINGS[1], undefined, 'ipc'),
  );
  if (ONLY === 'single') {
    return;
  }
  for (const transport of ['stdio', 'ipc'] as const) {
    report(
      `LSP edit → diagnostics over ${transport === 'ipc' ? 'IPC' : 'stdio'} (${AGENT_LINES}-line agent in a ${files}-file workspace, typing code)`,
      await editLatency(TYPINGS[1], workspaceFiles(), transport),
    );
  }
  report(`LSP index of a ${files}-file workspace`, await indexCost());
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
