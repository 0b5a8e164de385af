// What the client can do (read once from `initialize`) and what the server declares in return.
import {
  CodeActionKind,
  type ClientCapabilities,
  DiagnosticTag,
  type ServerCapabilities,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';

export const SOURCE = 'obo';
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.obo`;
/** Client-side commands the server's actions and lenses point at (registered by the extension, not the server). */
export const SHOW_RULE_DOC_COMMAND = 'oboAgents.showRuleDocumentation';
export const SHOW_REQUIRED_SCOPES_COMMAND = 'oboAgents.showRequiredScopes';
/** Client commands (client/src/databricks) that the agent-class lenses call with the agent document's URI. */
export const DEPLOY_AGENT_COMMAND = 'oboAgents.deployAgent';
export const SHOW_DEPLOYMENT_PLAN_COMMAND = 'oboAgents.showDeploymentPlan';

export interface ClientFeatures {
  configuration: boolean;
  configurationDynamic: boolean;
  workspaceFolders: boolean;
  diagnosticRefresh: boolean;
  codeLensRefresh: boolean;
  relatedInformation: boolean;
  unnecessaryTag: boolean;
  documentChanges: boolean;
  workDoneProgress: boolean;
  watchedFilesDynamic: boolean;
  snippets: boolean;
  markdownHover: boolean;
  codeActionLiterals: boolean;
}

export function readFeatures(caps: ClientCapabilities | undefined): ClientFeatures {
  const c = caps ?? {};
  const td = c.textDocument ?? {};
  const pullTags = (td.diagnostic as { tagSupport?: { valueSet?: number[] } } | undefined)?.tagSupport
    ?.valueSet;
  const pushTags = td.publishDiagnostics?.tagSupport?.valueSet;
  const tags = [...(pullTags ?? []), ...(pushTags ?? [])];
  const pullRelated = (td.diagnostic as { relatedInformation?: boolean } | undefined)?.relatedInformation;
  return {
    configuration: c.workspace?.configuration === true,
    configurationDynamic: c.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    workspaceFolders: c.workspace?.workspaceFolders === true,
    diagnosticRefresh: c.workspace?.diagnostics?.refreshSupport === true,
    codeLensRefresh: c.workspace?.codeLens?.refreshSupport === true,
    relatedInformation: pullRelated === true || td.publishDiagnostics?.relatedInformation === true,
    unnecessaryTag: tags.includes(DiagnosticTag.Unnecessary),
    documentChanges: c.workspace?.workspaceEdit?.documentChanges === true,
    workDoneProgress: c.window?.workDoneProgress === true,
    watchedFilesDynamic: c.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    snippets: td.completion?.completionItem?.snippetSupport === true,
    markdownHover: (td.hover?.contentFormat ?? ['markdown']).includes('markdown'),
    codeActionLiterals: td.codeAction?.codeActionLiteralSupport !== undefined,
  };
}

export function serverCapabilities(features: ClientFeatures): ServerCapabilities {
  return {
    textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
    // No cell filter: markdown cells must be synced too, or cell indices would not match the notebook's.
    notebookDocumentSync: { notebookSelector: [{ notebook: { notebookType: 'jupyter-notebook' } }] },
    diagnosticProvider: { identifier: SOURCE, interFileDependencies: true, workspaceDiagnostics: true },
    codeActionProvider: features.codeActionLiterals
      ? { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false }
      : true,
    hoverProvider: true,
    completionProvider: { triggerCharacters: ['"', "'", '[', ',', '('], resolveProvider: false },
    codeLensProvider: { resolveProvider: false },
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
}
