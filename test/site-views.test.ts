/**
 * The run page's view models on a real seed run: the journey diagram's geometry (arrows that
 * must stay apart) and step data read as words, never as JSON.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { storeFromConfig } from '@discotrace/core';
import { getScenario, seed } from '@discotrace/lab';
import { runLabScenario } from '../packages/cli/src/lab-run.ts';
import type { LocalRunResult } from '../packages/cli/src/pipeline.ts';
import { journeyDiagram, type DiagramEdge } from '../site/src/lib/journey.ts';
import { dataRows } from '../site/src/lib/step-data.ts';
import { candidateTone } from '../site/src/lib/format.ts';
import { tempDir } from './utils/lab-run.ts';

let run: LocalRunResult;
let failed: LocalRunResult;
let cleanup: () => Promise<void>;
before(async () => {
  const temp = await tempDir('discotrace-site-views-');
  cleanup = temp.cleanup;
  const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: path.join(temp.dir, 'traces') });
  run = await runLabScenario(seed, { store, region: 'local' });
  failed = await runLabScenario(getScenario('v2-classic-fails'), { store, region: 'local' });
});
after(async () => cleanup?.());

/** The first and the last point of an edge's path ("M x,y C … x,y" or "M x,y L x,y"). */
function ends(edge: DiagramEdge): { from: [number, number]; to: [number, number] } {
  const points = [...edge.d.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
  return { from: points[0]!, to: points.at(-1)! };
}

describe('journey diagram geometry (seed run)', () => {
  for (const layout of ['wide', 'tall'] as const) {
    it(`${layout}: the arrow to the settings leaves the redirect target well clear of the HTTP redirect's arrow head`, () => {
      const diagram = journeyDiagram(run.report, run.phases, layout);
      const end = diagram.nodes.find((n) => n.id === 'end')!;
      const last = diagram.edges.at(-1)!;
      const into = ends(last);
      assert.ok(Math.abs(into.to[0] - (end.x - 2)) <= 3 || Math.abs(into.to[0] - (end.x + end.w + 2)) <= 3, 'the last edge ends at the end node');
      // The loop: an edge that starts and ends on the right edge of the same column.
      const loops = diagram.edges.filter((e) => { const p = ends(e); return Math.abs(p.from[0] - (p.to[0] - 2)) <= 0.5 && e !== last; });
      assert.ok(loops.length >= 1, 'the HTTP redirect is drawn as a loop');
      const arrival = ends(loops.at(-1)!).to;
      const exit = into.from;
      assert.ok(Math.abs(exit[0] - (arrival[0] - 2)) <= 0.5, 'the settings arrow leaves the loop\'s target');
      assert.ok(Math.abs(exit[1] - arrival[1]) >= 12, `arrow heads ${Math.abs(exit[1] - arrival[1])} px apart`);
      if (layout === 'wide') assert.equal(into.from[1], into.to[1], 'level with its source: a straight arrow');
    });
  }
});

describe('journey diagram content', () => {
  it('a failed run\'s end node names the cause and the host it happened at', () => {
    const end = journeyDiagram(failed.report, failed.phases).nodes.find((n) => n.id === 'end')!;
    assert.equal(end.label, 'No settings');
    assert.equal(end.sublabel[0], failed.report.verdict.cause!.code);
    assert.match(end.sublabel.slice(1).join(''), /^at autodiscover\.contoso\.com$/);
  });

  it('a refused redirect is drawn as an arrow that stops, its target and reason in its hover text and in words', async () => {
    const { dir, cleanup: done } = await tempDir('discotrace-site-views-owa-');
    try {
      const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: path.join(dir, 'traces') });
      const owa = await runLabScenario(getScenario('redirect-port80-to-owa'), { store, region: 'local' });
      for (const layout of ['wide', 'tall'] as const) {
        const diagram = journeyDiagram(owa.report, owa.phases, layout);
        const stub = diagram.edges.find((e) => e.title?.includes('https://mail.example.com/owa/'));
        assert.ok(stub, `${layout}: the refused hop is drawn`);
        assert.equal(stub.tone, 'fail');
        assert.match(stub.title!, /^HTTP redirect to https:\/\/mail\.example\.com\/owa\/ refused: /);
        assert.ok(diagram.steps.some((st) => st.includes('to https://mail.example.com/owa/ refused')), diagram.steps.join('\n'));
      }
    } finally {
      await done();
    }
  });

  it('a refused address redirect (redirectAddr to the same address) is drawn from the candidate that answered it', async () => {
    const { dir, cleanup: done } = await tempDir('discotrace-site-views-addr-');
    try {
      const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: path.join(dir, 'traces') });
      // onprem-only, but the server sends bob to bob: a loop the walk refuses.
      const base = getScenario('onprem-only');
      const address = base.users[0]!.address;
      const scenario = JSON.parse(JSON.stringify(base).replaceAll('"action":"settings","profile":"onprem","displayName":"Bob Example"', `"action":"redirectAddr","to":"${address}"`)) as typeof base;
      assert.notEqual(JSON.stringify(scenario), JSON.stringify(base), 'the answer was replaced');
      const loop = await runLabScenario(scenario, { store, region: 'local' });
      const refusedHop = loop.phases[0]!.redirects.find((h) => h.kind === 'redirectAddr' && !h.accepted);
      assert.ok(refusedHop, JSON.stringify(loop.phases[0]!.redirects));
      const diagram = journeyDiagram(loop.report, loop.phases);
      const stub = diagram.edges.find((e) => e.title?.startsWith(`Address redirect (redirectAddr) to ${address} refused`));
      assert.ok(stub, diagram.edges.map((e) => e.title ?? e.label ?? '').join(' | '));
      const source = diagram.nodes.find((n) => n.label === 'Autodiscover host over HTTPS')!;
      assert.equal(ends(stub).from[0], source.x + source.w, 'leaves the Autodiscover host');
    } finally {
      await done();
    }
  });

  it('red is for what failed; a candidate left with only a warning (the bare domain\'s misnamed certificate) is amber', () => {
    const tone = (r: LocalRunResult, source: string) => candidateTone(r.phases[0]!.candidates.find((c) => c.source === source)!);
    assert.equal(tone(run, 'root-https'), 'warn');
    assert.equal(tone(failed, 'root-https'), 'warn');
    assert.equal(tone(failed, 'autodiscover-https'), 'fail');
    // No SRV record in a failed run is part of why nothing answered (its finding is a note): red.
    assert.equal(tone(failed, 'srv'), 'fail');
  });

  it('the candidate that raised the verdict\'s cause is red even when the cause is a warning (AUTH_WITHHELD_HOST)', async () => {
    const { dir, cleanup: done } = await tempDir('discotrace-site-views-srv-');
    try {
      const { store } = storeFromConfig({ DISCOTRACE_STORE_DIR: path.join(dir, 'traces') });
      const srv = await runLabScenario(getScenario('dns-srv-priorities'), { store, region: 'local' });
      const cause = srv.report.verdict.cause!;
      assert.equal(cause.code, 'AUTH_WITHHELD_HOST');
      const at = srv.phases[0]!.candidates.find((c) => c.steps.some((st) => st.findings.some((f) => f.code === cause.code)))!;
      assert.equal(candidateTone(at, cause), 'fail');
      assert.equal(candidateTone(at), 'warn', 'without the cause, a warning alone is amber');
    } finally {
      await done();
    }
  });
});

