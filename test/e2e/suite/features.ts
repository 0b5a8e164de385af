// Features that have not landed yet: their tests are registered as pending (it.skip) with the reason shown here.
// Remove an entry when the feature lands; an empty map means the whole suite runs. OBO_E2E_ALL=1 runs them all anyway.

/** Commands the manifest must contribute and the extension must register. */
export const COMMANDS = [
  'oboAgents.restartServer',
  'oboAgents.showLogs',
  'oboAgents.showRequiredScopes',
  'oboAgents.selectProfile',
  'oboAgents.testInvokeLocally',
  'oboAgents.queryEndpoint',
  'oboAgents.deployAgent',
  'oboAgents.showDeploymentPlan',
];

export const PENDING: Record<string, string> = {};

/** `it`, or a pending `it` whose title carries the reason, when `feature` is listed in PENDING. */
export function itFeature(feature: string, title: string, fn: Mocha.Func | Mocha.AsyncFunc): Mocha.Test {
  const reason = process.env.OBO_E2E_ALL ? undefined : PENDING[feature];
  return reason ? it.skip(`${title} [pending: ${reason}]`, fn) : it(title, fn);
}
