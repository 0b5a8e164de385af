"""Test-invoke harness: loads an agent module, finds its agent, calls it in its own request shape, streams JSON lines.

stdin: {"file", "source"?, "kind"?: "responses"|"chat", "messages": [{role, content}], "custom_inputs"?}
stdout (one JSON object per line): {"event": "status"|"request"|"chunk"|"result"|"error"|"done", ...}
The agent's own prints go to stderr. Credentials, if any, are in the environment (DATABRICKS_HOST/TOKEN).
"""
import dataclasses
import importlib.util
import os
import sys
import time
import traceback
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _protocol import emit, read_request  # noqa: E402

_HERE = os.path.dirname(os.path.abspath(__file__))
_captured = []


def jsonable(obj):
    """Pydantic models, dataclasses, dicts, lists and primitives as plain JSON values."""
    if hasattr(obj, "model_dump"):
        return jsonable(obj.model_dump(exclude_none=True))
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [jsonable(v) for v in obj]
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    return str(obj)


def capture_set_model():
    """Wraps mlflow.models.set_model, when MLflow (or a shim) is importable, to learn the agent object."""
    try:
        import mlflow.models as mm
    except Exception:  # noqa: BLE001 - no MLflow: the module may still define AGENT
        return
    original = getattr(mm, "set_model", None)

    def set_model(model):
        _captured.append(model)
        if original is not None:
            try:
                return original(model)
            except Exception:  # noqa: BLE001 - registering is MLflow's business, not the harness's
                return None

    mm.set_model = set_model


def load_module(path, source):
    directory = os.path.dirname(os.path.abspath(path))
    if directory not in sys.path:
        sys.path.insert(0, directory)
    name = "__obo_agent__"
    if source is None:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module
    # A %%writefile cell not yet written to disk: run its text as if it were the file.
    module = types.ModuleType(name)
    module.__file__ = os.path.abspath(path)
    sys.modules[name] = module
    exec(compile(source, os.path.abspath(path), "exec"), module.__dict__)
    return module


def agent_kind(agent, requested):
    names = [c.__name__ for c in type(agent).__mro__]
    if "ResponsesAgent" in names:
        return "responses"
    if "ChatAgent" in names:
        return "chat"
    return requested or "responses"


def typed_responses_request(req):
    try:
        from mlflow.types.responses import ResponsesAgentRequest

        return ResponsesAgentRequest(**req)
    except Exception:  # noqa: BLE001 - no MLflow types: plain dicts
        return req


def typed_chat_messages(messages):
    try:
        from mlflow.types.agent import ChatAgentMessage

        return [ChatAgentMessage(**m) for m in messages]
    except Exception:  # noqa: BLE001
        return messages


def frames_of(tb):
    out = []
    for f in traceback.extract_tb(tb):
        if os.path.abspath(f.filename).startswith(_HERE):
            continue
        out.append({"file": f.filename, "line": f.lineno, "name": f.name})
    return out


def main():
    req = read_request()
    started = time.time()
    capture_set_model()
    emit({"event": "status", "message": "loading %s" % os.path.basename(req["file"])})
    module = load_module(req["file"], req.get("source"))
    agent = _captured[-1] if _captured else getattr(module, "AGENT", None)
    if agent is None:
        raise LookupError("no agent found in %s: call mlflow.models.set_model(AGENT) or define AGENT" % req["file"])
    kind = agent_kind(agent, req.get("kind"))
    custom = req.get("custom_inputs") or {}
    streaming = callable(getattr(agent, "predict_stream", None))
    method = "predict_stream" if streaming else "predict"
    if kind == "responses":
        request = {"input": req["messages"], "custom_inputs": custom}
        emit({"event": "request", "kind": kind, "class": type(agent).__name__, "method": method, "request": request})
        typed = typed_responses_request(request)
        if streaming:
            for ev in agent.predict_stream(typed):
                emit({"event": "chunk", "data": jsonable(ev)})
        else:
            emit({"event": "result", "data": jsonable(agent.predict(typed))})
    else:
        request = {"messages": req["messages"], "custom_inputs": custom}
        emit({"event": "request", "kind": kind, "class": type(agent).__name__, "method": method, "request": request})
        messages = typed_chat_messages(req["messages"])
        if streaming:
            for chunk in agent.predict_stream(messages, None, custom):
                emit({"event": "chunk", "data": jsonable(chunk)})
        else:
            emit({"event": "result", "data": jsonable(agent.predict(messages, None, custom))})
    emit({"event": "done", "elapsed_ms": int((time.time() - started) * 1000)})


if __name__ == "__main__":
    try:
        main()
    except BaseException as e:  # noqa: BLE001 - every failure reaches the playground with its traceback
        if isinstance(e, KeyboardInterrupt):
            raise
        emit({"event": "error", "message": "%s: %s" % (type(e).__name__, e), "traceback": traceback.format_exc(), "frames": frames_of(e.__traceback__)})
        sys.exit(1)
