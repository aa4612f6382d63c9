import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { defaultNetworkId, networksFromEnv, type NetworkId } from './config/networks.ts';
import { ToastProvider } from './state/toasts.tsx';
import { initOnboard } from './wallet/onboard.ts';
import './styles.css';

const NETWORK_KEY = 'tt.network';
const networks = networksFromEnv(import.meta.env);
const saved = localStorage.getItem(NETWORK_KEY);
const initial = networks.find((n) => n.id === saved)?.id ?? defaultNetworkId(import.meta.env, networks);

// web3-onboard is configured once per page with the network's wallets (the burner exists only on the local chain), so a
// change of network reloads the page with the new choice.
initOnboard(networks.find((n) => n.id === initial)!);

function Root() {
  const [id] = useState<NetworkId>(initial);
  const network = networks.find((n) => n.id === id)!;
  const onNetwork = (next: NetworkId) => {
    localStorage.setItem(NETWORK_KEY, next);
    location.reload();
  };
  return (
    <ToastProvider>
      <App networks={networks} network={network} onNetwork={onNetwork} />
    </ToastProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
