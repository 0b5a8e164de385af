// Where each rule's documentation lives: the registry's docs/rules/OBOxxx.md page, linked from every diagnostic.
import { DOCS_BASE_URL } from '../../../shared/rules';
import { ruleInfo } from './analyserBridge';

export function ruleDocPath(code: string): string {
  return ruleInfo(code)?.doc ?? `docs/rules/${code}.md`;
}

export function ruleDocUrl(code: string): string {
  return `${DOCS_BASE_URL}${ruleDocPath(code)}`;
}
