// Finds the package version at run time (the bundle sits in dist/, compiled tests in out/; both under the package).
import * as fs from 'fs';
import * as path from 'path';

export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'obo-agents' && pkg.version) {
        return pkg.version;
      }
    } catch {
      // No package.json here: keep climbing.
    }
    if (path.dirname(dir) === dir) {
      return 'unknown';
    }
  }
}
