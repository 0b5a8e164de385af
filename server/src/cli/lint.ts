// Reads the found files, keeps those the prefilter says may matter, and runs one project over them; other files are read on demand.
import * as fs from 'fs';
import type { Finding } from '../analyser/model';
import type { Project, ProjectOptions } from '../analyser/project';
import { mayMatter } from '../analyser/sources/prefilter';
import { BUILTIN_CATALOG } from '../catalog/data';
import { describeError, type InputError } from './walk';

export interface LintOptions {
  createProject: (options: ProjectOptions) => Project | Promise<Project>;
  catalog?: ProjectOptions['catalog'];
}

export interface LintResult {
  findings: Finding[];
  errors: InputError[];
  /** Analyser failures (bugs, not user errors): one line each, no stack. */
  internalErrors: string[];
  /** Files handed to the analyser (those the prefilter kept). */
  analysed: string[];
}

/** Reads a file's text; undefined when it is missing, a folder or unreadable (the analyser asks speculatively). */
function tryRead(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export async function lintFiles(files: readonly string[], options: LintOptions): Promise<LintResult> {
  const errors: InputError[] = [];
  const internalErrors: string[] = [];
  const texts = new Map<string, string>();
  const analysed: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      errors.push({ path: file, message: describeError(e) });
      continue;
    }
    texts.set(file, text);
    if (mayMatter(text, options.catalog ?? BUILTIN_CATALOG)) {
      analysed.push(file);
    }
  }

  // Files the agent imports or a log site names are read through here, once, and never run.
  const readFile = (file: string): string | undefined => {
    if (!texts.has(file)) {
      const text = tryRead(file);
      if (text === undefined) {
        return undefined;
      }
      texts.set(file, text);
    }
    return texts.get(file);
  };
  const project = await options.createProject({ readFile, catalog: options.catalog });
  for (const file of analysed) {
    try {
      project.setDocument({ path: file, text: texts.get(file) ?? '' });
    } catch (e) {
      internalErrors.push(`internal error while analysing ${file}: ${e instanceof Error ? e.message : e}`);
    }
  }
  let perFile: Map<string, Finding[]>;
  try {
    perFile = project.findings();
  } catch (e) {
    internalErrors.push(`internal error while analysing: ${e instanceof Error ? e.message : e}`);
    perFile = new Map();
  }
  const findings: Finding[] = [];
  for (const [file, list] of perFile) {
    for (const f of list) {
      findings.push(f.location.file ? f : { ...f, location: { ...f.location, file } });
    }
  }
  return { findings, errors, internalErrors, analysed };
}
