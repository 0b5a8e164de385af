"""A ResponsesAgent-shaped agent that needs no packages: it asks the workspace who is calling, then echoes."""
import json
import os
import urllib.request


def current_user():
    """The user the credentials in the environment belong to (Test-Invoke passes the selected profile's)."""
    host = os.environ.get("DATABRICKS_HOST", "")
    if not host:
        return "nobody"
    req = urllib.request.Request(host.rstrip("/") + "/api/2.0/preview/scim/v2/Me")
    req.add_header("Authorization", "Bearer " + os.environ.get("DATABRICKS_TOKEN", ""))
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["userName"]


class EchoAgent:
    def predict_stream(self, request):
        said = request["input"][-1]["content"]
        user = current_user()
        for piece in ["Echo for ", user, ": ", said]:
            yield {"type": "response.output_text.delta", "item_id": "m1", "delta": piece}
        text = "Echo for %s: %s" % (user, said)
        yield {
            "type": "response.output_item.done",
            "item": {"type": "message", "id": "m1", "role": "assistant", "content": [{"type": "output_text", "text": text}]},
        }


AGENT = EchoAgent()
