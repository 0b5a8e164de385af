"""Support agent: answers sales questions from a Genie space, as the calling user."""
from typing import Generator
from uuid import uuid4

import mlflow
from databricks.sdk import WorkspaceClient
from databricks_ai_bridge import ModelServingUserCredentials
from databricks_langchain import ChatDatabricks
from databricks_langchain.genie import GenieAgent
from mlflow.pyfunc import ResponsesAgent
from mlflow.types.responses import (
    ResponsesAgentRequest,
    ResponsesAgentResponse,
    ResponsesAgentStreamEvent,
)

LLM_ENDPOINT_NAME = "databricks-claude-sonnet-4"
GUARD_ENDPOINT_NAME = "sales-guardrail"
GENIE_SPACE_ID = "01f0c0ffee5ales"


class SupportAgent(ResponsesAgent):
    def __init__(self):
        self.llm = ChatDatabricks(endpoint=LLM_ENDPOINT_NAME)
        self.workspace = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())

    def predict(self, request: ResponsesAgentRequest) -> ResponsesAgentResponse:
        user_client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())
        genie = GenieAgent(GENIE_SPACE_ID, genie_agent_name="Sales", client=user_client)
        question = request.input[-1].content
        user_client.serving_endpoints.query(name=GUARD_ENDPOINT_NAME, inputs=[question])
        answer = genie.invoke({"messages": [{"role": "user", "content": question}]})
        text = self.llm.invoke(f"Answer politely: {answer['messages'][-1].content}").content
        return ResponsesAgentResponse(output=[self.create_text_output_item(text, str(uuid4()))])

    def predict_stream(self, request: ResponsesAgentRequest) -> Generator[ResponsesAgentStreamEvent, None, None]:
        response = self.predict(request)
        for item in response.output:
            yield ResponsesAgentStreamEvent(type="response.output_item.done", item=item)


AGENT = SupportAgent()
mlflow.models.set_model(AGENT)
