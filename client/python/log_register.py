"""Deploy step 2: log the agent file with MLflow (models from code, OBO auth policy) and register it in Unity Catalog.

Reads a JSON request on stdin, prints {"progress"}, then {"result": {model_uri, run_id, version, experiment_id}}
or {"error", "traceback"} as JSON lines. Credentials come from DATABRICKS_HOST / DATABRICKS_TOKEN in the environment.
"""
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _protocol import emit, read_request  # noqa: E402

# MLflow resource class -> its name keyword (mlflow.models.resources).
RESOURCE_ARGS = {
    "DatabricksServingEndpoint": "endpoint_name",
    "DatabricksVectorSearchIndex": "index_name",
    "DatabricksSQLWarehouse": "warehouse_id",
    "DatabricksFunction": "function_name",
    "DatabricksGenieSpace": "genie_space_id",
    "DatabricksTable": "table_name",
    "DatabricksUCConnection": "connection_name",
    "DatabricksApp": "app_name",
    "DatabricksLakebase": "database_instance_name",
}


def build_auth_policy(req):
    from mlflow.models import resources as mr
    from mlflow.models.auth_policy import AuthPolicy, SystemAuthPolicy, UserAuthPolicy

    resources = []
    for r in req.get("resources") or []:
        cls = getattr(mr, r.get("resource", ""), None)
        arg = RESOURCE_ARGS.get(r.get("resource", ""))
        if cls is None or arg is None or not r.get("name"):
            emit({"progress": "skipping resource %s (unknown class or name)" % r.get("resource")})
            continue
        resources.append(cls(**{arg: r["name"]}))
    scopes = req.get("user_scopes") or []
    if not resources and not scopes:
        return None
    # log_model rejects `resources` together with `auth_policy`: resources go inside SystemAuthPolicy.
    return AuthPolicy(
        system_auth_policy=SystemAuthPolicy(resources=resources) if resources else None,
        user_auth_policy=UserAuthPolicy(api_scopes=scopes) if scopes else None,
    )


def main():
    req = read_request()
    import mlflow

    mlflow.set_tracking_uri("databricks")
    mlflow.set_registry_uri("databricks-uc")
    emit({"progress": "experiment %s" % req["experiment"]})
    experiment = mlflow.set_experiment(req["experiment"])
    policy = build_auth_policy(req)
    agent_file = os.path.abspath(req["agent_file"])
    kwargs = {"python_model": agent_file, "input_example": req.get("input_example")}
    if policy is not None:
        kwargs["auth_policy"] = policy
    with mlflow.start_run(run_name="obo-agents-deploy") as run:
        emit({"progress": "logging %s" % os.path.basename(agent_file)})
        try:
            info = mlflow.pyfunc.log_model(name="agent", **kwargs)
        except TypeError:
            # MLflow 2.x spells the artifact name `artifact_path`.
            info = mlflow.pyfunc.log_model(artifact_path="agent", **kwargs)
        emit({"progress": "registering %s" % req["model_name"]})
        mv = mlflow.register_model(info.model_uri, req["model_name"])
    emit(
        {
            "result": {
                "model_uri": info.model_uri,
                "run_id": run.info.run_id,
                "version": str(mv.version),
                "experiment_id": experiment.experiment_id,
            }
        }
    )


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # noqa: BLE001 - reported to the extension as a message
        emit({"error": "%s: %s" % (type(e).__name__, e), "traceback": traceback.format_exc()})
        sys.exit(1)
