// web3-onboard set up for the network picked in the header: injected wallets (MetaMask, Rabby, …) everywhere, plus the
// burner module on the local chain. The header has its own account display, so onboard's account center stays off.
import { init } from '@web3-onboard/react';
import injectedModule from '@web3-onboard/injected-wallets';
import { hexChainId, type NetworkConfig } from '../config/networks.ts';
import { burnerWalletModule } from './burnerWallet.ts';

// Test account #0 owns the devnet's Authority and sends its claims; a wallet sharing it would race the node for
// nonces, so the burner starts on #1 (as the `tt` CLI does). Any account can still be picked in the header.
export const DEFAULT_BURNER_ACCOUNT = 1;

let initialised: NetworkConfig | null = null;

export function initOnboard(network: NetworkConfig): void {
  if (initialised?.id === network.id) return;
  initialised = network;
  init({
    wallets: [
      burnerWalletModule({
        chainId: network.chainId,
        rpcUrl: network.rpcUrl,
        accountIndex: DEFAULT_BURNER_ACCOUNT,
      }),
      injectedModule(),
    ],
    chains: [{ id: hexChainId(network.chainId), token: 'ETH', label: network.label, rpcUrl: network.rpcUrl }],
    appMetadata: {
      name: 'Trust and Teach',
      icon: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M9 11h14M16 11v12" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>',
      description: 'Rank pairs of responses from an on-chain language model.',
    },
    accountCenter: { desktop: { enabled: false }, mobile: { enabled: false } },
    connect: { autoConnectLastWallet: true, showSidebar: false },
    notify: { enabled: false },
    theme: 'light',
    // The page works offline against a local devnet: no font download from a CDN.
    disableFontDownload: true,
  });
}
