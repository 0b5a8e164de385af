// Builders for AgentReports and deploy plans used by several test files.
import * as path from 'node:path';
import type { AgentReport } from '../../shared/reports';
import { PythonModelLogStep } from '../../client/src/databricks/logStep';
import { computePlan, defaultDeploySettings, type DeploySettings } from '../../client/src/databricks/plan';
import type { DatabricksSession } from '../../client/src/databricks/connection';
import type { Log } from '../../client/src/databricks/redact';
import { FIXTURES, PYTHON } from './helpers';

const loc = (file: string, line = 0) => ({
  file,
  range: { start: { line, character: 0 }, end: { line, character: 10 } },
});

export const AGENT_FILE = path.join(FIXTURES, 'agents', 'plain_responses.py');

export function report(over: Partial<AgentReport> = {}): AgentReport {
  const file = over.path ?? AGENT_FILE;
  return {
    path: file,
    location: loc(file, 20),
    agentKind: 'ResponsesAgent',
    className: 'PlainResponsesAgent',
    needs: [
      {
        scope: 'serving.serving-endpoints',
        required: true,
        confidence: 'confirmed',
        because: 'WorkspaceClient(credentials_strategy=ModelServingUserCredentials()) queries an endpoint',
        location: loc(file, 30),
      },
      {
        scope: 'sql.statement-execution',
        required: false,
        confidence: 'unconfirmed',
        because: 'may run SQL',
        location: loc(file, 31),
      },
    ],
    resources: [
      {
        resource: 'DatabricksServingEndpoint',
        name: 'databricks-claude-sonnet-4-5',
        because: 'the LLM',
        location: loc(file, 5),
      },
    ],
    logSites: [],
    usesUserAuth: true,
    ...over,
  };
}

export function plan(
  model = 'main.agents.bot',
  settings: Partial<DeploySettings> = {},
  over: Partial<AgentReport> = {},
) {
  return computePlan(report(over), [], model, { ...defaultDeploySettings(), ...settings });
}

export const stdlibLogStep = (session: DatabricksSession, log: Log, python = PYTHON) =>
  new PythonModelLogStep({
    python,
    script: path.join(FIXTURES, 'python', 'log_register_stdlib.py'),
    session,
    log,
  });
