"""JSON-lines protocol shared by the scripts the extension runs: messages on the real stdout, prints on stderr."""
import json
import os
import sys

# Agent and library code may print; only our messages may reach the extension's stdout reader.
_out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
sys.stdout = sys.stderr


def emit(obj):
    """Writes one message as a JSON line (non-JSON values become strings)."""
    _out.write(json.dumps(obj, default=str) + "\n")
    _out.flush()


def read_request():
    return json.loads(sys.stdin.read() or "{}")
