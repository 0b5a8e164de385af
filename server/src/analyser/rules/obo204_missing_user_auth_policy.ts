// OBO204: the agent acts on behalf of the user but its log site declares no UserAuthPolicy (docs/rules/OBO204.md).
import * as path from 'path';
import type { TextEdit } from '../model';
import { addKeyword, ensureImport, quoteOf, removeArgument } from '../fixes/edits';
import { child, textOf } from '../python/tree';
import type { AgentSitePair, RuleContext } from './context';
import { defineRule } from './rule';

export const obo204 = defineRule('OBO204', (ctx) => {
  for (const pair of ctx.pairs) {
    if (!pair.site.userScopes && pair.agent.needs.usesUserAuth) {
      noUserPolicy(ctx, pair);
    }
  }
});

/** The finding, with a fix adding the policy (and the scopes the agent needs) where the log site can take one. */
function noUserPolicy(ctx: RuleContext, { agent, site }: AgentSitePair): void {
  const { cat, sink } = ctx;
  const agentFile = path.basename(agent.mod.path);
  const required = agent.needs.needs.filter((n) => n.required).map((n) => n.scope);
  const scopes = cat.scopes.spell([...new Set(required)], 'documented');
  const mod = site.site.mod;
  const quote = quoteOf(mod, undefined);
  const scopeText = `[${scopes.map((s) => `${quote}${s}${quote}`).join(', ')}]`;
  const user = `UserAuthPolicy(api_scopes=${scopeText})`;
  const edits: TextEdit[] = [];
  const names = ['UserAuthPolicy'];
  const call = site.authPolicy?.call;
  let anchor = site.site;
  if (site.authPolicy && call) {
    anchor = call.site;
    if (call.site.mod !== mod) {
      return void sink.add('OBO204', anchor, message(agentFile));
    }
    edits.push(addKeyword(call.site, `user_auth_policy=${user}`));
  } else if (!site.authPolicy && !site.resourcesKw?.fromDict) {
    names.unshift('AuthPolicy');
    const resValue = site.resourcesKw ? child(site.resourcesKw.at.node, 'value') : undefined;
    if (site.resourcesKw && resValue) {
      names.push('SystemAuthPolicy');
      edits.push(
        addKeyword(
          site.site,
          `auth_policy=AuthPolicy(\n    system_auth_policy=SystemAuthPolicy(resources=${textOf(mod.src, resValue)}),\n    user_auth_policy=${user},\n)`,
        ),
      );
      edits.push(removeArgument(site.site, site.resourcesKw.at.node));
    } else {
      edits.push(addKeyword(site.site, `auth_policy=AuthPolicy(user_auth_policy=${user})`));
    }
  } else {
    return void sink.add('OBO204', anchor, message(agentFile));
  }
  const imp = ensureImport(mod, cat.mlflow.authPolicyModule, names, site.site.node);
  if (imp) {
    edits.push(imp);
  }
  sink.add('OBO204', anchor, message(agentFile), {
    fixes: [{ title: `Add auth_policy with UserAuthPolicy(api_scopes=${scopeText})`, edits, safe: true }],
    details: { toAdd: scopes, agentFile },
  });
}

function message(agentFile: string): string {
  return (
    `${agentFile} acts on behalf of the user, but this log_model has no UserAuthPolicy: in Model Serving the agent ` +
    `gets no user token ("Unable to read end user token"). Declare auth_policy=AuthPolicy(user_auth_policy=` +
    `UserAuthPolicy(api_scopes=[...])).`
  );
}
