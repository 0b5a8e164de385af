// `npm run corpus:fetch`: puts the third-party files of each test/fixtures/real/<project>/source.json into its
// files/ folder (git-ignored; they are never committed), at the pinned commit, and checks each against its git blob id.
// From a local clone when OBO_CORPUS_CLONES names a folder holding <owner>/<name> (or <owner>+<name>/repo) git
// directories, else from raw.githubusercontent.com.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REAL, projects, sourceOf } from './corpus-score';

const blobId = (data: Buffer) =>
  createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');

function fromClone(repo: string, commit: string, file: string): Buffer | undefined {
  const root = process.env.OBO_CORPUS_CLONES;
  if (!root) {
    return undefined;
  }
  for (const dir of [path.join(root, repo), path.join(root, repo.replace('/', '+'), 'repo')]) {
    if (!fs.existsSync(dir)) {
      continue;
    }
    try {
      return execFileSync('git', ['-C', dir, 'show', `${commit}:${file}`], { maxBuffer: 64 << 20 });
    } catch {
      /* try the next place */
    }
  }
  return undefined;
}

async function main(): Promise<void> {
  let failed = 0;
  for (const project of projects()) {
    const src = sourceOf(project);
    const repo = src.repository.replace(/^https:\/\/github\.com\//, '');
    for (const f of src.files) {
      const dest = path.join(REAL, project, 'files', f.path);
      if (fs.existsSync(dest) && blobId(fs.readFileSync(dest)) === f.blob) {
        continue;
      }
      let data = fromClone(repo, src.commit, f.original);
      if (!data) {
        const res = await fetch(`https://raw.githubusercontent.com/${repo}/${src.commit}/${f.original}`);
        data = res.ok ? Buffer.from(await res.arrayBuffer()) : undefined;
      }
      if (!data || blobId(data) !== f.blob) {
        console.error(
          `${project}: ${f.original}: ${data ? 'content differs from the pinned blob' : 'not found'}`,
        );
        failed++;
        continue;
      }
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.writeFileSync(dest, data);
      console.log(`${project}: ${f.path}`);
    }
  }
  process.exit(failed > 0 ? 1 : 0);
}

void main();
