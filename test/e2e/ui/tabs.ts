// Matching an editor tab by file name: `agent.py` must not match `echo_agent.py` in another editor group.
export function tabNamed(name: string): RegExp {
  return new RegExp(`(^|[^\\w.])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
}
