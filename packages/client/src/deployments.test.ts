import { describe, expect, it } from 'vitest';
import { checkDeployments, dappOf, fetchDeployments } from './deployments.ts';
import { TtError } from './errors.ts';

const good = {
  chainId: 31337,
  network: 'devnet',
  contracts: {
    TrustAndTeach: '0xd07287fdc2ebd2c915d3b9a41e01504fb69f9e43',
    InputBox: '0x59b22D57D4f067708AB0c00552767405926dc768',
  },
  trustAndTeachDeploymentBlock: 17,
  model: { name: 'stories15M', license: 'MIT', hash: '0x' + '00'.repeat(32), seqLen: 256 },
};

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof TtError ? `${err.code}: ${err.message}` : String(err);
  }
  return 'no error';
};

describe('deployments in the client', () => {
  it('turns a bad file into no-deployments naming the file and the field', () => {
    expect(code(() => checkDeployments({ ...good, chainId: '1' }, 'f.json'))).toMatch(
      /^no-deployments: f\.json .*chainId/,
    );
  });

  it('says what to do when posting needs a CartesiDApp the file does not name', () => {
    const d = checkDeployments(good, 'f.json');
    expect(code(() => dappOf(d))).toMatch(/^no-deployments: .*no CartesiDApp/);
    const withDApp = {
      ...good,
      contracts: { ...good.contracts, CartesiDApp: '0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e' },
    };
    expect(dappOf(checkDeployments(withDApp, 'f.json'))).toBe('0xab7528bb862fB57E8A2BCd567a2e929a0Be56a5e');
  });

  it('fetches from a node and tells a stopped devnet from a bad answer', async () => {
    const refused = Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    await expect(
      fetchDeployments('http://x/deployments.json', () => Promise.reject(refused)),
    ).rejects.toMatchObject({
      code: 'devnet-not-running',
    });
    const answer = (status: number, body: unknown) => () =>
      Promise.resolve(new Response(JSON.stringify(body), { status }));
    await expect(fetchDeployments('http://x/d.json', answer(404, {}))).rejects.toMatchObject({
      code: 'no-deployments',
    });
    expect((await fetchDeployments('http://x/d.json', answer(200, good))).trustAndTeachDeploymentBlock).toBe(
      17,
    );
  });
});
