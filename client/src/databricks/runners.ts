// Playground runners: the local harness (as some profile) and a deployed endpoint, behind one interface.
import * as path from 'node:path';
import type { AgentShape } from './agentEvents';
import type { DatabricksSession } from './connection';
import { queryEndpoint } from './endpointQuery';
import { invokeLocally } from './harness';
import type { PlaygroundRunner } from './playgroundController';
import type { Log, Redactor } from './redact';

export interface LocalRunnerOptions {
  file: string;
  source?: string;
  shape?: AgentShape;
  python: string;
  harnessScript: string;
  /** Credentials for the agent (a profile's DATABRICKS_HOST/TOKEN); `{}` runs without any. */
  env: Record<string, string>;
  /** Who the agent runs as, for the header ("as bob@example.com (profile bob)"). */
  asLabel: string;
  redactor: Redactor;
  log: Log;
  pythonPath?: string[];
}

export function localRunner(o: LocalRunnerOptions): PlaygroundRunner {
  return {
    mode: 'local',
    title: `Agent Playground: ${path.basename(o.file)}`,
    subtitle: `Local run in ${o.python}, ${o.asLabel}`,
    run: async (input, signal, onEvent) => {
      const out = await invokeLocally(
        {
          file: o.file,
          source: o.source,
          shape: o.shape,
          messages: input.messages,
          customInputs: input.customInputs,
        },
        {
          python: o.python,
          harnessScript: o.harnessScript,
          env: o.env,
          redactor: o.redactor,
          log: o.log,
          signal,
          onEvent,
          cwd: path.dirname(o.file),
          pythonPath: o.pythonPath,
        },
      );
      return { request: out.request, raw: out.raw };
    },
  };
}

export function endpointRunner(
  session: DatabricksSession,
  endpoint: string,
  asLabel: string,
): PlaygroundRunner {
  return {
    mode: 'endpoint',
    title: `Agent Playground: ${endpoint}`,
    subtitle: `Serving endpoint ${endpoint}, queried ${asLabel}`,
    run: async (input, signal, onEvent) => {
      const out = await queryEndpoint(
        session,
        {
          endpoint,
          messages: input.messages,
          customInputs: input.customInputs,
          stream: input.options.stream,
          returnTrace: input.options.returnTrace,
        },
        signal,
        onEvent,
      );
      return { request: out.request, raw: out.raw };
    },
  };
}
