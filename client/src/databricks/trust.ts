// Workspace-trust gate: commands that run workspace code refuse in Restricted Mode; the rest stay available.

/** Commands that execute the workspace's Python (the agent module, or MLflow importing it). */
export const COMMANDS_RUNNING_WORKSPACE_CODE: Record<string, string> = {
  'oboAgents.testInvokeLocally': 'Test-invoking an agent locally runs its Python code',
  'oboAgents.deployAgent': 'Deploying runs the agent file through MLflow in your Python interpreter',
};

/** Settings that name executables or files to load; VS Code ignores workspace values of these in Restricted Mode. */
export const RESTRICTED_SETTINGS = [
  'oboAgents.python.interpreter',
  'oboAgents.databricks.configFile',
  'oboAgents.deploy.logRegisterScript',
  // A workspace must not choose where a profile's token is sent, nor which profile it is.
  'oboAgents.databricks.host',
  'oboAgents.databricks.profile',
];

export type TrustDecision = { allowed: true } | { allowed: false; message: string };

export function checkTrust(command: string, isTrusted: boolean): TrustDecision {
  const why = COMMANDS_RUNNING_WORKSPACE_CODE[command];
  if (isTrusted || !why) {
    return { allowed: true };
  }
  return {
    allowed: false,
    message:
      `${why}, and this workspace is not trusted, so nothing was run. ` +
      'Static analysis, the deployment plan and endpoint queries still work. ' +
      'To allow it, run "Workspaces: Manage Workspace Trust" and trust this folder.',
  };
}
