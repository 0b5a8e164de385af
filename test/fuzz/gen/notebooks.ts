// The notebooks fuzz family: malformed .ipynb JSON, structurally damaged fixture notebooks and raw editor cells.
import * as path from 'node:path';
import type { InputCell } from '../../../server/src/analyser/model';
import { type Budget, readCorpus } from '../corpus';
import type { FuzzInput } from '../harness';
import { hashSeed, Rng } from '../prng';
import { input, parseNotebook, SIZES, utf8Bytes } from './common';
import { MUTATORS, mutate } from './mutations';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export function* notebooks(budget: Budget, seed: number): Generator<FuzzInput> {
  const corpus = readCorpus();
  const ipynbs = corpus.filter((c) => c.file.endsWith('.ipynb') && parseNotebook(c.text));
  const pyTexts = corpus.filter((c) => c.file.endsWith('.py')).map((c) => c.text);
  const base = ipynbs.map((c) => c.text);
  const nbPath = (k: string) => `/fuzz/nb_${k}.ipynb`;
  const fixed: Record<string, string> = {
    emptyObject: '{}',
    array: '[]',
    null: 'null',
    number: '1e999',
    string: '"cells"',
    cellsObject: '{"cells": {}}',
    cellsString: '{"cells": "print(1)"}',
    cellsNull: '{"cells": null}',
    cellEntries: '{"cells": [null, 1, "x", [], true, {}]}',
    sourceKinds:
      '{"cells": [{"cell_type":"code","source":42},{"cell_type":"code","source":null},{"cell_type":"code","source":{"a":1}},' +
      '{"cell_type":"code","source":["x = (", 5, null]},{"cell_type":"code","source":[]},{"cell_type":"code"},' +
      '{"cell_type":"code","source":"import mlflow\\nmlflow.pyfunc.log_model(python_model=\\"agent.py\\")"}]}',
    cellTypes:
      '{"cells": [{"cell_type":"CODE","source":"x=1"},{"cell_type":7,"source":"x=("},{"source":"y=("},{"cell_type":"raw","source":"(("}]}',
    metadataKinds:
      '{"metadata":{"language_info":5,"kernelspec":{"language":["python"]}},"cells":[{"cell_type":"code","metadata":{"vscode":{"languageId":3}},"source":"x=("}]}',
    nbformat3:
      '{"nbformat":3,"worksheets":[{"cells":[{"cell_type":"code","input":["from databricks.sdk import WorkspaceClient\\n","w = WorkspaceClient("]}]}]}',
    worksheetsBad: '{"worksheets":[null]}',
    worksheetsEmpty: '{"worksheets":[]}',
    protoKey:
      '{"__proto__":{"cells":[{"cell_type":"code","source":"x=1"}]},"constructor":{"prototype":{"cells":1}}}',
    duplicateKeys: '{"cells":[],"cells":[{"cell_type":"code","source":"x = WorkspaceClient("}]}',
    deepJson: `{"metadata":${'['.repeat(100_000)}${']'.repeat(100_000)},"cells":[]}`,
    writefileOdd:
      '{"cells":[{"cell_type":"code","source":"%%writefile\\nx=1"},{"cell_type":"code","source":"%%writefile ../../../etc/passwd\\nx=("},' +
      '{"cell_type":"code","source":"%%writefile -a /abs/agent.py\\nclass A:\\n  def predict(self): pass"},{"cell_type":"code","source":"%%writefile \\"\\"\\n"}]}',
    manyCells: JSON.stringify({
      cells: Array.from({ length: budget === 'ci' ? 2000 : 20_000 }, (_, i) => ({
        cell_type: 'code',
        source: `x${i} = ${i}`,
      })),
    }),
  };
  for (const [k, text] of Object.entries(fixed)) {
    yield input(`notebooks:${k}`, nbPath(k), text, hashSeed(k));
  }
  // Huge outputs: notebooks carry images and logs; they must be skipped cheaply, never parsed as code.
  const hugeMb = budget === 'ci' ? 8 : 40;
  const huge = JSON.parse(base[0]) as { cells: { cell_type: string; outputs?: Json[] }[] };
  const code = huge.cells.find((c) => c.cell_type === 'code');
  if (code) {
    code.outputs = [
      {
        output_type: 'display_data',
        data: { 'image/png': 'iVBORw0KGgo'.repeat((hugeMb * (1 << 20)) / 2 / 11) },
      },
      {
        output_type: 'stream',
        name: 'stdout',
        text: Array.from({ length: 50_000 }, (_, i) => `line ${i}\n`),
      },
    ];
  }
  yield input(
    `notebooks:hugeOutputs-${hugeMb}MB`,
    nbPath('huge_outputs'),
    JSON.stringify(huge),
    hashSeed('huge'),
  );

  for (let k = 0; k < SIZES[budget].notebooks; k++) {
    for (const [i, text] of base.entries()) {
      const s = hashSeed(`${seed}:nb:${i}:${k}`);
      const rng = new Rng(s);
      // Structural damage to a real notebook: every field the reader looks at gets a wrong type somewhere.
      const nb = JSON.parse(text) as { [k: string]: Json };
      const cells = nb.cells as { [k: string]: Json }[];
      const ops: string[] = [];
      for (let n = rng.range(1, 4); n > 0; n--) {
        // Earlier operations may have put junk (null, numbers) in the list: only real cells get edited.
        const objects = cells.filter((x) => typeof x === 'object' && x !== null && !Array.isArray(x));
        const c = objects.length ? rng.pick(objects) : undefined;
        const op = rng.int(8);
        ops.push(String(op));
        if (op === 0 && c) {
          c.source = rng.pick<Json>([
            null,
            5,
            true,
            {},
            [1, 2],
            ['x = (', null],
            'x = ('.repeat(rng.range(1, 50)),
          ]);
        } else if (op === 1 && c) {
          c.cell_type = rng.pick<Json>([null, 'markdown', 'code', 'raw', 3, ['code']]);
        } else if (op === 2) {
          cells.splice(rng.int(cells.length + 1), 0, rng.pick<Json>([null, 1, 'cell', []]) as never);
        } else if (op === 3 && c) {
          c.metadata = rng.pick<Json>([
            null,
            1,
            { vscode: { languageId: rng.pick(['sql', 'python', 'PYTHON', 'r', '']) } },
          ]);
        } else if (op === 4) {
          nb.metadata = rng.pick<Json>([
            null,
            [],
            { language_info: { name: rng.pick(['python', 'scala', 'sql', '']) } },
          ]);
        } else if (op === 5 && c) {
          const m = mutate(
            typeof c.source === 'string' ? c.source : Array.isArray(c.source) ? c.source.join('') : '',
            rng,
            pyTexts,
          );
          c.source = m.text;
        } else if (op === 6) {
          delete nb.cells;
          nb[rng.pick(['Cells', 'cell', 'worksheets'])] = cells as Json;
        } else if (op === 7 && c) {
          c.source = `%%writefile ${rng.pick(['agent.py', '', '-a x.py', '../up.py', '/abs.py', 'a b.py', 'x.ipynb'])}\n${typeof c.source === 'string' ? c.source : ''}`;
        }
      }
      let out = JSON.stringify(nb);
      if (rng.chance(0.3)) {
        // Malformed JSON: cut or damaged in the raw text.
        out = rng.chance(0.5) ? out.slice(0, rng.int(out.length)) : MUTATORS.insertToken(out, rng, []);
        ops.push('raw');
      }
      yield input(
        `notebooks:${path.basename(ipynbs[i].file)}#${k}[${ops.join(',')}]`,
        ipynbs[i].file,
        out,
        s,
      );
    }
  }
  // The editor's notebook sync hands cells directly, with whatever a buggy client might send.
  for (let k = 0; k < SIZES[budget].notebooks; k++) {
    const s = hashSeed(`${seed}:cells:${k}`);
    const rng = new Rng(s);
    const cells: InputCell[] = [];
    for (let n = rng.range(0, 30); n > 0; n--) {
      const src = rng.chance(0.7)
        ? mutate(rng.pick(pyTexts).slice(0, 3000), rng, pyTexts).text
        : rng.pick(['', '%%writefile\n', '%%writefile agent.py\nx=(', '%sql select 1', '!pip install x']);
      const cell = {
        kind: rng.pick(['code', 'code', 'markup', 'other']),
        source: rng.chance(0.9) ? src : rng.pick<unknown>([null, 3, undefined, ['a']]),
        language: rng.pick([undefined, 'python', 'sql', 'PYTHON', '']),
      } as InputCell;
      cells.push(rng.chance(0.05) ? (null as unknown as InputCell) : cell);
    }
    const bytes = cells.reduce((n, c) => n + (typeof c?.source === 'string' ? utf8Bytes(c.source) : 0), 0);
    yield { name: `notebooks:cells#${k}`, path: `/fuzz/cells_${k}.ipynb`, cells, bytes, seed: s };
  }
}
