// Hover: the analyser's description of the OBO construct or scope string under the cursor.
import { type Hover, type HoverParams, MarkupKind } from 'vscode-languageserver/node';
import { type FeatureDeps, featureTarget } from './featureTarget';

export class HoverProvider {
  constructor(
    private readonly deps: FeatureDeps,
    private readonly markdown: boolean,
  ) {}

  async provide(params: HoverParams): Promise<Hover | null> {
    const found = params.position ? await featureTarget(this.deps, params.textDocument?.uri) : undefined;
    if (!found) {
      return null;
    }
    const { target } = found;
    const description = this.deps.host.project.describeAt(target.path, params.position, target.cell);
    if (!description?.markdown) {
      return null;
    }
    const hover: Hover = {
      contents: this.markdown
        ? { kind: MarkupKind.Markdown, value: description.markdown }
        : { kind: MarkupKind.PlainText, value: description.markdown },
    };
    if (this.deps.resolver.contains(target, description.location)) {
      hover.range = description.location.range;
    }
    return hover;
  }
}