describe('step data in words', () => {
  it('no step of the seed run shows JSON; schemes, TCP attempts and chains read as lines', () => {
    const rows = run.phases.flatMap((p) => p.candidates.flatMap((c) => c.steps.flatMap((s) => dataRows(s.data))));
    assert.ok(rows.length > 20);
    for (const row of rows) assert.doesNotMatch(row.value, /[{[]"|":|\btrue\b|\bfalse\b/, `${row.label}: ${row.value}`);
    const value = (label: string) => rows.filter((r) => r.label === label).map((r) => r.value);
    assert.ok(value('schemes').some((v) => v.split('\n').includes('Basic realm="autodiscover.contoso.com"')), value('schemes').join(' / '));
    assert.ok(value('attempts').some((v) => /^127\.0\.0\.1:\d+ open, \d+ ms$/.test(v)), value('attempts').join(' / '));
    assert.ok(value('attempts').some((v) => /refused \(ECONNREFUSED\)/.test(v)), 'a refused attempt says so');
    assert.ok(value('certificates').some((v) => /^CN=autodiscover\.contoso\.com, O=discotrace lab: valid, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$/m.test(v)), value('certificates').join(' / '));
  });
});

describe('durations', () => {
  it('round within their unit: never "1000 ms", "60.0 s" or "1 min 60 s"', async () => {
    const { duration } = await import('../site/src/lib/format.ts');
    const cases: [number, string][] = [[0, '0 ms'], [0.4, '<1 ms'], [999.4, '999 ms'], [999.6, '1.00 s'], [9_996, '10.0 s'], [59_960, '1 min 0 s'], [59_999, '1 min 0 s'], [61_000, '1 min 1 s'], [119_600, '2 min 0 s'], [179_999, '3 min 0 s'], [3_599_400, '59 min 59 s'], [3_725_000, '1 h 2 min'], [-5000, '–'], [Number.NaN, '–'], [1e300, 'over 100 days']];
    for (const [ms, text] of cases) assert.equal(duration(ms), text, `${ms} ms`);
  });
});

describe('step data from a tampered store', () => {
  it('keys named like Object.prototype members are shown as written, and odd values never blank a row', () => {
    const data = JSON.parse('{"__proto__":[{"a":1}],"constructor":"c","toString":{"x":1},"valueOf":[[1,2],[3]],"attempts":[[1,2],null,{"address":"10.0.0.1","outcome":"refused"}],"chain":[null,"x"],"schemes":[null,{"scheme":"Basic"}],"empty":{"a":null},"nested":{"a":"1.2.3.4"}}') as Record<string, unknown>;
    const rows = dataRows(data);
    const by = Object.fromEntries(rows.map((r) => [r.label, r.value]));
    assert.equal(by.__proto__, 'a 1');
    assert.equal(by.constructor, 'c');
    assert.equal(by['to string'], 'x: 1');
    assert.equal(by['value of'], '1, 2\n3');
    assert.equal(by.attempts, '1, 2\n10.0.0.1 refused');
    assert.equal(by.chain, 'x');
    assert.equal(by.schemes, 'Basic');
    assert.equal(by.nested, 'a: 1.2.3.4', 'a nested "a" is not the DNS record label');
    assert.ok(!('empty' in by), 'a value with nothing in it is no row');
    for (const row of rows) assert.ok(row.label && row.value, JSON.stringify(row));
  });
});
