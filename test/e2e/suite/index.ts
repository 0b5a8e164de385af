// Entry of the integration suite (the @vscode/test-electron `extensionTestsPath` contract): run() is called inside
// the extension host, runs every *.test.js beside it with mocha, and prints `N passed, N failed` as a plain line.
// env (inherited from the server that spawned the extension host): OBO_E2E_RESULT (a JSON file for the counts),
// OBO_E2E_GREP (run only matching tests).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec' });
  if (process.env.OBO_E2E_GREP) {
    mocha.grep(process.env.OBO_E2E_GREP);
  }
  for (const f of fs.readdirSync(__dirname).sort()) {
    if (f.endsWith('.test.js')) {
      mocha.addFile(path.join(__dirname, f));
    }
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const s = runner.stats ?? { passes: 0, failures, pending: 0 };
      const pending: string[] = [];
      runner.suite.eachTest((t) => {
        if (t.isPending()) {
          pending.push(t.fullTitle());
        }
      });
      if (process.env.OBO_E2E_RESULT) {
        const result = { passed: s.passes, failed: s.failures, pending };
        fs.writeFileSync(process.env.OBO_E2E_RESULT, JSON.stringify(result, null, 2));
      }
      console.log(`${s.pending} pending`);
      console.log(`${s.passes} passed, ${s.failures} failed`);
      if (failures > 0) {
        reject(new Error(`${failures} tests failed.`));
      } else {
        resolve();
      }
    });
  });
}
