// Report shapes the project exposes beside findings: what an agent needs and what its log sites declare (hover, code lens, deploy plan).
import type { Location } from './findings';

/** One reason the agent needs a scope: a construct or call on a user-authorized client. */
export interface ScopeNeed {
  /** Documented-family scope name, e.g. `dashboards.genie`. */
  scope: string;
  /** `required`: a call fails without it; `mayUse`: the construct may call it (an embedding endpoint...). */
  required: boolean;
  /** `unconfirmed` needs are never reported as errors. */
  confidence: 'confirmed' | 'unconfirmed';
  /** Human words: "`GenieAgent(client=<user client>)` asks Genie space `01f0...`". */
  because: string;
  location: Location;
}

/** A system-auth resource the agent uses and must declare. */
export interface ResourceNeed {
  /** MLflow class, e.g. `DatabricksServingEndpoint`. */
  resource: string;
  /** Its name when it resolves statically. */
  name?: string;
  because: string;
  location: Location;
}

export interface DeclaredScope {
  value: string;
  location: Location;
}

export interface DeclaredResource {
  resource: string;
  name?: string;
  location: Location;
}

/** What one `log_model(...)` call declares for an agent, compared with what the agent needs. */
export interface LogSiteReport {
  /** The `log_model` call. */
  location: Location;
  /** Declared scopes; undefined when there is no `UserAuthPolicy`. */
  declaredScopes?: DeclaredScope[];
  /** The `api_scopes=[...]` list literal, when written as one. */
  scopesList?: Location;
  /** `resources=` or `SystemAuthPolicy(resources=...)` entries; undefined when neither is given. */
  declaredResources?: DeclaredResource[];
  missing: string[];
  unused: string[];
  unknown: string[];
  /** The strings a fix would add, in the author's naming family. */
  toAdd: string[];
}

/** One agent module and everything the analyser knows about its OBO use. */
export interface AgentReport {
  /** The agent module's path (a real file, or the target of a `%%writefile` cell). */
  path: string;
  /** The agent class (or the module when there is none). */
  location: Location;
  /** `ResponsesAgent`, `ChatAgent`, `ChatModel`, `PythonModel`, or undefined when unknown. */
  agentKind?: string;
  className?: string;
  needs: ScopeNeed[];
  resources: ResourceNeed[];
  logSites: LogSiteReport[];
  /** True when the agent builds at least one user-authorized client. */
  usesUserAuth: boolean;
}
