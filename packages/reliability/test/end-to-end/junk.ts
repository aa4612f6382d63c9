// The node's HTTP APIs under junk: rollup API calls (without the backend's secret, and malformed ones with it), junk
// GraphQL and random inspect payloads get a 4xx or a report, and the node and the backend live on.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hexlify } from 'ethers';
import { emptyStats, recordStats } from '../../src/stats.ts';
import { sized } from '../../src/models.ts';
import { reportJson } from '../../src/devnet.ts';
import { SEED, backendCrashes, backendPid, devnet, run, skipNote } from './context.ts';

const fuzzJunk = emptyStats('node HTTP APIs under junk');
afterAll(() => {
  if (fuzzJunk.tried) recordStats(fuzzJunk);
});

describe.skipIf(!run)(`the node's HTTP APIs under junk${skipNote}`, () => {
  it('malformed rollup API calls, junk GraphQL and random inspect payloads: 4xx or a report, the node and the backend live on', async () => {
    const t0 = Date.now();
    const base = devnet.nodeUrl;
    const rollupRoutes = ['finish', 'voucher', 'notice', 'report', 'exception'];
    const junkBodies = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.json({ maxDepth: 3 }),
        fc.constantFrom(
          '{"status":"maybe"}',
          '{"status":null}',
          '{"payload":"0x1"}',
          '{"payload":"0xzz"}',
          '{"destination":"0x12","payload":"0x"}',
          '[]',
          'null',
          '{',
          '\u0000',
        ),
      ),
      { numRuns: sized('TT_JUNK_REQUESTS', 60, 600), seed: SEED },
    );
    const problems: string[] = [];
    for (const [i, body] of junkBodies.entries()) {
      const route = rollupRoutes[i % rollupRoutes.length]!;
      // with the secret (what the backend has), only malformed calls: a valid /finish would be the backend's own
      const withSecret = i % 2 === 1;
      if (withSecret && route === 'finish' && /"status"\s*:\s*"(accept|reject)"/.test(body)) continue;
      fuzzJunk.tried++;
      const res = await fetch(`${withSecret ? devnet.rollupUrl : `${base}/host-runner`}/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      }).catch((e: Error) => ({ status: -1, e }));
      if (route === 'finish' && res.status === 202) {
        fuzzJunk.rejectedAsExpected++;
        continue;
      }
      if (res.status >= 400 && res.status < 500) fuzzJunk.rejectedAsExpected++;
      else {
        fuzzJunk.unexpected++;
        problems.push(
          `POST /host-runner/${withSecret ? '<secret>/' : ''}${route} ${JSON.stringify(body).slice(0, 80)} → ${res.status}`,
        );
      }
    }
    // an oversized body and wrong methods
    const secretPath = new URL(devnet.rollupUrl).pathname;
    for (const [method, path, body] of [
      ['POST', `${secretPath}/notice`, 'x'.repeat(17 * 1024 * 1024)],
      ['GET', `${secretPath}/voucher`, undefined],
      ['PUT', '/graphql', '{}'],
      ['POST', '/host-runner/nope', '{}'],
    ] as const) {
      fuzzJunk.tried++;
      const res = await fetch(`${base}${path}`, {
        method,
        body,
        headers: body ? { 'content-type': 'application/json' } : {},
      }).catch(() => ({ status: -1 }));
      if (res.status >= 400 && res.status < 500) fuzzJunk.rejectedAsExpected++;
      else {
        fuzzJunk.unexpected++;
        problems.push(`${method} ${path} → ${res.status}`);
      }
    }
    // junk GraphQL: errors, never a dead server
    for (const q of fc.sample(
      fc.oneof(
        fc.string({ maxLength: 100 }),
        fc.constantFrom(
          '{ inputs(first: -1) { totalCount } }',
          '{ input(index: 99999999) { index } }',
          '{ inputs(after: "!!") { totalCount } }',
          '{ voucher(voucherIndex: 0, inputIndex: -5) { index } }',
          '{ __schema { types { name } } }',
        ),
      ),
      { numRuns: 30, seed: SEED },
    )) {
      fuzzJunk.tried++;
      const res = await fetch(devnet.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: q }),
      }).catch(() => ({ status: -1 }) as Response);
      if (res.status > 0 && res.status < 500) fuzzJunk.rejectedAsExpected++;
      else {
        fuzzJunk.unexpected++;
        problems.push(`GraphQL ${JSON.stringify(q).slice(0, 80)} → ${res.status}`);
      }
    }
    // random inspect payloads go to the backend: each answered (a report), never a crash
    for (const bytes of fc.sample(fc.uint8Array({ maxLength: 200 }), {
      numRuns: sized('TT_INSPECT_RUNS', 30, 300),
      seed: SEED,
    })) {
      fuzzJunk.tried++;
      const res = await fetch(`${devnet.inspectUrl}`, { method: 'POST', body: bytes }).catch(
        () => ({ status: -1 }) as Response,
      );
      const body =
        res.status === 200
          ? ((await res.json()) as { status: string; reports: { payload: string }[] })
          : null;
      if (body && body.reports.length >= 1 && reportJson(body.reports[0]!.payload).type === 'error')
        fuzzJunk.rejectedAsExpected++;
      else {
        fuzzJunk.unexpected++;
        problems.push(
          `inspect ${hexlify(bytes).slice(0, 40)} → ${res.status} ${JSON.stringify(body).slice(0, 200)}`,
        );
      }
    }
    fuzzJunk.durationMs = Date.now() - t0;
    fuzzJunk.crashes = backendCrashes();
    expect(problems, problems.slice(0, 10).join('\n')).toEqual([]);
    expect(backendCrashes()).toBe(0);
    expect(devnet.node.backend!.pid).toBe(backendPid);
    const info = (await (await fetch(`${devnet.inspectUrl}/info`)).json()) as {
      reports: { payload: string }[];
    };
    expect(reportJson(info.reports[0]!.payload).type).toBe('info');
  });
});
