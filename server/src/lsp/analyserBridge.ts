// The only place the server touches the analyser's construction API, so its names can move without touching the rest.
import { createProject } from '../analyser/analyse';
import type { Project, ProjectOptions } from '../analyser/project';
import { RULES, type RuleInfo } from '../../../shared/rules';
import { mayMatter } from '../analyser/sources/prefilter';
import { BUILTIN_CATALOG } from '../catalog/data';
import { extendCatalog } from '../catalog/extend';
import type { Catalog } from '../catalog/types';

export { mayMatter, BUILTIN_CATALOG, type RuleInfo };

/** Creates a project once the parser's wasm is loaded (the analyser parses synchronously afterwards). */
export function openProject(options: ProjectOptions): Promise<Project> {
  return createProject(options);
}

/** The built-in catalog extended by user entries, with the entries it had to skip and why. */
export function catalogWith(extra: Record<string, unknown>): { catalog: Catalog; problems: string[] } {
  if (Object.keys(extra).length === 0) {
    return { catalog: BUILTIN_CATALOG, problems: [] };
  }
  return extendCatalog(BUILTIN_CATALOG, extra);
}

/** A rule's registry entry (title for action labels), undefined for codes the registry doesn't know. */
export function ruleInfo(code: string): RuleInfo | undefined {
  return RULES.find((r) => r.code === code);
}
