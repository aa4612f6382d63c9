// The connected wallet as the components need it: address, whether it is on the page's network, an ethers signer, and
// for the burner the test-account switcher.
import { useConnectWallet, useSetChain } from '@web3-onboard/react';
import { BrowserProvider, type JsonRpcSigner } from 'ethers';
import { useCallback, useMemo } from 'react';
import { hexChainId, type NetworkConfig } from '../config/networks.ts';
import { SELECT_ACCOUNT_METHOD } from './burnerProvider.ts';
import { BURNER_LABEL } from './burnerWallet.ts';

export interface WalletState {
  address: string | null;
  label: string | null;
  chainId: number | null;
  connecting: boolean;
  wrongNetwork: boolean;
  isBurner: boolean;
  /** Null until connected, and while on the wrong network (so nothing is signed for the wrong chain). */
  getSigner: (() => Promise<JsonRpcSigner>) | null;
  connect: () => Promise<void>;
  connectBurner: () => Promise<void>;
  disconnect: () => Promise<void>;
  switchNetwork: () => Promise<void>;
  selectBurnerAccount: (index: number) => Promise<void>;
  burnerIndex: number;
}

export const BURNER_ACCOUNT_KEY = 'tt.burnerAccount';

export function useWallet(network: NetworkConfig): WalletState {
  const [{ wallet, connecting }, connect, disconnect] = useConnectWallet();
  const [{ connectedChain }, setChain] = useSetChain();
  const address = wallet?.accounts[0]?.address ?? null;
  const chainHex = connectedChain?.id ?? wallet?.chains[0]?.id ?? null;
  const chainId = chainHex ? Number(BigInt(chainHex)) : null;
  const wrongNetwork = !!wallet && chainId !== network.chainId;
  const isBurner = wallet?.label === BURNER_LABEL;

  const browserProvider = useMemo(() => {
    if (!wallet) return null;
    const p = new BrowserProvider(wallet.provider, 'any');
    // ethers polls a wallet every 4 s by default; a second is kinder to someone watching a transaction.
    p.pollingInterval = 1000;
    return p;
  }, [wallet?.provider]);
  const getSigner = useMemo(
    () => (browserProvider && address && !wrongNetwork ? () => browserProvider.getSigner(address) : null),
    [browserProvider, address, wrongNetwork],
  );

  const selectBurnerAccount = useCallback(
    async (index: number) => {
      if (!wallet || !isBurner) return;
      localStorage.setItem(BURNER_ACCOUNT_KEY, String(index));
      await wallet.provider.request({ method: SELECT_ACCOUNT_METHOD, params: [index] } as never);
    },
    [wallet, isBurner],
  );

  return {
    address,
    label: wallet?.label ?? null,
    chainId,
    connecting,
    wrongNetwork,
    isBurner,
    getSigner,
    connect: async () => {
      await connect();
    },
    connectBurner: async () => {
      await connect({ autoSelect: { label: BURNER_LABEL, disableModals: true } });
    },
    disconnect: async () => {
      if (wallet) await disconnect({ label: wallet.label });
    },
    switchNetwork: async () => {
      await setChain({ chainId: hexChainId(network.chainId) });
    },
    selectBurnerAccount,
    burnerIndex: Number(globalThis.localStorage?.getItem(BURNER_ACCOUNT_KEY) ?? 0) || 0,
  };
}
