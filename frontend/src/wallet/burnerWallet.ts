// A web3-onboard wallet module for the burner provider. It returns no module off the local chain, so the connect dialog
// never offers public test keys on a real network.
import type { WalletInit, WalletModule } from '@web3-onboard/common';
import { LOCAL_CHAIN_ID } from '../config/networks.ts';
import { BurnerProvider, type BurnerOptions } from './burnerProvider.ts';

export const BURNER_LABEL = 'Devnet test account';

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#f97316"/><path d="M16 6c2 4 6 6 6 11a6 6 0 0 1-12 0c0-3 2-5 3-7 1 2 2 3 3 3 0-3-1-5 0-7z" fill="#fff"/></svg>`;

/** The provider of the last connection, so the UI can switch test accounts. */
let active: BurnerProvider | null = null;

export function activeBurner(): BurnerProvider | null {
  return active;
}

export function burnerWalletModule(options: BurnerOptions): WalletInit {
  return () => {
    if (options.chainId !== LOCAL_CHAIN_ID) return null;
    const module: WalletModule = {
      label: BURNER_LABEL,
      getIcon: async () => ICON,
      getInterface: async () => {
        const stored = Number(
          globalThis.localStorage?.getItem('tt.burnerAccount') ?? options.accountIndex ?? 0,
        );
        active = new BurnerProvider({ ...options, accountIndex: stored });
        // web3-onboard types the provider with overloads for each method; ours answers them all through `request`.
        return { provider: active as unknown as import('@web3-onboard/common').EIP1193Provider };
      },
    };
    return module;
  };
}
