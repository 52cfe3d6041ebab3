import { CASES } from '@discotrace/lab';
import { runAgainstLab } from './lab-run.ts';
const c = CASES['bug-21-content-type-missing']!;
const run = await runAgainstLab(c.scenario, c.address, c.credentials);
for (const s of run.phases[0]!.candidates.find((x) => x.source === 'autodiscover-https')!.steps.slice(-2)) console.log(s.kind, JSON.stringify(s.data.exchange ? { ct: (s.data.exchange as any).contentType, h: (s.data.exchange as any).responseHeaders } : s.findings));
await run.close();
