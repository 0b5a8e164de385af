// User-authorized client constructions: what builds a client that acts as the requesting user (obo-facts.md §3).
import type { Catalog } from '../types';
import { MSUC, VS_STRATEGY } from './names';

export const CLIENTS: Pick<Catalog, 'userClients'> = {
  userClients: [
    {
      id: 'workspace-client',
      callees: ['databricks.sdk.WorkspaceClient'],
      clientKind: 'workspace',
      credentialKeyword: 'credentials_strategy',
      credentialValues: MSUC,
      wrongKeywords: {
        credential_strategy:
          '`WorkspaceClient` has no `credential_strategy` parameter (that is `VectorSearchClient`): TypeError',
        credentials_provider: '`credentials_provider` is the deprecated alias of `credentials_strategy`',
      },
      configKeyword: 'config',
      doc: 'Databricks SDK client; with `ModelServingUserCredentials` it acts as the user who queries the agent.',
    },
    {
      id: 'sdk-config',
      callees: ['databricks.sdk.core.Config', 'databricks.sdk.config.Config', 'databricks.sdk.Config'],
      clientKind: 'config',
      credentialKeyword: 'credentials_strategy',
      credentialValues: MSUC,
      wrongKeywords: {
        credential_strategy: '`Config` has no `credential_strategy` parameter: use `credentials_strategy`',
      },
      doc: 'SDK configuration carrying user credentials; a `WorkspaceClient(config=...)` built on it is a user client.',
    },
    {
      id: 'vector-search-client',
      callees: [
        'databricks.vector_search.client.VectorSearchClient',
        'databricks.ai_search.client.VectorSearchClient',
        'databricks.ai_search.client.AISearchClient',
      ],
      clientKind: 'vectorSearch',
      credentialKeyword: 'credential_strategy',
      credentialValues: VS_STRATEGY,
      wrongKeywords: {
        credentials_strategy:
          '`VectorSearchClient` takes `credential_strategy` (singular); `credentials_strategy` is ignored or rejected',
      },
      doc: 'Vector Search client; with `CredentialStrategy.MODEL_SERVING_USER_CREDENTIALS` it acts as the user.',
    },
  ],
};
