import { sendPrompt, trustAndTeach, type ConversationState } from '@tt/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ConversationDetail } from './components/ConversationDetail.tsx';
import { ConversationList } from './components/ConversationList.tsx';
import { DownloadMenu } from './components/DownloadMenu.tsx';
import { Header, type View } from './components/Header.tsx';
import { InspectPanel } from './components/InspectPanel.tsx';
import { PromptComposer, type PromptRequest } from './components/PromptComposer.tsx';
import { EmptyState, ErrorState, LoadingState } from './components/States.tsx';
import type { NetworkConfig, NetworkId } from './config/networks.ts';
import { isTypingTarget, moveSelection } from './lib/keys.ts';
import { useServicesState, type Services } from './state/services.tsx';
import { useConversations } from './state/useConversations.ts';
import { useTx } from './state/useTx.ts';
import { useWallet, type WalletState } from './wallet/useWallet.ts';

interface Props {
  networks: NetworkConfig[];
  network: NetworkConfig;
  onNetwork: (id: NetworkId) => void;
}

export function App({ networks, network, onNetwork }: Props) {
  const wallet = useWallet(network);
  const services = useServicesState(network);
  const [view, setView] = useState<View>('label');

  return (
    <div className="app">
      <Header
        view={view}
        onView={setView}
        networks={networks}
        network={network}
        onNetwork={onNetwork}
        nodeHealth={services.status === 'ready' ? 'ok' : services.status === 'error' ? 'down' : 'loading'}
        wallet={wallet}
      />
      <Banners
        wallet={wallet}
        network={network}
        servicesError={services.status === 'error' ? services.error : null}
      />
      <main className="main">
        {services.status === 'ready' ? (
          <Workspace services={services.services} wallet={wallet} view={view} />
        ) : services.status === 'loading' ? (
          <div className="card">
            <LoadingState title={`Connecting to ${network.label}…`} />
          </div>
        ) : (
          <div className="card">
            <ErrorState error={services.error} onRetry={services.retry} />
            <p className="help" style={{ textAlign: 'center', paddingBottom: 24 }}>
              Retrying every few seconds.
            </p>
          </div>
        )}
      </main>
      <footer className="footer">
        Responses are written by a deterministic model inside a Cartesi rollup; anyone can re-run them with
        Verify.
      </footer>
    </div>
  );
}

function Banners({
  wallet,
  network,
  servicesError,
}: {
  wallet: WalletState;
  network: NetworkConfig;
  servicesError: { message: string; hint?: string } | null;
}) {
  // The page body says what is wrong with the node; the banners are about the wallet.
  if (servicesError) return null;
  if (wallet.wrongNetwork) {
    return (
      <div className="banner-wrap warn" role="alert">
        <div className="banner">
          <span>
            Your wallet is on chain <b>{wallet.chainId ?? '?'}</b>, but this page uses <b>{network.label}</b>{' '}
            (chain {network.chainId}). Switch to send transactions.
          </span>
          <button
            type="button"
            className="btn small"
            onClick={() => void wallet.switchNetwork().catch(() => undefined)}
          >
            Switch network
          </button>
        </div>
      </div>
    );
  }
  if (!wallet.address && network.burner) {
    return (
      <div className="banner-wrap info">
        <div className="banner">
          <span>New here? Use one of the devnet's funded test accounts: no wallet extension needed.</span>
          <button
            type="button"
            className="btn small"
            onClick={() => void wallet.connectBurner()}
            disabled={wallet.connecting}
          >
            Use test account
          </button>
        </div>
      </div>
    );
  }
  return null;
}

function Workspace({ services, wallet, view }: { services: Services; wallet: WalletState; view: View }) {
  const data = useConversations(services);
  const [selectedId, setSelectedId] = useState<bigint | null>(null);
  const promptTx = useTx();
  const detailRef = useRef<HTMLDivElement>(null);

  const blocked = !wallet.address
    ? 'Connect a wallet to send transactions.'
    : wallet.wrongNetwork
      ? `Switch your wallet to ${services.network.label}.`
      : null;

  // Keep a selection: the newest conversation until the user picks one.
  useEffect(() => {
    if (selectedId === null && data.items.length > 0) setSelectedId(data.items[0]!.conversation.id);
  }, [data.items, selectedId]);

  const ids = useMemo(() => data.items.map((i) => i.conversation.id), [data.items]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (view !== 'label' || isTypingTarget(e.target) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        setSelectedId((cur) => moveSelection(ids, cur, e.key as 'j' | 'k'));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ids, view]);

  const select = useCallback((id: bigint) => {
    setSelectedId(id);
    // On a phone the detail is below the list: bring it into view.
    if (window.matchMedia('(max-width: 900px)').matches)
      requestAnimationFrame(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  }, []);

  const submitPrompt = async (req: PromptRequest) => {
    const getSigner = wallet.getSigner;
    if (!getSigner) return;
    const sent = await promptTx.run(
      async (onSent) =>
        sendPrompt(
          trustAndTeach(services.deployments.contracts.TrustAndTeach, await getSigner()),
          req.prompt,
          { steps: req.steps, temperatureMilli: req.temperatureMilli, topPMilli: req.topPMilli },
          onSent,
        ),
      (s) => ({
        hash: s.txHash,
        blockNumber: s.blockNumber,
        note: `Conversation #${s.conversationId} created`,
      }),
    );
    if (!sent) return;
    setSelectedId(sent.conversationId);
    data.refresh();
  };

  if (view === 'inspect') return <InspectPanel services={services} blockNumber={data.blockNumber} />;

  const selected: ConversationState | undefined = data.items.find((i) => i.conversation.id === selectedId);
  return (
    <div className="workspace">
      <div className="sidebar">
        <PromptComposer
          seqLen={services.deployments.model?.seqLen ?? null}
          modelName={services.deployments.model?.name ?? null}
          model={services.model}
          blocked={blocked}
          tx={promptTx.state}
          explorerUrl={services.network.explorerUrl}
          onSubmit={(req) => void submitPrompt(req)}
        />
        <ConversationList
          items={data.items}
          loading={data.loading}
          error={data.chainError}
          selectedId={selectedId}
          onSelect={select}
          account={wallet.address}
          actions={
            <DownloadMenu
              conversations={data.items.map((i) => i.conversation)}
              network={services.network.id}
            />
          }
          footer={
            <>
              <span>
                <span className="kbd">j</span> <span className="kbd">k</span> move
              </span>
              <span>
                <span className="kbd">1</span> Confirm
              </span>
              <span>
                <span className="kbd">2</span> Switch
              </span>
              {data.nodeError && <span className="error-text">node: {data.nodeError.message}</span>}
            </>
          }
        />
      </div>
      <div ref={detailRef}>
        {selected ? (
          <ConversationDetail
            state={selected}
            services={services}
            account={wallet.address}
            getSigner={wallet.getSigner}
            blocked={blocked}
            onChanged={data.refresh}
          />
        ) : (
          <div className="card">
            {data.loading ? (
              <LoadingState title="Loading…" />
            ) : (
              <EmptyState icon="⇄" title={data.items.length ? 'Pick a conversation' : 'Nothing to rank yet'}>
                {data.items.length
                  ? 'Select one on the left (or press j).'
                  : 'Send a prompt: both responses appear here side by side, ready to compare.'}
              </EmptyState>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
