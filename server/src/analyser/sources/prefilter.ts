// A cheap text test run before parsing, derived from the catalog: files that mention none of its names cannot hold an OBO finding.
import type { Catalog } from '../../catalog/types';

/** The first line of a Databricks notebook source, whose `%%writefile` cells may hold an agent. */
const NOTEBOOK_SOURCE = '# Databricks notebook source';

const lastPart = (qualified: string): string => qualified.slice(qualified.lastIndexOf('.') + 1);

/**
 * What a file must mention to be parsed (as whole words): the short names of the clients and their credentials, the
 * consumers that call Databricks (not the frameworks that only hold tools: those matter through a user client), the
 * credential keywords right and wrong (a wrong one is a finding), agent bases, log/set model functions and policies.
 */
export function prefilterNames(catalog: Catalog): string[] {
  // The scopes keyword is no call, but a module holding only a scope list is worth parsing.
  const names = new Set<string>([catalog.mlflow.scopesArg.keyword ?? '']);
  const add = (qualified: readonly string[]) => qualified.forEach((q) => names.add(lastPart(q)));
  for (const row of catalog.userClients) {
    // A bare `Config` calls nothing (and the name is everywhere): it matters only with a credential, listed here.
    if (row.clientKind !== 'config') {
      add(row.callees);
    }
    add(row.credentialValues);
    names.add(row.credentialKeyword);
    Object.keys(row.wrongKeywords ?? {}).forEach((k) => names.add(k));
  }
  for (const row of catalog.consumers) {
    if (!row.holdsTools) {
      add(row.callees);
    }
    Object.keys(row.wrongKeywords ?? {}).forEach((k) => names.add(k));
  }
  add(catalog.agentBases);
  add(catalog.logModelFunctions.map((r) => r.name));
  add(catalog.setModelFunctions);
  add([...catalog.authPolicyClass, ...catalog.userAuthPolicyClass, ...catalog.systemAuthPolicyClass]);
  // Only identifiers can be catalog names; anything else (a typo in an in-house row) would break the pattern.
  return [...names].filter((n) => /^\w+$/.test(n)).sort();
}

const compiled = new WeakMap<Catalog, RegExp>();

/**
 * True when the text may hold an agent, a log site, a user client or a Databricks notebook, for this catalog (with
 * in-house wrappers, their names count too). One precompiled alternation per catalog, so V8 scans the text once.
 */
export function mayMatter(text: string, catalog: Catalog): boolean {
  let re = compiled.get(catalog);
  if (!re) {
    // Names are identifiers: whole words, so `Genie` does not match every `GenieSpaceConfig` a file mentions.
    const names = prefilterNames(catalog).sort((a, b) => b.length - a.length);
    re = new RegExp(`\\b(?:${names.join('|')})\\b|${NOTEBOOK_SOURCE}`);
    compiled.set(catalog, re);
  }
  return re.test(text);
}
