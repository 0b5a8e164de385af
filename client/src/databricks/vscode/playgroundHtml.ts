// The Agent Playground webview page: chat, streamed reply, collapsible tool steps, linked tracebacks, stop, JSON links.

/** Builds the page; all agent text is inserted with textContent, never as HTML. */
export function playgroundHtml(nonce: string, cspSource: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Agent Playground</title>
<style nonce="${nonce}">
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); margin: 0; display: flex; flex-direction: column; height: 100vh; }
  header { padding: 8px 12px; border-bottom: 1px solid var(--vscode-panel-border); display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 1.1em; margin: 0; }
  header .sub { opacity: 0.8; flex: 1; }
  #log { flex: 1; overflow-y: auto; padding: 8px 12px; }
  .turn { margin-bottom: 14px; }
  .user { background: var(--vscode-editor-inactiveSelectionBackground); padding: 6px 10px; border-radius: 6px; white-space: pre-wrap; }
  .assistant { padding: 6px 10px; white-space: pre-wrap; }
  .status { opacity: 0.7; font-style: italic; font-size: 0.9em; }
  details.tool { border-left: 3px solid var(--vscode-textLink-foreground); margin: 4px 0; padding: 2px 8px; }
  details.tool pre, pre.tb { white-space: pre-wrap; margin: 4px 0; font-family: var(--vscode-editor-font-family); font-size: 0.9em; }
  .error { color: var(--vscode-errorForeground); border-left: 3px solid var(--vscode-errorForeground); padding: 4px 8px; white-space: pre-wrap; }
  .meta { font-size: 0.85em; opacity: 0.8; margin-top: 4px; display: flex; gap: 10px; flex-wrap: wrap; }
  a { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; }
  a:hover { text-decoration: underline; }
  footer { border-top: 1px solid var(--vscode-panel-border); padding: 8px 12px; display: flex; flex-direction: column; gap: 6px; }
  textarea { width: 100%; box-sizing: border-box; font-family: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); padding: 4px; resize: vertical; }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 4px 12px; cursor: pointer; }
  button.secondary { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); }
  button:disabled { opacity: 0.5; cursor: default; }
  .hidden { display: none; }
</style>
</head>
<body>
<header><h1 id="title">Agent Playground</h1><span class="sub" id="subtitle"></span><button class="secondary hidden" id="runAs">Invoke as profile…</button></header>
<div id="log" role="log" aria-live="polite"></div>
<footer>
  <textarea id="input" rows="3" placeholder="Message the agent (Ctrl+Enter to send)"></textarea>
  <details><summary>custom_inputs (JSON)</summary><textarea id="custom" rows="2" placeholder='{"key": "value"}'></textarea></details>
  <div class="row">
    <button id="send">Send</button><button class="secondary" id="stop" disabled>Stop</button><button class="secondary" id="clear">Clear conversation</button>
    <label class="endpoint-only"><input type="checkbox" id="stream" checked> stream</label>
    <label class="endpoint-only"><input type="checkbox" id="trace" checked> return trace</label>
  </div>
