// The shape of a rule: its code, its row of the rule table (title, default severity, doc page) and its check.
import type { RuleCode, Severity } from '../model';
import { ruleInfo } from '../../../../shared/rules';
import type { RuleContext } from './context';

export interface Rule {
  code: RuleCode;
  title: string;
  severity: Severity;
  /** Repository-relative path of the rule's page. */
  doc: string;
  /** Adds this rule's findings (and only this code's) to `ctx.sink`. */
  check(ctx: RuleContext): void;
}

/** A rule whose title, severity and doc page come from the rule table in `shared/rules.ts`. */
export function defineRule(code: RuleCode, check: (ctx: RuleContext) => void): Rule {
  const info = ruleInfo(code);
  return { code, title: info.title, severity: info.defaultSeverity, doc: info.doc, check };
}
