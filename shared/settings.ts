// The `oboAgents.*` settings as the server sees them: types, defaults and a tolerant normaliser (shared with the client).

export type RuleSeverityOverride = 'error' | 'warning' | 'information' | 'hint' | 'off';
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** Resolved settings for one resource (a document or a workspace folder). */
export interface OboSettings {
  enable: boolean;
  rules: { severity: Record<string, RuleSeverityOverride> };
  /** A partial catalog merged into the built-in one (in-house wrappers around OBO clients). */
  catalog: { extra: Record<string, unknown> };
  /** Globs, relative to the workspace folder, of files neither indexed nor diagnosed. */
  exclude: string[];
  codeAction: { disableRuleComment: { enable: boolean }; showDocumentation: { enable: boolean } };
  codeLens: { enable: boolean };
  trace: { server: TraceLevel };
}

export const SETTINGS_SECTION = 'oboAgents';

export const DEFAULT_SETTINGS: OboSettings = {
  enable: true,
  rules: { severity: {} },
  catalog: { extra: {} },
  exclude: [],
  codeAction: { disableRuleComment: { enable: true }, showDocumentation: { enable: true } },
  codeLens: { enable: true },
  trace: { server: 'off' },
};

/**
 * The keys of the section the server reads. The client answers `workspace/configuration` with these only: the
 * Databricks, deploy and Python settings (hosts, `deploy.environmentVariables`) are none of the server's business
 * and would show in the LSP trace.
 */
export const SERVER_SETTING_KEYS: readonly string[] = Object.keys(DEFAULT_SETTINGS);

const SEVERITIES: readonly string[] = ['error', 'warning', 'information', 'hint', 'off'];
const TRACES: readonly string[] = ['off', 'messages', 'verbose'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function bool(value: unknown, fallback: boolean, key: string, problems: string[]): boolean {
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value === 'boolean') {
    return value;
  }
  problems.push(`${SETTINGS_SECTION}.${key} must be true or false; using ${fallback}.`);
  return fallback;
}

function toggle(value: unknown, fallback: boolean, key: string, problems: string[]): { enable: boolean } {
  // Accept the plain boolean form too: users write `"disableRuleComment": false`.
  if (typeof value === 'boolean') {
    return { enable: value };
  }
  return { enable: bool(isRecord(value) ? value.enable : value, fallback, `${key}.enable`, problems) };
}

/**
 * Turns whatever `workspace/configuration` returned into valid settings. Bad values fall back to the default
 * and are described in `problems` (the server logs them once) instead of failing the request.
 */
export function normalizeSettings(raw: unknown, problems: string[] = []): OboSettings {
  const r = isRecord(raw) ? raw : {};
  if (raw !== undefined && raw !== null && !isRecord(raw)) {
    problems.push(`${SETTINGS_SECTION} must be an object; using the defaults.`);
  }
  const severity: Record<string, RuleSeverityOverride> = {};
  const rules = isRecord(r.rules) ? r.rules : {};
  if (rules.severity !== undefined && rules.severity !== null) {
    if (isRecord(rules.severity)) {
      for (const [code, value] of Object.entries(rules.severity)) {
        const v = typeof value === 'string' ? value.toLowerCase() : value;
        if (/^OBO\d{3}$/i.test(code) && typeof v === 'string' && SEVERITIES.includes(v)) {
          severity[code.toUpperCase()] = v as RuleSeverityOverride;
        } else {
          problems.push(
            `${SETTINGS_SECTION}.rules.severity: ignoring ${JSON.stringify(code)}: ${JSON.stringify(value)}.`,
          );
        }
      }
    } else {
      problems.push(`${SETTINGS_SECTION}.rules.severity must be an object such as {"OBO202": "off"}.`);
    }
  }
  const catalog = isRecord(r.catalog) ? r.catalog : {};
  let extra: Record<string, unknown> = {};
  if (isRecord(catalog.extra)) {
    extra = catalog.extra;
  } else if (catalog.extra !== undefined && catalog.extra !== null) {
    problems.push(`${SETTINGS_SECTION}.catalog.extra must be an object of catalog tables.`);
  }
  let exclude: string[] = [];
  if (Array.isArray(r.exclude)) {
    exclude = r.exclude.filter((g): g is string => typeof g === 'string' && g.trim() !== '');
    if (exclude.length !== r.exclude.length) {
      problems.push(`${SETTINGS_SECTION}.exclude: ignoring entries that are not glob strings.`);
    }
  } else if (r.exclude !== undefined && r.exclude !== null) {
    problems.push(`${SETTINGS_SECTION}.exclude must be a list of globs.`);
  }
  const codeAction = isRecord(r.codeAction) ? r.codeAction : {};
  const codeLens = r.codeLens;
  const trace = isRecord(r.trace) ? r.trace : {};
  const traceServer =
    typeof trace.server === 'string' && TRACES.includes(trace.server) ? trace.server : 'off';
  return {
    enable: bool(r.enable, DEFAULT_SETTINGS.enable, 'enable', problems),
    rules: { severity },
    catalog: { extra },
    exclude,
    codeAction: {
      disableRuleComment: toggle(
        codeAction.disableRuleComment,
        true,
        'codeAction.disableRuleComment',
        problems,
      ),
      showDocumentation: toggle(codeAction.showDocumentation, true, 'codeAction.showDocumentation', problems),
    },
    codeLens: toggle(codeLens, true, 'codeLens', problems),
    trace: { server: traceServer as TraceLevel },
  };
}
