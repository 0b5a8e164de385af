// The "Agent Deployments" tree: agent endpoints with state, version and scopes; refreshes itself while one is updating.
import * as vscode from 'vscode';
import { health, listAgentDeployments, type DeploymentHealth, type DeploymentSummary } from '../deployments';
import type { ConnectionManager } from './connectionManager';
import type { Feature } from './ui';

type Node =
  | { kind: 'endpoint'; d: DeploymentSummary }
  | { kind: 'detail'; label: string; description?: string; icon: string }
  | { kind: 'error'; message: string };

const ICONS: Record<DeploymentHealth, [string, string | undefined]> = {
  ready: ['pass', 'testing.iconPassed'],
  updating: ['sync~spin', undefined],
  failed: ['error', 'testing.iconFailed'],
  notReady: ['circle-outline', undefined],
};

export class DeploymentsTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private timer?: NodeJS.Timeout;
  /** The last list, for commands that get an endpoint by name. */
  items: DeploymentSummary[] = [];

  constructor(
    private readonly connection: ConnectionManager,
    private readonly f: Feature,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(n: Node): vscode.TreeItem {
    if (n.kind === 'error') {
      const item = new vscode.TreeItem(n.message);
      item.iconPath = new vscode.ThemeIcon('warning');
      item.tooltip = n.message;
      item.command = { command: 'oboAgents.deployments.refresh', title: 'Retry' };
      return item;
    }
    if (n.kind === 'detail') {
      const item = new vscode.TreeItem(n.label);
      item.description = n.description;
      item.iconPath = new vscode.ThemeIcon(n.icon);
      item.tooltip = `${n.label}: ${n.description ?? ''}`;
      return item;
    }
    const d = n.d;
    const h = health(d);
    const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.Collapsed);
    const [icon, color] = ICONS[h];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.description = [
      d.version ? `v${d.version}` : undefined,
      { ready: 'ready', updating: 'updating…', failed: 'update failed', notReady: 'not ready' }[h],
    ]
      .filter(Boolean)
      .join(' · ');
    item.contextValue = `oboAgents.endpoint.${h}`;
    item.tooltip = new vscode.MarkdownString(
      `**${d.name}**\n\n- model: \`${d.model ?? '?'}\` version ${d.version ?? '?'}\n- state: ${d.ready ?? '?'} / ${d.configUpdate ?? '?'}` +
        `\n- task: ${d.task ?? '?'}\n- user scopes: ${d.scopes.length ? d.scopes.map((s) => `\`${s}\``).join(', ') : '_not recorded_'}` +
        `${d.creator ? `\n- created by ${d.creator}` : ''}`,
    );
    return item;
  }

  async getChildren(n?: Node): Promise<Node[]> {
    if (n?.kind === 'endpoint') {
      const d = n.d;
      return [
        {
          kind: 'detail',
          label: 'Model',
          description: `${d.model ?? '?'} v${d.version ?? '?'}`,
          icon: 'package',
        },
        {
          kind: 'detail',
          label: 'State',
          description: `${d.ready ?? '?'} · ${d.configUpdate ?? '?'}`,
          icon: 'pulse',
        },
        {
          kind: 'detail',
          label: 'User scopes',
          description: d.scopes.length ? d.scopes.join(', ') : 'not recorded',
          icon: 'key',
        },
      ];
    }
    if (n) {
      return [];
    }
    const c = await this.connection.get(false);
    if (!c) {
      this.items = [];
      return [];
    }
    try {
      this.items = await listAgentDeployments(c.session);
    } catch (e) {
      this.f.log.warn((e as Error).message);
      return [{ kind: 'error', message: (e as Error).message }];
    }
    this.schedule();
    return this.items.map((d) => ({ kind: 'endpoint', d }));
  }

  /** While something is updating, look again in a while: deployments take minutes. */
  private schedule() {
    clearTimeout(this.timer);
    if (this.items.some((d) => health(d) === 'updating')) {
      this.timer = setTimeout(() => this.refresh(), 20_000);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.changed.dispose();
  }
}

/** The endpoint a tree command acts on. */
export const endpointOf = (n: unknown): DeploymentSummary | undefined =>
  n && typeof n === 'object' && (n as Node).kind === 'endpoint'
    ? (n as { d: DeploymentSummary }).d
    : undefined;
