// The seed agents are kept once, as Databricks notebook sources in test/fixtures/seeds; this derives every other form the tests use.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractUnits } from '../server/src/analyser/sources/extract';

/** test/fixtures/seeds, from out/test/<anything>.js or from the sources. */
export const SEEDS = path.resolve(__dirname, '..', '..', 'test', 'fixtures', 'seeds');

/**
 * The canonical seed notebooks, by the seed document they come from (/work/shared/seeds/<id>.txt): the fuzz seed
 * extractor skips these documents, since the fixture already holds their code.
 */
export const SEED_NOTEBOOKS = {
  /** Seed 000, the Databricks "On-Behalf-Of-User Authentication Agent" notebook (TODO placeholders and all). */
  vectorSearch: { file: 'vector_search_notebook.py', seed: '000_4d5531635aedff11' },
  /** Seed 003, the Qiita Genie OBO article, laid out as a notebook. */
  genie: { file: 'genie_notebook.py', seed: '003_0096a2284209cd57' },
} as const;

export type SeedName = keyof typeof SEED_NOTEBOOKS;

export interface SeedNotebook {
  /** Absolute path of the fixture; relative %%writefile targets resolve beside it. */
  path: string;
  text: string;
}

export function seedNotebook(name: SeedName): SeedNotebook {
  const file = path.join(SEEDS, SEED_NOTEBOOKS[name].file);
  return { path: file, text: fs.readFileSync(file, 'utf8') };
}

/** The two files a notebook amounts to once run: the module its %%writefile cell writes, and its logging cell. */
export interface SplitNotebook {
  /** The %%writefile target's file name (`agent.py`): the driver's `python_model=` and imports name it. */
  agentName: string;
  /** The %%writefile cell's body, as the analyser reads it. */
  agent: string;
  /** The Python cell that calls `log_model`, as the analyser reads it (line magics blanked). */
  driver: string;
}

const SEPARATOR = /^# COMMAND -{3,}\s*$/;

/**
 * Splits with the analyser's own extractUnits, so the split agrees with what a notebook analysis sees; the
 * notebook unit keeps the `# COMMAND` lines (they are comments), which is where its cells are cut.
 */
export function splitNotebook(nb: SeedNotebook): SplitNotebook {
  const { units, problems } = extractUnits({ path: nb.path, text: nb.text });
  if (problems.length) {
    throw new Error(`${nb.path}: ${problems.map((p) => p.message).join('; ')}`);
  }
  const writefiles = units.filter((u) => u.kind === 'writefile');
  const notebook = units.find((u) => u.kind === 'notebook');
  if (writefiles.length !== 1 || !notebook) {
    throw new Error(`${nb.path}: expected one %%writefile cell and notebook code`);
  }
  const cells = cutCells(notebook.text.split('\n')).map((lines) => trimBlankLines(lines).join('\n'));
  const logging = cells.filter((c) => c.includes('log_model('));
  if (logging.length !== 1) {
    throw new Error(`${nb.path}: expected one cell calling log_model, found ${logging.length}`);
  }
  return { agentName: path.basename(writefiles[0].path), agent: writefiles[0].text, driver: logging[0] };
}

/** A notebook cell as both Jupyter and the tests need it. */
export interface NotebookCell {
  kind: 'markdown' | 'code';
  source: string;
  /** A code cell's language when it is not Python (`sql`): VS Code keeps it in the cell's metadata. */
  language?: string;
  /** Jupyter outputs, kept as given. */
  outputs?: unknown[];
}

const MAGIC = /^# MAGIC(?: |$)/;

/**
 * The cells of a Databricks notebook source as Jupyter holds them: `# MAGIC` prefixes removed, `%md` cells
 * as markdown (without the `%md` line), every other cell as code (its magic, `%pip` or `%%writefile`, kept).
 */
export function databricksCells(text: string): NotebookCell[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0].trimEnd() !== '# Databricks notebook source') {
    throw new Error('not a Databricks notebook source');
  }
  const cells: NotebookCell[] = [];
  for (const raw of cutCells(lines.slice(1))) {
    const body = trimBlankLines(raw);
    if (!body.length) {
      continue;
    }
    if (!body.every((l) => MAGIC.test(l))) {
      cells.push({ kind: 'code', source: body.join('\n') });
      continue;
    }
    const unprefixed = body.map((l) => l.replace(MAGIC, ''));
    if (/^%md\b/.test(unprefixed[0])) {
      cells.push({ kind: 'markdown', source: unprefixed.slice(1).join('\n') });
    } else {
      cells.push({ kind: 'code', source: unprefixed.join('\n') });
    }
  }
  return cells;
}

/**
 * nbformat 4 JSON. `sources: 'lines'` writes each source as a list of lines (what Jupyter saves), `'string'` as
 * one string (also valid, and what some tools write): the analyser must read both.
 */
export function toIpynb(cells: NotebookCell[], sources: 'lines' | 'string' = 'lines'): string {
  const source = (s: string) => (sources === 'lines' ? s.split(/(?<=\n)/) : s);
  return JSON.stringify(
    {
      cells: cells.map((c) =>
        c.kind === 'markdown'
          ? { cell_type: 'markdown', metadata: {}, source: source(c.source) }
          : {
              cell_type: 'code',
              metadata: c.language ? { vscode: { languageId: c.language } } : {},
              source: source(c.source),
              execution_count: null,
              outputs: c.outputs ?? [],
            },
      ),
      metadata: { language_info: { name: 'python' } },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

/** A 1x1 PNG as a display output: base64 that must never be read as code. */
export const IMAGE_OUTPUT = {
  output_type: 'display_data',
  data: {
    'image/png':
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  },
  metadata: {},
};

/**
 * The vector-search notebook as a Jupyter user would have it, with what the notebook tests must see skipped:
 * the restart as the `%restart_python` magic, an image output on the test cell, a `%%sql` cell and a SQL-language
 * cell after it, and a last cell mixing a shell escape with Python.
 */
export function jupyterVectorSearchCells(): NotebookCell[] {
  const cells = databricksCells(seedNotebook('vectorSearch').text);
  const at = (source: string) => {
    const i = cells.findIndex((c) => c.source.startsWith(source));
    if (i < 0) {
      throw new Error(`no cell starting with ${source}`);
    }
    return i;
  };
  cells[at('dbutils.library.restartPython()')] = { kind: 'code', source: '%restart_python' };
  const test = at('from agent import AGENT');
  cells[test].outputs = [IMAGE_OUTPUT];
  cells.splice(
    test + 1,
    0,
    { kind: 'code', source: '%%sql\nSELECT * FROM main.default.docs LIMIT 10' },
    { kind: 'code', source: 'SELECT 1', language: 'sql' },
  );
  cells.push({ kind: 'code', source: '!pip list | grep mlflow\nprint(logged_agent_info.model_uri)' });
  return cells;
}

/** Lines between `# COMMAND ----------` separators. */
function cutCells(lines: string[]): string[][] {
  const cells: string[][] = [[]];
  for (const line of lines) {
    if (SEPARATOR.test(line)) {
      cells.push([]);
    } else {
      cells[cells.length - 1].push(line);
    }
  }
  return cells;
}

function trimBlankLines(lines: string[]): string[] {
  let from = 0;
  let to = lines.length;
  while (from < to && lines[from].trim() === '') {
    from++;
  }
  while (to > from && lines[to - 1].trim() === '') {
    to--;
  }
  return lines.slice(from, to);
}
