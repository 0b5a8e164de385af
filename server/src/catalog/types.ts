// Types of the declarative OBO catalog: scopes, user-client constructions, consumers, SDK methods, MCP paths, resources.

/** How sure the sources are that a fact holds; unconfirmed facts never raise errors. */
export type Confidence = 'confirmed' | 'unconfirmed';

/** One entry of the Model Serving `api_scopes` allowlist. */
export interface ScopeRow {
  name: string;
  /** `documented` = the docs' dotted names; `short` = the newer 2026 names. MCP scopes have a single family. */
  family: 'documented' | 'short' | 'single';
  /** What a token with this scope can do, shown on hover. */
  grants: string;
  /**
   * The documented-family scopes this one satisfies besides itself (aliases and parent prefixes):
   * `sql` covers `sql.statement-execution` and `sql.warehouses`; `genie` is `dashboards.genie`.
   */
  covers?: string[];
  /** The short-family name for a documented scope, used when the author writes the short family. */
  shortName?: string;
  /** Accepted by the allowlist snapshot, but with conflicting reports. */
  caveat?: string;
}

/** A scope string that is not accepted by Model Serving, with the reason and what to use instead. */
export interface RejectedScopeRow {
  name: string;
  reason: string;
  suggest?: string;
}

/**
 * A need for one documented-family scope, with why. `required` needs missing from `api_scopes` fail at run time;
 * `mayUse` needs justify a declared scope but are never reported missing.
 */
export interface ScopeNeeds {
  required?: string[];
  mayUse?: string[];
  /** Set when the sources do not confirm the requirement: a missing scope is then a warning, not an error. */
  confidence?: Confidence;
}

/** A system-auth resource to declare in `SystemAuthPolicy(resources=[...])`. */
export interface ResourceNeed {
  /** MLflow resource class, e.g. `DatabricksServingEndpoint`. */
  resource: string;
  /** Where the resource name comes from in the construct's call: keyword name and/or positional index. */
  from: ArgRef;
}

/** Where an argument sits in a call: its keyword, its positional index (0-based, `self` excluded), or both. */
export interface ArgRef {
  keyword?: string;
  position?: number;
  /** Other keywords that carry the same value (`model` for ChatDatabricks' `endpoint`). */
  aliases?: string[];
}

/** A call that produces a user-authorized (OBO) client, e.g. `WorkspaceClient(credentials_strategy=...)`. */
export interface UserClientRow {
  id: string;
  /** Fully qualified callee names (every import path that reaches it). */
  callees: string[];
  /** The kind of client made, which decides which methods are looked up. */
  clientKind: ClientKind;
  /** The keyword that must carry the user credential. */
  credentialKeyword: string;
  /** Qualified names of values that mean "user credentials" for this keyword (a call or an attribute). */
  credentialValues: string[];
  /** Wrong keywords that users write instead, and what MLflow/SDK do with them. */
  wrongKeywords?: Record<string, string>;
  /** A keyword that may carry an already user-authorized config (`WorkspaceClient(config=Config(...))`). */
  configKeyword?: string;
  /** Takes `**kwargs` or its signature is not known (in-house rows): other credential keywords are not reported. */
  openKeywords?: boolean;
  doc: string;
}

export type ClientKind = 'workspace' | 'vectorSearch' | 'config';

/** A class or function that takes a client and calls Databricks with it. */
export interface ConsumerRow {
  id: string;
  callees: string[];
  /** The parameter that carries the client (for a `holdsTools` row: the tools). */
  clientParam: ArgRef;
  /** Needs when given a user client. */
  needs: ScopeNeeds;
  /** Needs that replace `needs` when one of these keywords is `True` (`use_ai_gateway=True` routes to AI Gateway). */
  flagNeeds?: { keywords: string[]; needs: ScopeNeeds; label: string };
  /** Derive needs from an MCP server URL argument instead of (or on top of) `needs`. */
  mcpUrl?: ArgRef;
  /** A fixed MCP path kind, for helpers like `from_uc_function` that build the URL themselves. */
  mcpKind?: string;
  /** The resource to declare when used with system auth (no user client). */
  resources?: ResourceNeed[];
  wrongKeywords?: Record<string, string>;
  /** Does building it call Databricks (so building it at init time with a user client fails at load)? */
  callsOnConstruction?: boolean;
  /**
   * A framework object that keeps the tools it is given and runs them later (an agent executor, a compiled graph, a
   * tool node). `clientParam` is then its tools parameter; it is user-authorized when a tool in it is (a list or tuple
   * of tools counts). It calls nothing itself, so it has no needs or resources of its own, and building it at load is
   * reported on the tools, not on it.
   */
  holdsTools?: boolean;
  /** Takes `**kwargs` or its signature is not known (in-house rows): other credential keywords are not reported. */
  openKeywords?: boolean;
  doc: string;
}

