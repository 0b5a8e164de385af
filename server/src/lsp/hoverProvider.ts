// Hover: the analyser's description of the OBO construct or scope string under the cursor.
import { type Hover, type HoverParams, MarkupKind } from 'vscode-languageserver/node';
import type { DocumentResolver } from './documentResolver';
import type { ProjectHost } from './projectHost';
import type { SettingsCache } from './settingsCache';

export class HoverProvider {
  constructor(
    private readonly host: ProjectHost,
    private readonly resolver: DocumentResolver,
    private readonly settings: SettingsCache,
    private readonly sync: () => void,
    private readonly markdown: boolean,
  ) {}

  async provide(params: HoverParams): Promise<Hover | null> {
    const target = this.resolver.resolve(params.textDocument?.uri);
    if (!target?.doc || !params.position || !(await this.settings.get(target.settingsUri)).enable) {
      return null;
    }
    this.sync();
    if (!this.host.ready) {
      return null;
    }
    const description = this.host.project.describeAt(target.path, params.position, target.cell);
    if (!description?.markdown) {
      return null;
    }
    const hover: Hover = {
      contents: this.markdown
        ? { kind: MarkupKind.Markdown, value: description.markdown }
        : { kind: MarkupKind.PlainText, value: description.markdown },
    };
    if (this.resolver.contains(target, description.location)) {
      hover.range = description.location.range;
    }
    return hover;
  }
}