</footer>
<script nonce="${nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const log = $('log');
  const turns = new Map();
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
  const link = (text, onClick) => { const a = el('a', '', text); a.href = '#'; a.addEventListener('click', (ev) => { ev.preventDefault(); onClick(); }); return a; };
  const scroll = () => { log.scrollTop = log.scrollHeight; };

  function turnView(n, text) {
    const root = el('div', 'turn');
    root.appendChild(el('div', 'user', text));
    const body = el('div', 'assistant');
    const status = el('div', 'status', 'running…');
    const meta = el('div', 'meta');
    meta.appendChild(link('{ } request', () => vscode.postMessage({ type: 'showJson', turn: n, which: 'request' })));
    meta.appendChild(link('{ } response', () => vscode.postMessage({ type: 'showJson', turn: n, which: 'response' })));
    root.append(status, body, meta);
    log.appendChild(root);
    const t = { root, body, status, meta, texts: new Map(), tools: new Map() };
    turns.set(n, t);
    scroll();
    return t;
  }

  function textBlock(t, id) {
    let b = t.texts.get(id);
    if (!b) { b = el('div'); t.texts.set(id, b); t.body.appendChild(b); }
    return b;
  }

  function apply(t, e) {
    switch (e.type) {
      case 'status': t.status.textContent = e.message; break;
      case 'request': if (e.detail) t.status.textContent = e.detail; break;
      case 'text': { const b = textBlock(t, e.itemId); b.textContent += e.delta; break; }
      case 'message': textBlock(t, e.itemId).textContent = e.text; break;
      case 'toolCall': {
        const d = el('details', 'tool');
        d.appendChild(el('summary', '', '🔧 ' + e.name + '(' + (e.arguments.length > 60 ? e.arguments.slice(0, 60) + '…' : e.arguments) + ')'));
        d.appendChild(el('pre', '', 'arguments: ' + e.arguments));
        const out = el('pre', '', 'result: (pending)');
        d.appendChild(out);
        t.tools.set(e.callId, out);
        t.body.appendChild(d);
        break;
      }
      case 'toolResult': {
        let out = t.tools.get(e.callId);
        if (!out) { const d = el('details', 'tool'); d.appendChild(el('summary', '', '🔧 result')); out = el('pre'); d.appendChild(out); t.body.appendChild(d); }
        out.textContent = 'result: ' + e.output;
        break;
      }
      case 'customOutputs': t.meta.appendChild(el('span', '', 'custom_outputs: ' + JSON.stringify(e.value))); break;
      case 'trace': {
        const info = (e.trace && e.trace.info) || {};
        const spans = (e.trace && e.trace.data && e.trace.data.spans) || [];
        t.meta.appendChild(el('span', '', 'trace ' + (info.trace_id || '?') + ' · ' + (info.state || '?') + ' · ' + spans.length + ' spans'));
        break;
      }
      case 'error': {
        const box = el('div', 'error', e.message);
        if (e.frames && e.frames.length) {
          const list = el('div');
          for (const f of e.frames) {
            const row = el('div');
            row.appendChild(link(f.file + ':' + f.line, () => vscode.postMessage({ type: 'openFrame', file: f.file, line: f.line })));
            if (f.name) row.appendChild(el('span', '', ' in ' + f.name));
            list.appendChild(row);
          }
          box.appendChild(list);
        }
        if (e.traceback) { const d = el('details'); d.appendChild(el('summary', '', 'Python traceback')); d.appendChild(el('pre', 'tb', e.traceback)); box.appendChild(d); }
        t.body.appendChild(box);
        break;
      }
      case 'done': {
        const parts = [];
        if (e.requestId) parts.push('request id ' + e.requestId);
        if (e.servedModel) parts.push('served by ' + e.servedModel);
        if (e.elapsedMs !== undefined) parts.push(e.elapsedMs + ' ms');
        if (parts.length) t.meta.appendChild(el('span', '', parts.join(' · ')));
        break;
      }
    }
    scroll();
  }

  function send() {
    const text = $('input').value;
    if (!text.trim()) return;
    vscode.postMessage({ type: 'send', text, customInputs: $('custom').value });
    $('input').value = '';
  }
  $('send').addEventListener('click', send);
  $('input').addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); send(); } });
  $('stop').addEventListener('click', () => vscode.postMessage({ type: 'stop' }));
  $('clear').addEventListener('click', () => vscode.postMessage({ type: 'clear' }));
  $('runAs').addEventListener('click', () => vscode.postMessage({ type: 'runAs' }));
  const opts = () => vscode.postMessage({ type: 'options', stream: $('stream').checked, returnTrace: $('trace').checked });
  $('stream').addEventListener('change', opts);
  $('trace').addEventListener('change', opts);

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    switch (m.type) {
      case 'init':
        $('title').textContent = m.title;
        $('subtitle').textContent = m.subtitle;
        $('runAs').classList.toggle('hidden', !m.canRunAs);
        for (const x of document.querySelectorAll('.endpoint-only')) x.classList.toggle('hidden', m.mode !== 'endpoint');
        $('stream').checked = m.options.stream;
        $('trace').checked = m.options.returnTrace;
        break;
      case 'turnStart': turnView(m.turn, m.text); break;
      case 'event': { const t = turns.get(m.turn); if (t) apply(t, m.event); break; }
      case 'turnEnd': { const t = turns.get(m.turn); if (t) t.status.textContent = m.ok ? '' : 'not completed'; break; }
      case 'busy': $('send').disabled = m.busy; $('stop').disabled = !m.busy; break;
      case 'cleared': turns.clear(); log.textContent = ''; break;
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
</script>
</body>
</html>`;
}
