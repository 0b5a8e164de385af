// Completion inside `api_scopes=[...]` (needed-but-missing scopes first) and `SystemAuthPolicy(resources=[...])`.
import {
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  type CompletionParams,
  InsertTextFormat,
  MarkupKind,
  type Position,
} from 'vscode-languageserver/node';
import type { CompletionContext } from '../analyser/project';
import { ScopeBook } from '../catalog/scopes';
import type { Catalog } from '../catalog/types';
import type { DocTarget } from './documentResolver';
import { type FeatureDeps, featureTarget } from './featureTarget';
import { preferredQuote, stringContentAt } from './pythonText';

export class CompletionProvider {
  constructor(
    private readonly deps: FeatureDeps,
    private readonly snippets: boolean,
  ) {}

  async provide(params: CompletionParams): Promise<CompletionList | null> {
    const found = params.position ? await featureTarget(this.deps, params.textDocument?.uri) : undefined;
    if (!found) {
      return null;
    }
    const { target } = found;
    const context = this.deps.host.project.completionAt(target.path, params.position, target.cell);
    if (!context) {
      return null;
    }
    const items =
      context.kind === 'scope'
        ? this.scopeItems(context, target, params.position)
        : this.resourceItems(context, target);
    return { isIncomplete: false, items };
  }

  private scopeItems(context: CompletionContext, target: DocTarget, position: Position): CompletionItem[] {
    const catalog: Catalog = this.deps.host.catalog;
    const book = new ScopeBook(catalog);
    const text = target.doc?.getText() ?? '';
    const declared = new Set(context.declared);
    const family = book.familyOf([...declared]);
    const line = lineOf(target, position.line);
    const inString = this.replaceRange(context, target, position, line);
    const quote = preferredQuote(text);
    const items: CompletionItem[] = [];
    const add = (name: string, sortGroup: string, detail: string) => {
      const row = book.get(name);
      const item: CompletionItem = {
        label: name,
        kind: CompletionItemKind.Value,
        detail,
        sortText: `${sortGroup}_${name}`,
        filterText: name,
      };
      if (row) {
        item.documentation = {
          kind: MarkupKind.Markdown,
          value: row.grants + (row.caveat ? `\n\n⚠ ${row.caveat}` : ''),
        };
      }
      if (inString) {
        item.textEdit = { range: inString, newText: name };
      } else {
        item.insertText = `${quote}${name}${quote}`;
      }
      items.push(item);
    };
    context.missing.forEach((name, i) => {
      if (!declared.has(name)) {
        add(name, `0${String(i).padStart(3, '0')}`, 'needed by the agent, not declared yet');
      }
    });
    for (const row of catalog.scopes) {
      if (declared.has(row.name) || context.missing.includes(row.name)) {
        continue;
      }
      const group = row.family === family || row.family === 'single' ? '1' : '2';
      add(row.name, group, row.family === 'short' ? 'scope (short name)' : 'scope');
    }
    return items;
  }

  private resourceItems(context: CompletionContext, target: DocTarget): CompletionItem[] {
    const quote = preferredQuote(target.doc?.getText() ?? '');
    const items: CompletionItem[] = [];
    const rows = [...this.deps.host.catalog.resources].sort((a, b) => {
      const ma = context.missing.indexOf(a.name);
      const mb = context.missing.indexOf(b.name);
      return (ma < 0 ? 1e6 : ma) - (mb < 0 ? 1e6 : mb) || a.name.localeCompare(b.name);
    });
    rows.forEach((row, i) => {
      const missing = context.missing.includes(row.name);
      const item: CompletionItem = {
        label: row.name,
        kind: CompletionItemKind.Class,
        detail: `${this.deps.host.catalog.mlflow.resourcesModule}.${row.name}(${row.param}=…)`,
        documentation: `Declares a \`${row.type}\` resource for system (agent) authorization.`,
        sortText: `${missing ? '0' : '1'}${String(i).padStart(3, '0')}`,
        filterText: row.name,
      };
      if (this.snippets) {
        item.insertText = `${row.name}(${row.param}=${quote}$1${quote})$0`;
        item.insertTextFormat = InsertTextFormat.Snippet;
      } else {
        item.insertText = `${row.name}(${row.param}=${quote}${quote})`;
      }
      // The analyser places the import (as its fixes do); one in another notebook cell cannot ride along.
      const imp = context.imports?.[row.name];
      if (imp && this.deps.resolver.contains(target, imp.location)) {
        item.additionalTextEdits = [{ range: imp.location.range, newText: imp.newText }];
      }
      items.push(item);
    });
    return items;
  }

  /**
   * The range a scope name replaces: the whole string literal's content around the cursor (so accepting
   * `dashboards.genie` in `"dashboards.ge|nie"` leaves no tail), else the analyser's range up to the cursor.
   */
  private replaceRange(context: CompletionContext, target: DocTarget, position: Position, line: string) {
    const s = stringContentAt(line, position.character);
    if (s) {
      return {
        start: { line: position.line, character: s.start },
        end: { line: position.line, character: s.end },
      };
    }
    const replace = context.replace;
    const r = replace?.range;
    if (
      replace &&
      r &&
      this.deps.resolver.contains(target, replace) &&
      r.start.line === position.line &&
      r.end.line === position.line &&
      r.start.character <= position.character &&
      position.character <= r.end.character
    ) {
      return r;
    }
    return undefined;
  }
}

function lineOf(target: DocTarget, line: number): string {
  const doc = target.doc;
  if (!doc) {
    return '';
  }
  return doc
    .getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } })
    .replace(/\r?\n$/, '');
}
