// The rule table: stable codes, titles, default severities and doc pages. The one list of codes (`RuleCode` is its keys).
import type { Severity } from './findings';

/** Default severity and title of each code, in the order rules run and are listed. */
const TABLE = {
  OBO100: ['information', 'A value the OBO checks need cannot be resolved statically'],
  OBO101: ['error', 'User-authorized client built while the agent initialises'],
  OBO102: ['error', 'User-authorized client outlives the request'],
  OBO201: ['error', 'Scope required by the code is missing from api_scopes'],
  OBO202: ['warning', 'Declared scope that the agent does not use'],
  OBO203: ['error', 'Unknown scope in api_scopes'],
  OBO204: ['error', 'Agent acts on behalf of the user but is logged without UserAuthPolicy'],
  OBO205: ['error', 'log_model gets both resources= and auth_policy='],
  OBO301: ['warning', 'Resource used with system auth is not declared'],
  OBO401: ['error', 'Wrong credential keyword'],
  OBO402: ['hint', 'Legacy import path'],
  OBO403: ['error', 'API that does not exist'],
} as const satisfies Record<string, readonly [Severity, string]>;

export type RuleCode = keyof typeof TABLE;

export interface RuleInfo {
  code: RuleCode;
  title: string;
  defaultSeverity: Severity;
  /** Repository-relative path of the rule's page. */
  doc: string;
}

export const RULES: readonly RuleInfo[] = (Object.keys(TABLE) as RuleCode[]).map((code) => ({
  code,
  title: TABLE[code][1],
  defaultSeverity: TABLE[code][0],
  doc: `docs/rules/${code}.md`,
}));

export function ruleInfo(code: RuleCode): RuleInfo {
  return RULES.find((r) => r.code === code) as RuleInfo;
}

/** Where rule pages are published (the repository's docs folder). */
export const DOCS_BASE_URL = 'https://github.com/obo-agents/obo-agents/blob/main/';

export function ruleDocUrl(code: RuleCode): string {
  return `${DOCS_BASE_URL}${ruleInfo(code).doc}`;
}
