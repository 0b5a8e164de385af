// Custom LSP messages between the OBO client and server (method names prefixed `obo/`), shared by both halves.
import type { AgentReport } from './reports';
import type { Finding } from './findings';

/**
 * Request, client → server: the agent reports of the workspace, or only those linked to `uri`
 * (the agent file itself, a notebook holding it, or a logging script). Used by "Show Required Scopes",
 * the deploy pre-flight and "Show Deployment Plan".
 */
export const AgentReportsRequest = 'obo/agentReports';
export interface AgentReportsParams {
  uri?: string;
}
export interface AgentReportsResult {
  reports: AgentReport[];
  /** Findings of the files linked to the reports (for the deploy pre-flight). */
  findings: { file: string; finding: Finding }[];
}

/** Notification, server → client: indexing state, for the language status item. */
export const StatusNotification = 'obo/status';
export interface StatusParams {
  state: 'indexing' | 'ready' | 'error';
  message?: string;
  /** Files indexed so far, and agent files found. */
  files?: number;
  agents?: number;
}

/** Request, client → server: the server's state, for "OBO Agents: Show Debug Information". */
export const ServerInfoRequest = 'obo/serverInfo';
export interface ServerInfoResult {
  version: string;
  timeBudgetMs: number;
  workspaceFolders: string[];
  /** Files read from disk into the analyser (the index), and documents open in the editor. */
  indexedFiles: number;
  openDocuments: number;
  openNotebooks: number;
  agents: number;
  lastIndex?: { files: number; matched: number; agents: number; ms: number };
  /** Keys of `oboAgents.catalog.extra` in effect. */
  catalogExtra: string[];
  /** The server process's memory, in bytes. */
  memory: { rss: number; heapUsed: number };
}

/** `initialize` options the client sends (read once at start: changing them restarts the server). */
export interface InitializationOptions {
  /** Per-file analysis budget in milliseconds. */
  timeBudgetMs?: number;
  /** Settings used when the client has no `workspace/configuration` (other editors, tests). */
  settings?: unknown;
}
