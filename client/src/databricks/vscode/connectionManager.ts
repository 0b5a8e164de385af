// The current Databricks connection in VS Code: settings, the picker's choice, SecretStorage tokens, status bar.
import * as vscode from 'vscode';
import {
  DatabricksSession,
  describeSpec,
  normalizeHost,
  resolveConnection,
  type ChosenConnection,
  type ConnectionSpec,
  type CurrentUser,
} from '../connection';
import { UserFacingError } from '../errors';
import { configFilePath, readProfiles, type ProfilesResult } from '../profiles';
import type { Redactor } from '../redact';
import { showFailure, withCancellableProgress, type Feature } from './ui';

const CHOSEN_KEY = 'oboAgents.databricks.chosen';
const tokenKey = (host: string) => `oboAgents.databricks.token:${host}`;

export interface Connected {
  session: DatabricksSession;
  user: CurrentUser;
}

export class ConnectionManager implements vscode.Disposable {
  private readonly status = vscode.window.createStatusBarItem(
    'oboAgents.databricks',
    vscode.StatusBarAlignment.Left,
    10,
  );
  private readonly changed = new vscode.EventEmitter<Connected | undefined>();
  readonly onDidChange = this.changed.event;
  private current?: { key: string; connected: Promise<Connected> };
  private disposables: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly f: Feature,
    private readonly redactor: Redactor,
  ) {
    this.status.name = 'OBO Agents: Databricks';
    this.status.command = 'oboAgents.selectProfile';
    this.setStatus('idle');
    this.status.show();
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('oboAgents.databricks')) {
          this.reset();
        }
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reset()),
    );
  }

  private get productVersion(): string {
    return String((this.context.extension.packageJSON as { version?: string }).version ?? '0.0.0');
  }

  private settings() {
    const c = vscode.workspace.getConfiguration('oboAgents.databricks');
    return {
      profile: c.get<string>('profile'),
      host: c.get<string>('host'),
      configFile: configFilePath(c.get<string>('configFile'), process.env),
      timeoutMs: Math.max(1, c.get<number>('requestTimeoutSeconds') ?? 60) * 1000,
    };
  }

  configFile(): string {
    return this.settings().configFile;
  }

  listProfiles(): Promise<ProfilesResult> {
    return readProfiles(this.configFile());
  }

  newSession(spec: ConnectionSpec): DatabricksSession {
    return new DatabricksSession(spec, this.redactor, this.settings().timeoutMs, {
      productVersion: this.productVersion,
    });
  }

  private setStatus(state: 'idle' | 'checking' | 'ok' | 'error', detail?: string, user?: CurrentUser) {
    const s = this.status;
    s.backgroundColor =
      state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    if (state === 'ok' && user) {
      const host = user.host.replace(/^https?:\/\//, '');
      s.text = `$(cloud) ${user.userName} · ${host}`;
      s.tooltip = new vscode.MarkdownString(
        `**Databricks**: ${user.userName}${user.displayName ? ` (${user.displayName})` : ''}\n\nWorkspace: ${user.host}` +
          `${user.workspaceId ? ` (id ${user.workspaceId})` : ''}\n\nConnection: ${detail ?? ''}\n\nClick to change.`,
      );
    } else if (state === 'checking') {
      s.text = '$(sync~spin) Databricks';
      s.tooltip = 'Checking the Databricks connection…';
    } else if (state === 'error') {
      s.text = '$(warning) Databricks: not connected';
      s.tooltip = `${detail ?? 'Not connected.'}\n\nClick to select a profile.`;
    } else {
      s.text = '$(cloud) Databricks';
      s.tooltip = 'OBO Agents: select a Databricks profile';
    }
    void vscode.commands.executeCommand('setContext', 'oboAgents.databricks.connected', state === 'ok');
  }

  /** Forgets the validated session (settings or choice changed); the next use validates again. */
  reset(): void {
    this.current = undefined;
    this.setStatus('idle');
    this.changed.fire(undefined);
  }

  private async resolve() {
    const st = this.settings();
    const profiles = await readProfiles(st.configFile);
    if (profiles.errors.length) {
      this.f.log.warn(
        `${st.configFile}: ignored unreadable lines ${profiles.errors.map((e) => e.line).join(', ')}`,
      );
    }
    return resolveConnection({
      settings: { profile: st.profile, host: st.host },
      chosen: this.context.workspaceState.get<ChosenConnection>(CHOSEN_KEY),
      env: process.env,
      configFile: st.configFile,
      profiles: profiles.profiles,
      tokenFor: async (host) => this.context.secrets.get(tokenKey(host)),
    });
  }

  /** Validates (once per choice) and returns the connection, or throws a UserFacingError. */
  async connect(signal?: AbortSignal): Promise<Connected> {
    const res = await this.resolve();
    if (!res.spec) {
      this.setStatus('error', res.problem);
      throw new UserFacingError(
        'config',
        'Connecting to Databricks',
        res.problem ?? 'nothing is configured',
        'You are not connected.',
        'Run "OBO Agents: Select Databricks Profile" to pick a profile or enter a host and token.',
      );
    }
    const key = JSON.stringify(res.spec);
    if (this.current?.key !== key) {
      const session = this.newSession(res.spec);
      const label = `${describeSpec(res.spec)} (${res.source})`;
      this.setStatus('checking');
      const connected = session.currentUser(signal).then(
        (user) => {
          this.f.log.info(`Databricks: connected as ${user.userName} to ${user.host} with ${label}`);
          this.setStatus('ok', label, user);
          this.changed.fire({ session, user });
          return { session, user };
        },
        (e: unknown) => {
          this.setStatus('error', (e as Error).message);
          throw e;
        },
      );
      this.current = { key, connected };
    }
    try {
      return await this.current.connected;
    } catch (e) {
      this.current = undefined;
      throw e;
    }
  }

  /** The connection, or undefined; `interactive` shows a failure with a way out, otherwise it is only logged. */
  async get(interactive: boolean, signal?: AbortSignal): Promise<Connected | undefined> {
    try {
      return await this.connect(signal);
    } catch (e) {
      if (interactive) {
        await showFailure(this.f, e, 'Connecting to Databricks', 'You are not connected.', [
          { label: 'Retry', run: () => this.get(true) },
        ]);
      } else {
        this.f.log.warn((e as Error).message);
      }
      return undefined;
    }
  }

  /** A validated session for another profile ("Invoke as profile…"), without changing the current choice. */
  async sessionForProfile(profile: string): Promise<Connected> {
    const session = this.newSession({ kind: 'profile', profile, configFile: this.configFile() });
    return { session, user: await session.currentUser() };
  }

  /** OBO Agents: Select Databricks Profile. `arg` (a profile name) skips the picker, for tests and links. */
  async select(arg?: string): Promise<Connected | undefined> {
    const profiles = await this.listProfiles();
    let chosen: ChosenConnection | undefined;
    if (arg) {
      chosen = { kind: 'profile', profile: arg };
    } else {
      type Item = vscode.QuickPickItem & { run?: () => Promise<ChosenConnection | undefined> };
      const items: Item[] = profiles.profiles.map((p) => ({
        label: p.name,
        description: p.host,
        detail: `auth: ${p.authType}${p.authType === 'databricks-cli' ? ' (run `databricks auth login --profile ' + p.name + '` first)' : ''}`,
        run: async () => ({ kind: 'profile', profile: p.name }),
      }));
      items.push(
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: '$(key) Enter a host and personal access token…', run: () => this.enterToken() },
        {
          label: '$(go-to-file) Open Databricks config file',
          run: () => this.openConfigFile(profiles).then(() => undefined),
        },
      );
      const pick = await vscode.window.showQuickPick(items, {
        title: 'Select Databricks Profile',
        placeHolder: profiles.exists
          ? `Profiles in ${profiles.path}`
          : `${profiles.path} does not exist: enter a token, or run \`databricks configure\``,
      });
      chosen = await pick?.run?.();
    }
    if (!chosen) {
      return undefined;
    }
    if (vscode.workspace.getConfiguration('oboAgents.databricks').get<string>('profile')?.trim()) {
      void vscode.window.showWarningMessage(
        'The oboAgents.databricks.profile setting overrides this choice; clear the setting to use the picker.',
      );
    }
    await this.context.workspaceState.update(CHOSEN_KEY, chosen);
    this.reset();
    try {
      return await withCancellableProgress('Checking the Databricks connection…', (_p, signal) =>
        this.connect(signal),
      );
    } catch (e) {
      // Shown after the progress notification has closed, so the error is not stuck behind it.
      await showFailure(this.f, e, 'Connecting to Databricks', 'You are not connected.', [
        { label: 'Select Another Profile', run: () => this.select() },
      ]);
      return undefined;
    }
  }

  private async enterToken(): Promise<ChosenConnection | undefined> {
    const hostIn = await vscode.window.showInputBox({
      title: 'Databricks workspace URL',
      placeHolder: 'https://adb-1234567890123456.7.azuredatabricks.net',
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          normalizeHost(v);
          return undefined;
        } catch {
          return 'Enter the workspace URL, e.g. https://my-workspace.cloud.databricks.com';
        }
      },
    });
    if (!hostIn) {
      return undefined;
    }
    const host = normalizeHost(hostIn);
    const token = await vscode.window.showInputBox({
      title: `Personal access token for ${host}`,
      prompt: 'Stored in the OS keychain (VS Code SecretStorage), never in settings or logs.',
      password: true,
      ignoreFocusOut: true,
    });
    if (!token) {
      return undefined;
    }
    this.redactor.add(token.trim());
    await this.context.secrets.store(tokenKey(host), token.trim());
    return { kind: 'token', host };
  }

  /** OBO Agents: Forget Stored Databricks Token. */
  async forgetToken(): Promise<void> {
    const chosen = this.context.workspaceState.get<ChosenConnection>(CHOSEN_KEY);
    const host =
      chosen?.kind === 'token'
        ? chosen.host
        : vscode.workspace.getConfiguration('oboAgents.databricks').get<string>('host');
    if (!host) {
      void vscode.window.showInformationMessage('No token is stored for the current connection.');
      return;
    }
    await this.context.secrets.delete(tokenKey(normalizeHost(host)));
    if (chosen?.kind === 'token') {
      await this.context.workspaceState.update(CHOSEN_KEY, undefined);
    }
    this.reset();
    void vscode.window.showInformationMessage(`Forgot the token stored for ${normalizeHost(host)}.`);
  }

  private async openConfigFile(profiles: ProfilesResult): Promise<void> {
    const uri = vscode.Uri.file(profiles.path);
    if (!profiles.exists) {
      // Creating an empty file beats an error: the user came here to write a profile.
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('[DEFAULT]\nhost = \ntoken = \n'));
    }
    await vscode.window.showTextDocument(uri);
  }

  dispose(): void {
    this.status.dispose();
    this.changed.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
