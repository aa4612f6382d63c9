// After every suite: the node holds exactly the InputBox's events, each input processed once, and the backend never
// died.
import { describe, expect, it } from 'vitest';
import { dumpInputs, inputAddedEvents } from '../../src/devnet.ts';
import { backendCrashes, devnet, env, provider, run, skipNote } from './context.ts';

describe.skipIf(!run)(`the whole run${skipNote}`, () => {
  it('the node holds exactly the InputBox events (index, sender, payload bytes), each input processed once', async () => {
    await devnet.settled(120_000);
    const { InputBox, CartesiDApp } = devnet.deployments.contracts;
    const events = await inputAddedEvents(provider, InputBox, CartesiDApp);
    const dump = await dumpInputs(devnet.graphqlUrl);
    expect(dump.map((d) => [d.index, d.msgSender.toLowerCase(), d.payload])).toEqual(
      events.map((e) => [e.index, e.sender, e.payload]),
    );
    expect(dump.filter((d) => d.status === 'UNPROCESSED')).toEqual([]);
    const twice = [...env.processedCount].filter(([, n]) => n !== 1);
    expect(twice).toEqual([]);
    expect(env.processedCount.size).toBe(events.length);
    expect(backendCrashes()).toBe(0);
  });
});
