"""Logs and registers the support agent with on-behalf-of-user scopes."""
import mlflow
from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy
from mlflow.models.resources import DatabricksServingEndpoint

from agent import LLM_ENDPOINT_NAME

system_policy = SystemAuthPolicy(resources=[DatabricksServingEndpoint(endpoint_name=LLM_ENDPOINT_NAME)])
user_policy = UserAuthPolicy(api_scopes=["serving.serving-endpoints"])

with mlflow.start_run():
    info = mlflow.pyfunc.log_model(
        name="agent",
        python_model="agent.py",
        pip_requirements=["mlflow", "databricks-langchain", "databricks-ai-bridge", "databricks-sdk"],
        auth_policy=AuthPolicy(system_auth_policy=system_policy, user_auth_policy=user_policy),
    )

mlflow.set_registry_uri("databricks-uc")
mlflow.register_model(info.model_uri, "main.support.sales_agent")
