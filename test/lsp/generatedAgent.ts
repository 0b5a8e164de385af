// Generates a realistic agent file of a given size (helpers, tools, predict building the user client, log_model).

/**
 * A ResponsesAgent module of about `lines` lines: many helper functions and methods (plain Python the analyser
 * must still walk), a predict that builds the user client, and a log site with one scope missing. With `inClass`
 * the helpers are methods of one large class, as in agents that keep their tools on a class.
 */
export function generatedAgent(lines: number, options: { inClass?: boolean } = {}): string {
  const inClass = options.inClass === true;
  const head = [
    '"""Generated agent for latency and budget tests."""',
    'import json',
    'import mlflow',
    'from databricks.sdk import WorkspaceClient',
    'from databricks_ai_bridge import ModelServingUserCredentials',
    'from mlflow.models.auth_policy import AuthPolicy, UserAuthPolicy',
    'from mlflow.pyfunc import ResponsesAgent',
    '',
    'SPACE = "01f0c0ffee0000000000000000000000"',
    'ENDPOINT = "databricks-claude-sonnet-4"',
    '',
  ];
  const tail = [
    '',
    '',
    'class Agent(ResponsesAgent):',
    '    def predict(self, request):',
    '        client = WorkspaceClient(credentials_strategy=ModelServingUserCredentials())',
    `        answer = client.genie.start_conversation_and_wait(SPACE, ${inClass ? 'Helpers().' : ''}helper_0(str(request)))`,
    '        return client.serving_endpoints.query(name=ENDPOINT, input=str(answer))',
    '',
    '',
    'mlflow.models.set_model(Agent())',
    'mlflow.pyfunc.log_model(',
    '    name="agent",',
    '    python_model="agent.py",',
    '    auth_policy=AuthPolicy(user_auth_policy=UserAuthPolicy(api_scopes=["dashboards.genie"])),',
    ')',
  ];
  const body: string[] = inClass ? ['', '', 'class Helpers:'] : [];
  const pad = inClass ? '    ' : '';
  let i = 0;
  while (head.length + body.length + tail.length < lines) {
    // (Two blank lines between top-level functions, one between methods.)
    body.push(
      ...(inClass ? [''] : ['', '']),
      ...[
        `def helper_${i}(${inClass ? 'self, ' : ''}text, limit=${i + 10}):`,
        `    """Helper ${i}: trims and tags the text."""`,
        '    parts = [p.strip() for p in text.split(",") if p]',
        `    if len(parts) > limit:`,
        '        parts = parts[:limit]',
        `    data = {"id": ${i}, "parts": parts, "size": sum(len(p) for p in parts)}`,
        '    return json.dumps(data)',
      ].map((l) => pad + l),
    );
    i++;
  }
  return [...head, ...body, ...tail].join('\n') + '\n';
}

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '"': '"', "'": "'" };

/** A range in a document (LSP positions). */
export interface TypedChange {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  text: string;
}

/**
 * The changes VS Code sends while `typed` is typed at (line, 0) with its default auto-closing of brackets and quotes:
 * an opener inserts the pair, typing over the auto-inserted closer sends nothing.
 */
export function typingChanges(line: number, typed: string): TypedChange[] {
  const out: TypedChange[] = [];
  const pending: string[] = [];
  for (let column = 0; column < typed.length; column++) {
    const ch = typed[column];
    if (pending[pending.length - 1] === ch) {
      pending.pop();
      continue;
    }
    const at = { line, character: column };
    const closer = CLOSERS[ch];
    out.push({ range: { start: at, end: at }, text: closer ? ch + closer : ch });
    if (closer) {
      pending.push(closer);
    }
  }
  return out;
}
