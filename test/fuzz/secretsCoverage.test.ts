// Secrets never leak, coverage: every exported function of the plain Databricks modules is driven by the secret scan (secrets.test.ts) or known to be pure.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './corpus';

const load = createRequire(__filename);

/**
 * Exported functions and classes of the plain modules: driven by the secret scan in secrets.test.ts, or pure
 * (no credential passes through).
 */
const DRIVEN: Record<string, string[]> = {
  connection: ['DatabricksSession', 'resolveConnection', 'configFor', 'describeSpec', 'normalizeHost'],
  deploy: ['deploy', 'DeployError'],
  deployments: ['listAgentDeployments', 'endpointLogs', 'summarize', 'health'],
  endpointOps: ['getEndpoint', 'updateConfig', 'waitUntil', 'buildLogs', 'sleep', 'lastLine'],
  endpointQuery: ['queryEndpoint', 'shapeOfTask'],
  errors: ['explain', 'CancelledError', 'RequestTimeoutError', 'UserFacingError'],
  harness: ['invokeLocally'],
  logStep: ['PythonModelLogStep'],
  playgroundController: ['PlaygroundController'],
  profiles: [
    'readProfiles',
    'parseDatabricksCfg',
    'profilesFrom',
    'inferAuthType',
    'envConnection',
    'configFilePath',
  ],
  python: ['runPython', 'childEnvironment'],
  redact: ['Redactor', 'redactingLog', 'MemoryLog'],
  runners: ['localRunner', 'endpointRunner'],
  trust: ['checkTrust'],
};
const PURE: Record<string, string[]> = {
  agentEvents: ['fromChunk', 'fromResult', 'requestBody', 'TurnTranscript'],
  deployError: ['DeployError'],
  naming: [
    'parseModelName',
    'endpointName',
    'servedEntityName',
    'modelPartFromFile',
    'endpointPageUrl',
    'invocationsUrl',
  ],
  plan: ['blockingFindings', 'taskFor', 'PlanError', 'computePlan', 'renderPlan', 'defaultDeploySettings'],
  sse: ['sseData'],
};

describe('secrets never leak (known token, every command path, every sink)', () => {
  it('every exported function of the plain modules is driven here or known to be pure', () => {
    const dir = path.join(ROOT, 'client', 'src', 'databricks');
    const modules = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    const missing: string[] = [];
    for (const m of modules) {
      // index.ts and vscode/ need VS Code; everything else is plain and loadable here.
      const exported = load(
        path.join(__dirname, '..', '..', 'client', 'src', 'databricks', `${m}.js`),
      ) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exported)) {
        if (typeof value === 'function' && !DRIVEN[m]?.includes(name) && !PURE[m]?.includes(name)) {
          missing.push(`${m}.${name}`);
        }
      }
    }
    assert.deepEqual(
      missing,
      [],
      'new exports: drive them in the secret scan (secrets.test.ts), or list them as pure',
    );
  });
});
