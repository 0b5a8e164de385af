"""Logs, registers and deploys the sales agent (run it in a Databricks notebook or job)."""

import os

import mlflow
from agent import LLM_ENDPOINT_NAME
from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy
from mlflow.models.resources import DatabricksServingEndpoint

UC_MODEL_NAME = "main.sales.sales_agent"

resources = [DatabricksServingEndpoint(endpoint_name=LLM_ENDPOINT_NAME)]
user_policy = UserAuthPolicy(
    api_scopes=[
        "model-serving",
        "sql",
        "dashboard.genie",
    ]
)

with mlflow.start_run():
    logged = mlflow.pyfunc.log_model(
        name="sales_agent",
        python_model=os.path.join(os.path.dirname(__file__), "agent.py"),
        resources=resources,
        auth_policy=AuthPolicy(user_auth_policy=user_policy),
        input_example={"input": [{"role": "user", "content": "How did my region do last quarter?"}]},
        pip_requirements=["mlflow", "databricks-langchain", "langgraph-supervisor", "databricks-sdk"],
    )

mlflow.set_registry_uri("databricks-uc")
registered = mlflow.register_model(logged.model_uri, UC_MODEL_NAME)

if __name__ == "__main__":
    from databricks import agents

    agents.deploy(UC_MODEL_NAME, registered.version)
