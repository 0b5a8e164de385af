// The Agent Playground's logic without VS Code: conversation history, one running turn, stop, JSON views, messages.
import { TurnTranscript, type ChatTurn, type Frame, type PlaygroundEvent } from './agentEvents';
import { CancelledError } from './errors';

export interface PlaygroundOptions {
  stream: boolean;
  returnTrace: boolean;
}

export interface TurnInput {
  messages: ChatTurn[];
  customInputs?: Record<string, unknown>;
  options: PlaygroundOptions;
}

/** Local harness or deployed endpoint; `run` streams events and resolves with what to show as JSON. */
export interface PlaygroundRunner {
  mode: 'local' | 'endpoint';
  title: string;
  subtitle: string;
  run(
    input: TurnInput,
    signal: AbortSignal,
    onEvent: (e: PlaygroundEvent) => void,
  ): Promise<{ request?: unknown; raw: unknown[] }>;
}

export type FromWebview =
  | { type: 'ready' }
  | { type: 'send'; text: string; customInputs?: string }
  | { type: 'stop' }
  | { type: 'clear' }
  | { type: 'options'; stream?: boolean; returnTrace?: boolean }
  | { type: 'openFrame'; file: string; line: number }
  | { type: 'showJson'; turn: number; which: 'request' | 'response' }
  | { type: 'runAs' };

export type ToWebview =
  | {
      type: 'init';
      title: string;
      subtitle: string;
      mode: 'local' | 'endpoint';
      options: PlaygroundOptions;
      canRunAs: boolean;
    }
  | { type: 'turnStart'; turn: number; text: string }
  | { type: 'event'; turn: number; event: PlaygroundEvent }
  | { type: 'turnEnd'; turn: number; ok: boolean }
  | { type: 'busy'; busy: boolean }
  | { type: 'cleared' };

export interface PlaygroundHost {
  openFrame(frame: Frame): void;
  showJson(title: string, value: unknown): void;
  /** Local mode: pick another profile to run as; resolves with the new runner. */
  pickRunAs?(): Promise<PlaygroundRunner | undefined>;
}

interface TurnRecord {
  request?: unknown;
  raw: unknown[];
  transcript: TurnTranscript;
}

export class PlaygroundController {
  readonly history: ChatTurn[] = [];
  readonly turns: TurnRecord[] = [];
  options: PlaygroundOptions = { stream: true, returnTrace: true };
  private running?: AbortController;
  private current?: Promise<void>;

  constructor(
    private runner: PlaygroundRunner,
    private readonly post: (m: ToWebview) => void,
    private readonly host: PlaygroundHost,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Resolves when the running turn (if any) has ended; for tests and disposal. */
  idle(): Promise<void> {
    return this.current ?? Promise.resolve();
  }

  private init() {
    const r = this.runner;
    this.post({
      type: 'init',
      title: r.title,
      subtitle: r.subtitle,
      mode: r.mode,
      options: this.options,
      canRunAs: Boolean(this.host.pickRunAs) && r.mode === 'local',
    });
  }

  async handle(msg: FromWebview): Promise<void> {
    switch (msg.type) {
      case 'ready':
        this.init();
        return;
      case 'send':
        this.current = this.send(msg.text, msg.customInputs);
        return this.current;
      case 'stop':
        this.running?.abort();
        return;
      case 'clear':
        this.running?.abort();
        this.history.length = 0;
        this.turns.length = 0;
        this.post({ type: 'cleared' });
        return;
      case 'options':
        this.options = {
          stream: msg.stream ?? this.options.stream,
          returnTrace: msg.returnTrace ?? this.options.returnTrace,
        };
        return;
      case 'openFrame':
        this.host.openFrame({ file: msg.file, line: msg.line });
        return;
      case 'showJson': {
        const t = this.turns[msg.turn];
        if (t) {
          this.host.showJson(
            `${msg.which} ${msg.turn + 1}`,
            msg.which === 'request' ? t.request : t.raw.length === 1 ? t.raw[0] : t.raw,
          );
        }
        return;
      }
      case 'runAs': {
        const next = await this.host.pickRunAs?.();
        if (next) {
          this.setRunner(next);
        }
        return;
      }
    }
  }

  private async send(text: string, customText?: string): Promise<void> {
    if (this.running || !text.trim()) {
      return;
    }
    const turn = this.turns.length;
    const record: TurnRecord = { raw: [], transcript: new TurnTranscript() };
    this.turns.push(record);
    this.post({ type: 'turnStart', turn, text });
    const emit = (event: PlaygroundEvent) => {
      record.transcript.apply(event);
      if (event.type === 'request') {
        record.request = event.payload;
      }
      this.post({ type: 'event', turn, event });
    };
    let customInputs: Record<string, unknown> | undefined;
    if (customText?.trim()) {
      try {
        customInputs = JSON.parse(customText) as Record<string, unknown>;
        if (!customInputs || typeof customInputs !== 'object' || Array.isArray(customInputs)) {
          throw new Error('not an object');
        }
      } catch (e) {
        emit({
          type: 'error',
          message: `custom_inputs must be a JSON object (${(e as Error).message}); nothing was sent.`,
        });
        this.post({ type: 'turnEnd', turn, ok: false });
        return;
      }
    }
    const controller = new AbortController();
    this.running = controller;
    this.post({ type: 'busy', busy: true });
    const messages: ChatTurn[] = [...this.history, { role: 'user', content: text }];
    let ok = false;
    try {
      const res = await this.runner.run(
        { messages, customInputs, options: this.options },
        controller.signal,
        emit,
      );
      record.request ??= res.request;
      record.raw = res.raw;
      const t = record.transcript;
      ok = !t.error && (t.done || t.text !== '');
      if (ok) {
        // Only finished turns join the history, so a failed turn never confuses the next one.
        this.history.push({ role: 'user', content: text }, { role: 'assistant', content: t.text });
      }
    } catch (e) {
      if (!(e instanceof CancelledError)) {
        emit({ type: 'error', message: (e as Error).message });
      }
    } finally {
      this.running = undefined;
      this.post({ type: 'turnEnd', turn, ok });
      this.post({ type: 'busy', busy: false });
    }
  }

  /** Switches who or what answers (another profile); the conversation so far is kept. */
  setRunner(runner: PlaygroundRunner): void {
    this.runner = runner;
    this.init();
  }

  dispose(): void {
    this.running?.abort();
  }
}
