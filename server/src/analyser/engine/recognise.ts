// OBO constructs, recognised through the catalog: credentials, user/system clients, consumers, policies, log_model.
import type { ConsumerRow, PolicyRow, UserClientRow } from '../../catalog/types';
import type { PyNode } from '../python/tree';
import { Flow } from './flow';
import type { FuncInfo } from './program';
import {
  type CallArgs,
  type ClientValue,
  type ConsumerValue,
  argOf,
  holdsUserValue,
  isUserValue,
  type Site,
  type Vals,
  type Value,
} from './values';

/** Over flow: what external calls build, per the catalog, and the events that say so. */
export abstract class Recogniser extends Flow {
  /**
   * A call of an external name the catalog knows: its value and events, or undefined when it builds nothing of its own
   * (a policy's wrong keywords are still reported).
   */
  protected construct(name: string, args: CallArgs, fn: FuncInfo, site: Site): Vals | undefined {
    const cat = this.cat;
    if (cat.isCredential(name)) {
      return [{ k: 'cred', name, site }];
    }
    const clientRow = cat.userClient(name);
    if (clientRow) {
      return [this.client(clientRow, args, fn, site)];
    }
    const consumerRow = cat.consumer(name);
    if (consumerRow) {
      return this.consumer(consumerRow, args, fn, site);
    }
    if (cat.is('logModel', name)) {
      this.events.push({ k: 'logModel', name, fn, site, args });
      // The logged agent joins the run (no call edge: logging does not execute it).
      const logged = this.loadLogged?.(fn.mod, name, args);
      if (logged) {
        this.join(logged);
      }
      return [];
    }
    if (cat.is('setModel', name)) {
      this.events.push({ k: 'setModel', fn, site, args });
      return [];
    }
    const policy = cat.policy(name);
    if (policy) {
      this.wrongKeywords(policy, args, fn, site);
    }
    return undefined;
  }

  /** A client from the userClients table: a user one when built on a user credential (or a user config). */
  private client(clientRow: UserClientRow, args: CallArgs, fn: FuncInfo, site: Site): ClientValue {
    const wrong = this.wrongKeywords(clientRow, args, fn, site);
    const cred = [clientRow.credentialKeyword, ...wrong]
      .flatMap((k) => args.kw.get(k) ?? [])
      .some((v) => v.k === 'cred');
    const viaConfig = clientRow.configKeyword
      ? (args.kw.get(clientRow.configKeyword) ?? []).some(
          (v) => v.k === 'client' && v.kind === 'config' && v.user,
        )
      : false;
    const user = cred || viaConfig;
    const own = !user && this.cat.catalog.ownCredentialKeywords.some((k) => args.kw.has(k));
    const value: ClientValue = { k: 'client', kind: clientRow.clientKind, user, row: clientRow, site };
    if (own) {
      value.own = true;
    }
    this.events.push({ k: 'client', value, fn, site, args });
    return value;
  }

  /** A consumer: user-authorized when given a user client (or holding user tools), and a system one beside it. */
  private consumer(consumerRow: ConsumerRow, args: CallArgs, fn: FuncInfo, site: Site): Vals {
    const wrong = this.wrongKeywords(consumerRow, args, fn, site).flatMap((k) => args.kw.get(k) ?? []);
    const clientVals = argOf(args, consumerRow.clientParam.keyword, consumerRow.clientParam.position);
    // A user credential given to the wrong keyword (`ChatDatabricks(credentials_strategy=...)`) means a user client.
    const given = [...clientVals, ...wrong];
    const user = given.some((v) => holdsUserValue(v) || (v.k === 'cred' && !consumerRow.holdsTools));
    // A helper given a user client in one call and a system client (or None) in another builds both: one value
    // each, so the user one needs scopes and the system one resources.
    const systemVals = given.filter((v) => (v.k === 'client' && !v.user) || v.k === 'const');
    const system = systemVals.length > 0;
    // Every non-user client it gets carries credentials of its own: the non-user value needs no declared resource.
    // (None or a default-chain client among them runs with the agent's identity, so its resources still count.)
    const own = system && systemVals.every((v) => v.k === 'client' && v.own);
    const out: Vals = [];
    for (const u of user && system && !consumerRow.holdsTools ? [true, false] : [user]) {
      const value: ConsumerValue = { k: 'consumer', row: consumerRow, user: u, site, args };
      if (own && !u) {
        value.own = true;
      }
      this.events.push({ k: 'consumer', value, fn, site });
      out.push(value);
    }
    return out;
  }

