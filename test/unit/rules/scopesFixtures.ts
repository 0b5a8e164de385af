// Agent and driver texts the scope rule tests build on.
import { py } from '../helpers';

/** A Genie agent acting as the user, plus a system-auth chat model. */
export const GENIE_AGENT = py`
  import mlflow
  from databricks.sdk import WorkspaceClient
  from databricks_ai_bridge import ModelServingUserCredentials
  from databricks_langchain import ChatDatabricks, GenieAgent
  from mlflow.pyfunc import ResponsesAgent

  LLM_ENDPOINT_NAME = "databricks-claude-sonnet-4"
  GENIE_SPACE_ID = "01f0c0ffee"
  llm = ChatDatabricks(endpoint=LLM_ENDPOINT_NAME)

  class Agent(ResponsesAgent):
      def predict(self, request):
          client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
          genie = GenieAgent(GENIE_SPACE_ID, client=client)
          return genie.invoke(request)

  mlflow.models.set_model(Agent())
`;

/** A logging script for agent.py with the given api_scopes list text. */
export function driver(scopes: string, extra = ''): string {
  return py`
    import mlflow
    from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
    from mlflow.models.resources import DatabricksServingEndpoint

    with mlflow.start_run():
        mlflow.pyfunc.log_model(
            name="agent",
            python_model="agent.py",${extra}
            auth_policy=AuthPolicy(
                system_auth_policy=SystemAuthPolicy(
                    resources=[DatabricksServingEndpoint(endpoint_name="databricks-claude-sonnet-4")]
                ),
                user_auth_policy=UserAuthPolicy(api_scopes=${scopes}),
            ),
        )
  `;
}

/** Agent whose predict runs `body` on a user client `w`. */
export function userAgent(body: string, imports = ''): string {
  return py`
    import mlflow
    from databricks.sdk import WorkspaceClient
    from databricks_ai_bridge import ModelServingUserCredentials
    from mlflow.pyfunc import ResponsesAgent
    ${imports}
    class Agent(ResponsesAgent):
        def predict(self, request):
            w = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
            ${body}

    mlflow.models.set_model(Agent())
  `;
}
