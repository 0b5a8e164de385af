// Every rule, in the order they run (the rule table's order): one module per code, named for what it finds.
import { obo100 } from './obo100_unresolved';
import { obo101 } from './obo101_user_client_at_init';
import { obo102 } from './obo102_user_client_outlives_request';
import { obo201 } from './obo201_missing_scope';
import { obo202 } from './obo202_unused_scope';
import { obo203 } from './obo203_unknown_scope';
import { obo204 } from './obo204_missing_user_auth_policy';
import { obo205 } from './obo205_resources_with_auth_policy';
import { obo301 } from './obo301_undeclared_resource';
import { obo401 } from './obo401_wrong_credential_keyword';
import { obo402 } from './obo402_legacy_import';
import { obo403 } from './obo403_missing_api';
import type { RuleContext } from './context';
import type { Rule } from './rule';

/**
 * Each rule adds only its own code, in a fixed order of its own; the findings index sorts a file's findings by
 * position then code, so the order between rules does not show.
 */
export const RULE_REGISTRY: readonly Rule[] = [
  obo100,
  obo101,
  obo102,
  obo201,
  obo202,
  obo203,
  obo204,
  obo205,
  obo301,
  obo401,
  obo402,
  obo403,
];

export function runRules(ctx: RuleContext): void {
  for (const rule of RULE_REGISTRY) {
    rule.check(ctx);
  }
}
