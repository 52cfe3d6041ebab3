import { CASES } from '@discotrace/lab';
import { runAgainstLab } from './lab-run.ts';
const only = process.argv[2];
for (const [name, c] of Object.entries(CASES)) {
  if (only && !name.includes(only)) continue;
  const t0 = performance.now();
  const run = await runAgainstLab(c.scenario, c.address, c.credentials);
  try {
    const v = run.report.verdict;
    console.log(`\n## ${name} (${Math.round(performance.now() - t0)} ms): ${v.status} cause=${v.cause?.code ?? '-'} others=${v.others.map((f) => f.code).join(',')}`);
    console.log('   headline:', v.headline);
    for (const p of run.phases) for (const cand of p.candidates) {
      console.log(`   [${p.index}] ${cand.title} → ${cand.status}: ${cand.summary}`);
      for (const s of cand.steps) console.log(`       ${s.status.padEnd(5)} ${s.kind} ${s.title} — ${s.summary} ${s.findings.map((f) => f.code + (f.expected ? '(exp)' : '') + (f.evidence?.note ? ':' + f.evidence.note : '')).join(',')}`);
    }
    console.log('   chain:', JSON.stringify(run.report.chain.map((h) => [h.kind, h.to, h.accepted])));
  } finally { await run.close(); }
}
