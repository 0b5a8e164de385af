"""Sales assistant: a LangGraph supervisor that answers from a Genie space on behalf of the user who asks.

This file is a lint demo: it carries the OBO mistakes people make most often (see README.md next to it).
"""

from typing import Generator
from uuid import uuid4

import mlflow
from databricks.sdk import WorkspaceClient
from databricks.sdk.credentials_provider import ModelServingUserCredentials
from databricks_langchain import ChatDatabricks
from databricks_langchain.genie import GenieAgent
from langgraph_supervisor import create_supervisor
from mlflow.pyfunc import ResponsesAgent
from mlflow.types.responses import (
    ResponsesAgentRequest,
    ResponsesAgentResponse,
    ResponsesAgentStreamEvent,
)

LLM_ENDPOINT_NAME = "databricks-claude-sonnet-4"
GENIE_SPACE_ID = "01f000e7c3141060b962a5b99f980efd"
WAREHOUSE_ID = "4b9f0c3e8a1d2f57"

SUPERVISOR_PROMPT = "You answer questions about sales. Use the Genie agent for numbers."

# The chat model runs with the agent's own credentials (system auth): its endpoint must be declared as a resource.
llm = ChatDatabricks(endpoint=LLM_ENDPOINT_NAME)


class SalesAgent(ResponsesAgent):
    def __init__(self):
        # Built while the agent loads: there is no user yet.
        self.client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

    def _supervisor(self):
        genie = GenieAgent(
            genie_space_id=GENIE_SPACE_ID,
            genie_agent_name="sales_genie",
            description="Answers questions about sales figures.",
            workspace_client=self.client,
        )
        return create_supervisor([genie], model=llm, prompt=SUPERVISOR_PROMPT).compile()

    def _region_of(self, user_email: str) -> str:
        # Looks the user's region up with the user's own permissions.
        result = self.client.statement_execution.execute_statement(
            warehouse_id=WAREHOUSE_ID,
            statement=f"SELECT region FROM main.sales.reps WHERE email = '{user_email}'",
        )
        return result.result.data_array[0][0]

    def predict(self, request: ResponsesAgentRequest) -> ResponsesAgentResponse:
        outputs = [
            event.item
            for event in self.predict_stream(request)
            if event.type == "response.output_item.done"
        ]
        return ResponsesAgentResponse(output=outputs, custom_outputs=request.custom_inputs)

    def predict_stream(self, request: ResponsesAgentRequest) -> Generator[ResponsesAgentStreamEvent, None, None]:
        me = self.client.current_user.me()
        region = self._region_of(me.user_name)
        messages = [{"role": "system", "content": f"The user works in {region}."}]
        messages += [i.model_dump() for i in request.input]
        for _, events in self._supervisor().stream({"messages": messages}, stream_mode=["updates"]):
            for node in events.values():
                for msg in node.get("messages", []):
                    yield ResponsesAgentStreamEvent(
                        type="response.output_item.done",
                        item=self.create_text_output_item(text=msg.content, id=str(uuid4())),
                    )


AGENT = SalesAgent()
mlflow.models.set_model(AGENT)
