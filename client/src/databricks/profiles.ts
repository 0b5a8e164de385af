// Reads Databricks profiles the way the CLI does: ~/.databrickscfg (or DATABRICKS_CONFIG_FILE / a setting), INI sections.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ProfileInfo {
  name: string;
  host?: string;
  /** Explicit `auth_type`, else what the keys imply (pat, oauth-m2m, basic, azure, databricks-cli). */
  authType: string;
  /** Keys present (never values): lets the UI say "token" without holding it. */
  keys: string[];
}

export interface ParsedConfigFile {
  sections: Map<string, Record<string, string>>;
  /** Lines that are neither a section, a `key = value`, a comment nor blank. */
  errors: { line: number; text: string }[];
}

export interface ProfilesResult {
  path: string;
  exists: boolean;
  profiles: ProfileInfo[];
  errors: { line: number; text: string }[];
}

function unquote(v: string): string {
  const m = /^(["'])(.*)\1$/.exec(v);
  return m ? m[2] : v;
}

/**
 * Parses the INI dialect of `.databrickscfg`: `[section]`, `key = value` (or `key: value`), `#`/`;` comments.
 * Keys before the first section belong to DEFAULT, repeated sections merge, as in the CLI's ini library.
 */
export function parseDatabricksCfg(text: string): ParsedConfigFile {
  const sections = new Map<string, Record<string, string>>();
  const errors: ParsedConfigFile['errors'] = [];
  let current = 'DEFAULT';
  const section = (name: string) => {
    if (!sections.has(name)) {
      sections.set(name, {});
    }
    return sections.get(name)!;
  };
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) {
        return;
      }
      const sec = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
      if (sec) {
        current = sec[1];
        section(current);
        return;
      }
      const kv = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
      if (!kv) {
        errors.push({ line: i + 1, text: line.length > 40 ? `${line.slice(0, 40)}…` : line });
        return;
      }
      // Inline comments only after whitespace: tokens and URLs never contain " #".
      const value = unquote(kv[2].replace(/\s+[#;].*$/, '').trim());
      section(current)[kv[1].trim()] = value;
    });
  return { sections, errors };
}

export function inferAuthType(values: Record<string, string>): string {
  if (values.auth_type) {
    return values.auth_type;
  }
  if (values.token) {
    return 'pat';
  }
  if (values.client_id && values.client_secret) {
    return 'oauth-m2m';
  }
  if (values.username && values.password) {
    return 'basic';
  }
  if (values.azure_client_id || values.azure_workspace_resource_id) {
    return 'azure';
  }
  if (values.google_service_account || values.google_credentials) {
    return 'google';
  }
  // A host alone means OAuth user login through `databricks auth login`.
  return 'databricks-cli';
}

/** Setting first, then DATABRICKS_CONFIG_FILE, then ~/.databrickscfg; `~` expands to the home directory. */
export function configFilePath(
  setting: string | undefined,
  env: NodeJS.ProcessEnv,
  home = os.homedir(),
): string {
  const chosen = setting?.trim() || env.DATABRICKS_CONFIG_FILE?.trim() || '~/.databrickscfg';
  return path.resolve(chosen.replace(/^~(?=$|[\\/])/, env.HOME || home));
}

export function profilesFrom(parsed: ParsedConfigFile): ProfileInfo[] {
  const out: ProfileInfo[] = [];
  for (const [name, values] of parsed.sections) {
    // An empty DEFAULT section is the ini library's placeholder, not a profile.
    if (name === 'DEFAULT' && Object.keys(values).length === 0) {
      continue;
    }
    out.push({ name, host: values.host, authType: inferAuthType(values), keys: Object.keys(values).sort() });
  }
  return out;
}

/** Lists the profiles of a config file; a missing file is not an error (the user may use a typed token). */
export async function readProfiles(file: string): Promise<ProfilesResult> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return { path: file, exists: false, profiles: [], errors: [] };
    }
    throw e;
  }
  const parsed = parseDatabricksCfg(text);
  return { path: file, exists: true, profiles: profilesFrom(parsed), errors: parsed.errors };
}

/** The DATABRICKS_* variables that configure a connection on their own (host plus some credential). */
export function envConnection(env: NodeJS.ProcessEnv): { host: string; authType: string } | undefined {
  const host = env.DATABRICKS_HOST?.trim();
  if (!host) {
    return undefined;
  }
  const values: Record<string, string> = {};
  const map: Record<string, string> = {
    DATABRICKS_TOKEN: 'token',
    DATABRICKS_CLIENT_ID: 'client_id',
    DATABRICKS_CLIENT_SECRET: 'client_secret',
    DATABRICKS_USERNAME: 'username',
    DATABRICKS_PASSWORD: 'password',
    DATABRICKS_AUTH_TYPE: 'auth_type',
  };
  for (const [k, v] of Object.entries(map)) {
    if (env[k]) {
      values[v] = env[k]!;
    }
  }
  return { host, authType: inferAuthType(values) };
}
