import { expect, it } from 'vitest';
import { AbiCoder, zeroPadValue, toBeHex } from 'ethers';
import { InputBox__factory } from '@tt/cartesi-v1';
import { decodeInputAdded } from './pipeline.js';

it('decodes InputAdded logs exactly like the ABI decoder', () => {
  const iface = InputBox__factory.createInterface();
  const event = iface.getEvent('InputAdded')!;
  for (const input of ['0x', '0x01', `0x${'ab'.repeat(32)}`, `0x${'cd'.repeat(77)}`]) {
    const sender = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8';
    const topics = [
      event.topicHash,
      zeroPadValue('0xab7528bb862fb57e8a2bcd567a2e929a0be56a5e', 32),
      toBeHex(41, 32),
    ];
    const data = AbiCoder.defaultAbiCoder().encode(['address', 'bytes'], [sender, input]);
    const parsed = iface.parseLog({ topics, data })!;
    expect(decodeInputAdded(topics, data)).toEqual({
      inputIndex: Number(parsed.args.inputIndex),
      sender: (parsed.args.sender as string).toLowerCase(),
      input: parsed.args.input,
    });
  }
  expect(() => decodeInputAdded([event.topicHash], '0x')).toThrow(/malformed/);
});
