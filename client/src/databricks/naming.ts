// Names agents.deploy() would give: endpoint `agents_<catalog>-<schema>-<model>`, served entity `<...>_<version>`.

const PART = /^[A-Za-z0-9_]+$/;

export interface ModelName {
  catalog: string;
  schema: string;
  name: string;
  full: string;
}

/** Parses `catalog.schema.model`; returns a reason when the name is not a usable Unity Catalog model name. */
export function parseModelName(full: string): ModelName | string {
  const parts = full.trim().split('.');
  if (parts.length !== 3) {
    return `"${full}" is not a three-level Unity Catalog name (catalog.schema.model).`;
  }
  const bad = parts.find((p) => !PART.test(p));
  if (bad !== undefined) {
    return `"${bad || '(empty)'}" in "${full}" may only contain letters, digits and underscores.`;
  }
  const [catalog, schema, name] = parts;
  return { catalog, schema, name, full: parts.join('.') };
}

/** Python's `s.rstrip("-_")`. */
const rstrip = (s: string) => s.replace(/[-_]+$/, '');

/** `"agents_" + full[:56].replace(".", "-").rstrip("-_")`: 63 characters at most, one endpoint per model. */
export function endpointName(fullName: string): string {
  return `agents_${rstrip(fullName.slice(0, 56).replace(/\./g, '-'))}`;
}

/** `full[:63 - len(sfx)].replace(".", "-").rstrip("-_") + sfx` with `sfx = "_<version>"`. */
export function servedEntityName(fullName: string, version: string | number): string {
  const sfx = `_${version}`;
  return rstrip(fullName.slice(0, 63 - sfx.length).replace(/\./g, '-')) + sfx;
}

/** A default model name part from an agent file name: `my-agent.py` → `my_agent`. */
export function modelPartFromFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? 'agent';
  const stem = base.replace(/\.[^.]+$/, '');
  const cleaned = stem
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return cleaned || 'agent';
}

export const endpointPageUrl = (host: string, endpoint: string) =>
  `${host.replace(/\/$/, '')}/ml/endpoints/${endpoint}`;
export const invocationsUrl = (host: string, endpoint: string) =>
  `${host.replace(/\/$/, '')}/serving-endpoints/${endpoint}/invocations`;
