// Reads the raw payloads the rollup node stores, for the Inspect panel: inputs are `prompt(...)` call data, vouchers are
// `postResponse(...)` call data, notices and reports are UTF-8 JSON (docs/interfaces.md). Anything else stays hex.
import type { InspectResponse } from '@tt/cartesi-v1';
import { TrustAndTeach__factory } from '@tt/contracts';
import { decodePromptPayload, decodeUtf8, fromHex, parseReportText, type InfoReport } from '@tt/protocol';

const contractIface = TrustAndTeach__factory.createInterface();

export interface Decoded {
  /** A one-line summary, e.g. `prompt #3 · 64 tokens · "Once upon…"`. */
  summary: string;
  /** The full readable form (pretty JSON or the decoded arguments), or the hex when nothing better exists. */
  body: string;
  kind: 'call' | 'json' | 'text' | 'hex';
}

function bytesText(hex: string): string {
  return decodeUtf8(fromHex(hex)).text;
}

function quote(s: string, max = 60): string {
  const one = s.replace(/\s+/g, ' ');
  return `“${one.length > max ? `${one.slice(0, max - 1)}…` : one}”`;
}

export function decodeInputPayload(payload: string): Decoded {
  try {
    // The backend's own reading (@tt/protocol): a payload it would refuse is shown as what it is, not as a prompt.
    const p = decodePromptPayload(fromHex(payload));
    const text = decodeUtf8(p.prompt).text;
    return {
      kind: 'call',
      summary: `prompt #${p.conversationId} · ${p.steps} tokens · ${quote(text)}`,
      body: JSON.stringify(
        {
          function: 'prompt',
          conversationId: p.conversationId.toString(),
          prompt: text,
          steps: p.steps,
          temperatureMilli: p.temperatureMilli,
          topPMilli: p.topPMilli,
        },
        null,
        2,
      ),
    };
  } catch {
    // Not our input (anyone can add inputs to the InputBox): fall through.
  }
  return decodeTextPayload(payload);
}

export function decodeVoucherPayload(payload: string): Decoded {
  try {
    const tx = contractIface.parseTransaction({ data: payload });
    if (tx?.name === 'postResponse') {
      const a = tx.args;
      const text = bytesText(a[2] as string);
      return {
        kind: 'call',
        summary: `postResponse #${a[0]} · response ${a[1]} · ${quote(text)}`,
        body: JSON.stringify(
          {
            function: 'postResponse',
            conversationId: String(a[0]),
            responseIndex: Number(a[1]),
            text,
            modelHash: a[3],
            seed: String(a[4]),
            steps: Number(a[5]),
            temperatureMilli: Number(a[6]),
            topPMilli: Number(a[7]),
          },
          null,
          2,
        ),
      };
    }
  } catch {
    // Fall through to the raw view.
  }
  return { kind: 'hex', summary: `${(payload.length - 2) / 2} bytes`, body: payload };
}

/** Notices and reports: UTF-8 JSON from our backend, or plain text, or hex. */
export function decodeTextPayload(payload: string): Decoded {
  const { text, utf8Valid } = decodeUtf8(fromHex(payload));
  if (!utf8Valid) return { kind: 'hex', summary: `${(payload.length - 2) / 2} bytes`, body: payload };
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    let summary = typeof j.type === 'string' ? j.type : 'json';
    if (j.type === 'response')
      summary = `response #${String(j.conversationId)} · ${String(j.responseIndex) === '0' ? 'A' : 'B'} · ${quote(String(j.text ?? ''))}`;
    if (j.type === 'error') summary = `error ${String(j.code)}: ${String(j.message)}`;
    return { kind: 'json', summary, body: JSON.stringify(j, null, 2) };
  } catch {
    return { kind: 'text', summary: quote(text, 90), body: text };
  }
}

/** `GET <inspect>/info`: the backend answers with one report holding its model card (docs/interfaces.md). */
export async function fetchInspectInfo(inspectUrl: string, signal?: AbortSignal): Promise<InfoReport> {
  const res = await fetch(`${inspectUrl}/info`, { signal });
  if (!res.ok) throw new Error(`The inspect endpoint answered ${res.status}.`);
  const body = (await res.json()) as Partial<InspectResponse>;
  if (body.status && body.status !== 'Accepted')
    throw new Error(`The backend answered the inspect with status ${body.status}.`);
  for (const r of body.reports ?? []) {
    const report = parseReportText(bytesText(r.payload));
    if (report?.type === 'info') return report;
  }
  throw new Error('The backend sent no model card; is it the Trust-and-Teach backend?');
}
