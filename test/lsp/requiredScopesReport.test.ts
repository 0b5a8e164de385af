// Tests the "Show Required Scopes" markdown, rendered from a real obo/agentReports answer of the two-file project.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderRequiredScopes } from '../../client/src/requiredScopesReport';
import type { AgentReportsResult } from '../../shared/protocol';
import { removeWorkspace, tempWorkspace } from './lspHelpers';
import { LspTestClient, uriOf } from './lspTestClient';

describe('required scopes report', () => {
  let dir: string;
  let client: LspTestClient;
  let markdown: string;

  before(async () => {
    dir = tempWorkspace('two-file');
    client = await LspTestClient.start({ folder: dir });
    await client.ready();
    const result = (await client.connection.sendRequest('obo/agentReports', {
      uri: uriOf(path.join(dir, 'agent.py')),
    })) as AgentReportsResult;
    markdown = renderRequiredScopes(result, {
      target: (loc) => `${uriOf(loc.file)}#L${loc.range.start.line + 1}`,
      label: (file) => path.relative(dir, file),
    });
  });
  after(async () => {
    await client.stop();
    removeWorkspace(dir);
  });

  it('names the agent and says it acts on behalf of the user', () => {
    assert.match(markdown, /^# Required scopes — agent\.py$/m);
    assert.match(
      markdown,
      /Agent: `SpaceAgent` \(ResponsesAgent\) in \[agent\.py:\d+\]\(file:\/\/.*agent\.py#L\d+\)\./,
    );
    assert.match(markdown, /acts \*\*on behalf of the user\*\*/);
  });

  it('lists each needed scope with why and where', () => {
    assert.match(markdown, /\| `dashboards\.genie` \| required \| .+ \| \[agent\.py:15\]\(.+#L15\) \|/);
    assert.match(
      markdown,
      /\| `serving\.serving-endpoints` \| required \| .+ \| \[agent\.py:16\]\(.+#L16\) \|/,
    );
  });

  it('shows what each log site declares, misses and would add', () => {
    assert.match(markdown, /### \[driver\.py:6\]\(.+\) — `log_model`/);
    assert.match(markdown, /- \*\*Declared:\*\* `dashboards\.genie` \(\[driver\.py:10\]/);
    assert.match(
      markdown,
      /- \*\*Missing:\*\* `serving\.serving-endpoints` — the quick fix adds `serving\.serving-endpoints`/,
    );
    assert.match(markdown, /- \*\*State:\*\* needs attention/);
  });

  it('ends with the findings of the linked files', () => {
    assert.match(markdown, /## Findings in the linked files/);
    assert.match(markdown, /\*\*OBO201\*\* \(error\)/);
  });
});
