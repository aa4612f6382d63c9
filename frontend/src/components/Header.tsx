import { devnetAccount } from '@tt/protocol';
import { useMemo } from 'react';
import type { NetworkConfig, NetworkId } from '../config/networks.ts';
import { addressGradient, shortHex } from '../lib/format.ts';
import { BURNER_ACCOUNT_COUNT } from '../wallet/burnerProvider.ts';
import type { WalletState } from '../wallet/useWallet.ts';
import { Spinner } from './States.tsx';

export type View = 'label' | 'teach' | 'inspect';

const TABS: readonly [View, string][] = [
  ['label', 'Label'],
  ['teach', 'Teach'],
  ['inspect', 'Inspect'],
];

interface Props {
  view: View;
  onView: (v: View) => void;
  networks: NetworkConfig[];
  network: NetworkConfig;
  onNetwork: (id: NetworkId) => void;
  nodeHealth: 'ok' | 'loading' | 'down';
  wallet: WalletState;
}

export function Header({ view, onView, networks, network, onNetwork, nodeHealth, wallet }: Props) {
  return (
    <header className="header">
      <div className="header-inner">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            T
          </span>
          <span>
            Trust and Teach <small>RLHF on-chain</small>
          </span>
        </div>
        <nav className="tabs" role="tablist" aria-label="View">
          {TABS.map(([v, label]) => (
            <button
              key={v}
              type="button"
              role="tab"
              className="tab"
              aria-selected={view === v}
              onClick={() => onView(v)}
            >
              {label}
            </button>
          ))}
        </nav>
        <div className="header-actions">
          <label
            className="network-select"
            title={nodeHealth === 'down' ? `Can't reach ${network.nodeUrl}` : network.nodeUrl}
          >
            <span
              className={`dot ${nodeHealth === 'ok' ? 'ok' : nodeHealth === 'down' ? 'bad' : 'warn'}`}
              aria-hidden="true"
            />
            <span className="sr-only">Network</span>
            <select
              value={network.id}
              onChange={(e) => onNetwork(e.target.value as NetworkId)}
              aria-label="Network"
            >
              {networks.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.label}
                </option>
              ))}
            </select>
          </label>
          <AccountControl wallet={wallet} />
        </div>
      </div>
    </header>
  );
}

function AccountControl({ wallet }: { wallet: WalletState }) {
  const burnerIndex = useMemo(() => {
    if (!wallet.isBurner || !wallet.address) return -1;
    for (let i = 0; i < BURNER_ACCOUNT_COUNT; i++)
      if (devnetAccount(i).address.toLowerCase() === wallet.address.toLowerCase()) return i;
    return -1;
  }, [wallet.isBurner, wallet.address]);

  if (!wallet.address) {
    // The devnet's test accounts are offered by the banner under the header and in the connect dialog.
    return (
      <button
        type="button"
        className="btn primary"
        onClick={() => void wallet.connect()}
        disabled={wallet.connecting}
      >
        {wallet.connecting && <Spinner label="Connecting" />}
        {wallet.connecting ? 'Connecting…' : 'Connect wallet'}
      </button>
    );
  }
  return (
    <div className="account" data-testid="account">
      <span className="avatar" style={{ background: addressGradient(wallet.address) }} aria-hidden="true" />
      {wallet.isBurner ? (
        <select
          aria-label="Test account"
          value={burnerIndex}
          onChange={(e) => void wallet.selectBurnerAccount(Number(e.target.value))}
        >
          {Array.from({ length: BURNER_ACCOUNT_COUNT }, (_, i) => (
            <option key={i} value={i}>
              #{i} {shortHex(devnetAccount(i).address)}
            </option>
          ))}
        </select>
      ) : (
        <code title={wallet.address}>{shortHex(wallet.address)}</code>
      )}
      <span className="help hide-phone">{wallet.isBurner ? 'test account' : wallet.label}</span>
      <button
        type="button"
        className="btn ghost small"
        onClick={() => void wallet.disconnect()}
        aria-label="Disconnect wallet"
        title="Disconnect"
      >
        ⏏
      </button>
    </div>
  );
}