  /** User-authorized values passed to code the catalog does not know. */
  protected opaque(name: string, args: CallArgs, fn: FuncInfo, site: Site): void {
    for (const vals of [...args.pos, ...args.kw.values()]) {
      for (const v of vals) {
        if (isUserValue(v)) {
          this.events.push({ k: 'opaque', callee: name, value: v, fn, site });
        }
      }
    }
  }

  /** An attribute of an external name (`n`): a credential the catalog lists, or another external name. */
  protected externalAttr(name: string, fn: FuncInfo, n: PyNode): Value {
    return this.cat.isCredential(name)
      ? { k: 'cred', name, site: { mod: fn.mod, node: n } }
      : { k: 'ext', name };
  }

  /**
   * Reports the wrong keywords of a known construct: those its row lists, and any other credential keyword it does
   * not take (unless its signature is open). Returns the keywords reported, whose values stand for the right one.
   */
  private wrongKeywords(
    row: UserClientRow | ConsumerRow | PolicyRow,
    args: CallArgs,
    fn: FuncInfo,
    site: Site,
  ): string[] {
    const right = rightKeyword(row);
    const listed = row.wrongKeywords ?? {};
    // Policy classes and open signatures: only the listed wrong keywords.
    const accepted =
      'keyword' in row || row.openKeywords || ('holdsTools' in row && row.holdsTools)
        ? undefined
        : acceptedKeywords(row);
    const found: string[] = [];
    for (const [kw, node] of args.kwNodes) {
      let why = listed[kw];
      let confidence: 'confirmed' | 'unconfirmed' = 'confirmed';
      if (why === undefined) {
        if (!accepted || !this.cat.catalog.credentialKeywords.includes(kw) || accepted.includes(kw)) {
          continue;
        }
        // Inferred from the documented signature, not a confirmed TypeError.
        why = `\`${leafOf(row.callees[0])}\` does not take \`${kw}=\` (its credential parameter is \`${right}=\`)`;
        confidence = 'unconfirmed';
      }
      found.push(kw);
      const cred = (args.kw.get(kw) ?? []).find((v) => v.k === 'cred');
      const wrap = cred && 'clientParam' in row ? this.cat.clientForCredential(cred.name) : undefined;
      this.events.push({ k: 'wrongKeyword', row, keyword: kw, why, right, node, fn, site, confidence, wrap });
    }
    return found;
  }

  protected callOnClient(base: ClientValue, path: string[], args: CallArgs, fn: FuncInfo, site: Site): Vals {
    const row = this.cat.methods(base.kind, path);
    if (row) {
      this.events.push({ k: 'method', row, client: base, fn, site, args });
    }
    if (row?.returnsClient) {
      // The object it returns (a vector search index) keeps querying as the same client.
      return [{ k: 'attr', base, path: ['<index>'] }];
    }
    return [];
  }
}

/** The keyword a construct's credential (or declarations) go in. */
function rightKeyword(row: UserClientRow | ConsumerRow | PolicyRow): string {
  return 'keyword' in row
    ? row.keyword
    : 'credentialKeyword' in row
      ? row.credentialKeyword
      : (row.clientParam.keyword ?? '');
}

/** The credential keywords a construct takes. */
function acceptedKeywords(row: UserClientRow | ConsumerRow): string[] {
  return 'credentialKeyword' in row
    ? [row.credentialKeyword, row.configKeyword ?? '']
    : [row.clientParam.keyword ?? '', ...(row.clientParam.aliases ?? [])];
}

function leafOf(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
