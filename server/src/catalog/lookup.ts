// Fast lookups over a catalog: callee name → row, with a same-package/same-leaf fallback for re-exports.
import type {
  ArgRef,
  Catalog,
  ConsumerRow,
  LegacyImportRow,
  MethodRow,
  MissingApiRow,
  MlflowLogging,
  PolicyRow,
  UserClientRow,
} from './types';
import { ScopeBook } from './scopes';

/** Key used for the fallback: top-level package + leaf name (`databricks_langchain…ChatDatabricks`). */
function looseKey(qualified: string): string {
  const parts = qualified.split('.');
  return `${parts[0]}…${parts[parts.length - 1]}`;
}

class NameTable<T> {
  private readonly exact = new Map<string, T>();
  private readonly loose = new Map<string, T>();
  /** Every external call asks: remember the answers (misses included). */
  private readonly memo = new Map<string, T | undefined>();
  add(name: string, row: T): void {
    this.exact.set(name, row);
    if (!this.loose.has(looseKey(name))) {
      this.loose.set(looseKey(name), row);
    }
  }
  get(name: string): T | undefined {
    if (this.memo.has(name)) {
      return this.memo.get(name);
    }
    const row = this.exact.get(name) ?? this.loose.get(looseKey(name));
    this.memo.set(name, row);
    return row;
  }
  getExact(name: string): T | undefined {
    return this.exact.get(name);
  }
}

export class CatalogIndex {
  readonly scopes: ScopeBook;
  private readonly userClients = new NameTable<UserClientRow>();
  private readonly consumers = new NameTable<ConsumerRow>();
  private readonly credentials = new NameTable<true>();
  private readonly missing = new Map<string, MissingApiRow>();
  private readonly legacy = new Map<string, LegacyImportRow>();
  private readonly sets: Record<
    | 'agentBases'
    | 'cachingDecorators'
    | 'logModel'
    | 'setModel'
    | 'authPolicy'
    | 'userPolicy'
    | 'systemPolicy',
    Set<string>
  >;
  private readonly resourceNames: Set<string>;

  constructor(readonly catalog: Catalog) {
    this.scopes = new ScopeBook(catalog);
    for (const row of catalog.userClients) {
      row.callees.forEach((c) => this.userClients.add(c, row));
      row.credentialValues.forEach((c) => this.credentials.add(c, true));
    }
    for (const row of catalog.consumers) {
      row.callees.forEach((c) => this.consumers.add(c, row));
    }
    for (const row of catalog.missingApis) {
      this.missing.set(row.name, row);
    }
    for (const row of catalog.legacyImports) {
      this.legacy.set(row.legacy, row);
    }
    this.sets = {
      agentBases: new Set(catalog.agentBases),
      cachingDecorators: new Set(catalog.cachingDecorators),
      logModel: new Set(catalog.logModelFunctions.map((r) => r.name)),
      setModel: new Set(catalog.setModelFunctions),
      authPolicy: new Set(catalog.authPolicyClass),
      userPolicy: new Set(catalog.userAuthPolicyClass),
      systemPolicy: new Set(catalog.systemAuthPolicyClass),
    };
    this.resourceNames = new Set(catalog.resources.map((r) => r.name));
  }

  /**
   * The name the code means: a wrong path for a real API (a `meant` missing-API row) means its replacement; another
   * missing API means nothing (undefined), so names that look like known ones but do not exist are not taken for them.
   */
  meant(name: string): string | undefined {
    const row = this.missing.get(name);
    return row ? (row.meant ? row.replacement : undefined) : name;
  }

  userClient(name: string): UserClientRow | undefined {
    const n = this.meant(name);
    return n === undefined ? undefined : this.userClients.get(n);
  }

  consumer(name: string): ConsumerRow | undefined {
    const n = this.meant(name);
    return n === undefined ? undefined : this.consumers.get(n);
  }

  /** Like clients and consumers, a re-export under the same top-level package counts (`databricks.sdk.oauth.…`). */
  isCredential(name: string): boolean {
    const n = this.meant(name);
    return n !== undefined && this.credentials.get(n) === true;
  }

  /** The policy row of an auth-policy class (`UserAuthPolicy`), for its wrong keywords. */
  policy(name: string): PolicyRow | undefined {
    return this.catalog.policies.find((p) => p.callees.some((c) => looseKey(c) === looseKey(name)));
  }

  /** The user-client row a credential value is for (`ModelServingUserCredentials()` → `WorkspaceClient`). */
  clientForCredential(name: string): UserClientRow | undefined {
    const n = this.meant(name);
    return n === undefined
      ? undefined
      : this.catalog.userClients.find((r) => r.credentialValues.some((c) => looseKey(c) === looseKey(n)));
  }

  missingApi(name: string): MissingApiRow | undefined {
    return this.missing.get(name);
  }

  legacyImport(name: string): LegacyImportRow | undefined {
    return this.legacy.get(name);
  }

  private readonly isMemo = new Map<string, boolean>();

  is(set: keyof CatalogIndex['sets'], name: string): boolean {
    const key = `${set}|${name}`;
    let hit = this.isMemo.get(key);
    if (hit === undefined) {
      hit = this.isUncached(set, name);
      this.isMemo.set(key, hit);
    }
    return hit;
  }

  private isUncached(set: keyof CatalogIndex['sets'], name: string): boolean {
    if (this.sets[set].has(name)) {
      return true;
    }
    // `from mlflow.pyfunc import ResponsesAgent` and `mlflow.pyfunc.ResponsesAgent` both count; so does a
    // re-export path under the same top-level package with the same leaf.
    const leaf = name.slice(name.lastIndexOf('.') + 1);
    const top = name.split('.')[0];
    for (const n of this.sets[set]) {
      if (n.endsWith(`.${leaf}`) && n.split('.')[0] === top) {
        return true;
      }
    }
    return false;
  }

  /** The argument of a log_model function that names the model; `python_model=` for flavours not in the table. */
  /** Where MLflow's policy and resource classes live and the keywords log_model and the policies take. */
  get mlflow(): MlflowLogging {
    return this.catalog.mlflow;
  }

  logModelArg(name: string): ArgRef {
    return (
      this.catalog.logModelFunctions.find((r) => r.name === name)?.model ?? {
        keyword: this.catalog.mlflow.defaultModelKeyword,
      }
    );
  }

  isResourceClass(given: string): string | undefined {
    const name = this.meant(given) ?? given;
    const leaf = name.slice(name.lastIndexOf('.') + 1);
    return this.resourceNames.has(leaf) && (name === leaf || name.startsWith('mlflow.')) ? leaf : undefined;
  }

  methods(kind: string, path: string[]): MethodRow | undefined {
    const joined = path.join('.');
    for (const row of this.catalog.methods) {
      if (row.clientKind !== kind) {
        continue;
      }
      if (matchPath(row.path, joined)) {
        return row;
      }
    }
    return undefined;
  }
}

/** `genie.*` matches `genie.start_conversation`; `*_endpoint*` matches `create_endpoint`. */
function matchPath(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) {
    return pattern === path;
  }
  const re = new RegExp(`^${pattern.split('*').map(escape).join('[A-Za-z0-9_]*')}$`);
  return re.test(path);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
