// The shared prologue of hover, completion and code lens: the open document, checking enabled, after a sync.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocTarget, DocumentResolver } from './documentResolver';
import type { OboSettings } from '../../../shared/settings';
import type { ProjectHost } from './projectHost';
import type { SettingsCache } from './settingsCache';

export interface FeatureDeps {
  host: ProjectHost;
  resolver: DocumentResolver;
  settings: SettingsCache;
  /** Gives pending buffer changes to the analyser before it answers. */
  sync: () => void;
}

/**
 * The open document a request is about, with its settings, once the analyser has its latest text; undefined when
 * the document is unknown or closed, the extension is disabled for it, or the project is not loaded yet.
 */
export async function featureTarget(
  deps: FeatureDeps,
  uri: string | undefined,
): Promise<{ target: DocTarget & { doc: TextDocument }; settings: OboSettings } | undefined> {
  const target = uri === undefined ? undefined : deps.resolver.resolve(uri);
  if (!target?.doc) {
    return undefined;
  }
  const settings = await deps.settings.get(target.settingsUri);
  if (!settings.enable) {
    return undefined;
  }
  deps.sync();
  if (!deps.host.ready) {
    return undefined;
  }
  return { target: target as DocTarget & { doc: TextDocument }, settings };
}
