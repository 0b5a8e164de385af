// OBO101: a user-authorized client (or a tool built on one) constructed while the agent loads (docs/rules/OBO101.md).
import * as path from 'path';
import type { FuncInfo, ModuleModel } from '../engine/program';
import { locOf } from '../engine/locations';
import { moveToPredictFix } from '../fixes/moveToPredict';
import type { RelatedInfo } from '../model';
import { describeValue, loadTimeOf } from './loadTime';
import { defineRule } from './rule';
import { q } from './text';

export const obo101 = defineRule('OBO101', (ctx) => {
  const requestMethods = ctx.cat.catalog.requestMethods;
  for (const e of loadTimeOf(ctx).atLoad) {
    const hit = ctx.phases.initPath(e.fn);
    const related: RelatedInfo[] = (hit?.path ?? []).map((edge) => ({
      location: locOf(edge.site),
      message: `runs at load: called from ${rootText(edgeFrom(edge, hit?.root))}`,
    }));
    const where = hit ? rootText(hit.root) : rootText(e.fn);
    const via = hit && hit.path.length ? ` (reached from ${where})` : ` (in ${where})`;
    const fix = moveToPredictFix(e.fn, e.site, ctx.classes, requestMethods);
    ctx.sink.add(
      'OBO101',
      e.site,
      `${describeValue(e.value)} is built while the agent loads${via}. The requesting user is only known inside ` +
        `predict/predict_stream: in Model Serving this fails at load ("Unable to detect credentials for user ` +
        `authorization") or acts as one identity for everyone. Build it per request inside predict.`,
      {
        related,
        fixes: fix ? [fix] : undefined,
        details: { phase: 'init', root: hit?.root.qualname, agentFile: e.site.mod.path },
      },
    );
  }
});

function rootText(fn: FuncInfo): string {
  if (fn.kind === 'module') {
    return `the top level of ${path.basename(fn.mod.path)}`;
  }
  return q(fn.qualname);
}

function edgeFrom(edge: { site: { mod: ModuleModel } }, root: FuncInfo | undefined): FuncInfo {
  return root ?? (edge.site.mod.body as FuncInfo);
}
