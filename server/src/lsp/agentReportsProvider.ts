// `obo/agentReports`: the agent reports of the workspace or of one document, with the findings of the linked files.
import type { AgentReport } from '../../../shared/reports';
import type { DocumentResolver } from './documentResolver';
import type { ProjectHost } from './projectHost';
import type { AgentReportsParams, AgentReportsResult } from '../../../shared/protocol';

export class AgentReportsProvider {
  constructor(
    private readonly host: ProjectHost,
    private readonly resolver: DocumentResolver,
    private readonly sync: () => void,
  ) {}

  provide(params: AgentReportsParams | undefined): AgentReportsResult {
    this.sync();
    if (!this.host.ready) {
      return { reports: [], findings: [] };
    }
    let reports = this.host.project.agentReports();
    const uri = typeof params?.uri === 'string' ? params.uri : undefined;
    if (uri) {
      const target = this.resolver.resolve(uri);
      const file = target?.path;
      reports = file === undefined ? [] : reports.filter((r) => linkedFiles(r).has(file));
    }
    const files = new Set<string>();
    for (const r of reports) {
      for (const f of linkedFiles(r)) {
        files.add(f);
      }
    }
    const findings: AgentReportsResult['findings'] = [];
    for (const file of files) {
      for (const finding of this.host.project.findingsFor(file)) {
        findings.push({ file, finding });
      }
    }
    return { reports, findings };
  }
}

/** The agent module, the file holding it (a notebook for `%%writefile`), and every log site's file. */
function linkedFiles(report: AgentReport): Set<string> {
  return new Set([report.path, report.location.file, ...report.logSites.map((s) => s.location.file)]);
}
