// The rule table: stable codes, titles, default severities and doc pages.
import type { RuleCode, Severity } from './findings';

export interface RuleInfo {
  code: RuleCode;
  title: string;
  defaultSeverity: Severity;
  /** Repository-relative path of the rule's page. */
  doc: string;
}

const rule = (code: RuleCode, defaultSeverity: Severity, title: string): RuleInfo => ({
  code,
  title,
  defaultSeverity,
  doc: `docs/rules/${code}.md`,
});

export const RULES: readonly RuleInfo[] = [
  rule('OBO100', 'information', 'A value the OBO checks need cannot be resolved statically'),
  rule('OBO101', 'error', 'User-authorized client built while the agent initialises'),
  rule('OBO102', 'error', 'User-authorized client outlives the request'),
  rule('OBO201', 'error', 'Scope required by the code is missing from api_scopes'),
  rule('OBO202', 'warning', 'Declared scope that the agent does not use'),
  rule('OBO203', 'error', 'Unknown scope in api_scopes'),
  rule('OBO204', 'error', 'Agent acts on behalf of the user but is logged without UserAuthPolicy'),
  rule('OBO205', 'error', 'log_model gets both resources= and auth_policy='),
  rule('OBO301', 'warning', 'Resource used with system auth is not declared'),
  rule('OBO401', 'error', 'Wrong credential keyword'),
  rule('OBO402', 'hint', 'Legacy import path'),
  rule('OBO403', 'error', 'API that does not exist'),
];

export function ruleInfo(code: RuleCode): RuleInfo {
  return RULES.find((r) => r.code === code) as RuleInfo;
}

/** Where rule pages are published (the repository's docs folder). */
export const DOCS_BASE_URL = 'https://github.com/obo-agents/obo-agents/blob/main/';

export function ruleDocUrl(code: RuleCode): string {
  return `${DOCS_BASE_URL}${ruleInfo(code).doc}`;
}