/** An MLflow auth-policy class: the keyword its declarations go in, and the wrong ones people write. */
export interface PolicyRow {
  id: string;
  callees: string[];
  keyword: string;
  wrongKeywords: Record<string, string>;
  doc: string;
}

/** A method called on a client of some kind, e.g. `w.serving_endpoints.query(...)`. */
export interface MethodRow {
  id: string;
  clientKind: ClientKind;
  /** Attribute path after the client, `*` as the last part matches any method: `genie.*`. */
  path: string;
  needs: ScopeNeeds;
  resources?: ResourceNeed[];
  /** What it returns keeps calling as the same client (`get_index` gives an index that queries as its client). */
  returnsClient?: boolean;
  doc: string;
}

/** A managed MCP server URL path and the scopes and resources it needs. */
export interface McpPathRow {
  kind: string;
  /** Regex over the URL path (from `/api/`), `[^/]+` segments. */
  pattern: string;
  /** The path as people write it, for messages: `/api/2.0/mcp/genie/{space_id}`. */
  form: string;
  needs: ScopeNeeds;
  /** Resource per capture group: the first capture group is the resource name. */
  resource?: string;
  doc: string;
}

/** An MLflow resource class usable in `resources=[...]` / `SystemAuthPolicy(resources=[...])`. */
export interface ResourceRow {
  name: string;
  /** The constructor's first parameter. */
  param: string;
  /** The MLmodel resource type. */
  type: string;
}

/** An API that does not exist, with what to use instead. */
export interface MissingApiRow {
  name: string;
  replacement: string;
  why: string;
  /**
   * The name is a wrong path (or spelling) for the replacement itself, so the code is analysed as meaning it: an
   * init-time client behind a misspelt credential import is still found. Unset when the replacement is another API
   * that the author may not have meant (`databricks_openai.GenieAgent`).
   */
  meant?: boolean;
}

/** A legacy import path for a name that has a current one. */
export interface LegacyImportRow {
  legacy: string;
  current: string;
  why: string;
}

/** A `log_model` function and the argument that names the model (a path for models from code). */
export interface LogModelRow {
  name: string;
  model: ArgRef;
}

/**
 * MLflow's logging surface: the modules fixes import the policy and resource classes from, and the keywords
 * `log_model`, `AuthPolicy`, `UserAuthPolicy` and `SystemAuthPolicy` take (obo-facts §4a, §4c).
 */
export interface MlflowLogging {
  authPolicyModule: string;
  resourcesModule: string;
  /** `log_model(auth_policy=...)` and `log_model(resources=...)`, mutually exclusive. */
  authPolicyKeyword: string;
  resourcesKeyword: string;
  /** The model argument of a log_model function `logModelFunctions` does not list. */
  defaultModelKeyword: string;
  /** `AuthPolicy(user_auth_policy=..., system_auth_policy=...)`. */
  userPolicyArg: ArgRef;
  systemPolicyArg: ArgRef;
  /** `UserAuthPolicy(api_scopes=[...])` and `SystemAuthPolicy(resources=[...])`. */
  scopesArg: ArgRef;
  systemResourcesArg: ArgRef;
}

/** The whole catalog. Adding a Databricks tool is adding a row to one of these lists. */
export interface Catalog {
  scopes: ScopeRow[];
  rejectedScopes: RejectedScopeRow[];
  userClients: UserClientRow[];
  consumers: ConsumerRow[];
  methods: MethodRow[];
  mcpPaths: McpPathRow[];
  resources: ResourceRow[];
  missingApis: MissingApiRow[];
  legacyImports: LegacyImportRow[];
  /** Base classes whose subclasses are agents. */
  agentBases: string[];
  /** Method names that run per request, and those that run while the agent loads. */
  requestMethods: string[];
  initMethods: string[];
  /** Decorators whose function results outlive a request. */
  cachingDecorators: string[];
  /** `log_model` functions whose model argument (the agent file) and `auth_policy` / `resources` are read. */
  logModelFunctions: LogModelRow[];
  mlflow: MlflowLogging;
  setModelFunctions: string[];
  authPolicyClass: string[];
  userAuthPolicyClass: string[];
  systemAuthPolicyClass: string[];
  /** Wrong keywords of the policy classes (`UserAuthPolicy(scopes=...)`). */
  policies: PolicyRow[];
  /**
   * Keywords that carry a credential or a client. A known construct given one it does not take (see
   * `credentialKeyword`, `configKeyword`, `clientParam`) is told which one it takes, unless the row has `openKeywords`.
   */
  credentialKeywords: string[];
  /**
   * Keywords with which a client carries credentials of its own (a PAT, a service principal's secret): it runs neither
   * as the user nor with the agent's automatic passthrough, so it needs no scope and no declared resource.
   */
  ownCredentialKeywords: string[];
}
