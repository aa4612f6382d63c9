import { sendPrompt, trustAndTeach, type ConversationState, type RankingOrder } from '@tt/client';
import { CONFIRM, SWITCH } from '@tt/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ConversationDetail, type DetailCommands } from './components/ConversationDetail.tsx';
import { ConversationList } from './components/ConversationList.tsx';
import { DownloadMenu } from './components/DownloadMenu.tsx';
import { Header, type View } from './components/Header.tsx';
import { InspectPanel } from './components/InspectPanel.tsx';
import { KeyboardHelp } from './components/KeyboardHelp.tsx';
import { PostAllPanel } from './components/PostAllPanel.tsx';
import { PromptComposer, type PromptRequest } from './components/PromptComposer.tsx';
import { TeachPanel } from './components/TeachPanel.tsx';
import { EmptyState, ErrorState, LoadingState } from './components/States.tsx';
import type { NetworkConfig, NetworkId } from './config/networks.ts';
import { commandFor, isTypingTarget, moveSelection } from './lib/keys.ts';
import { filterItems, nextNeedingMe, type QueueFilter } from './lib/queue.ts';
import { useServicesState, type Services } from './state/services.tsx';
import { useConversations } from './state/useConversations.ts';
import { tokenizerMismatch, useModelInfo } from './state/useModelInfo.ts';
import { usePostAll } from './state/usePostAll.ts';
import { useStoredState } from './state/useStoredState.ts';
import { useTeach } from './state/useTeach.ts';
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
  const info = useModelInfo(services);
  const teach = useTeach(services, data.blockNumber);
  const [filter, setFilter] = useStoredState<QueueFilter>('tt.queueFilter', 'mine');
  const [autoAdvance, setAutoAdvance] = useStoredState<boolean>('tt.autoAdvance', true);
  const [selectedId, setSelectedId] = useState<bigint | null>(null);
  const [help, setHelp] = useState(false);
  const promptTx = useTx();
  const detailRef = useRef<HTMLDivElement>(null);
  const commands = useRef<DetailCommands>({});
  const account = wallet.address;

  const blocked = !wallet.address
    ? 'Connect a wallet to send transactions.'
    : wallet.wrongNetwork
      ? `Switch your wallet to ${services.network.label}.`
      : null;

  const shown = useMemo(() => filterItems(data.items, filter, account), [data.items, filter, account]);
  const postAll = usePostAll(services, wallet.getSigner, data.items, data.refresh);

  // On load (and after a reload): the next pair that needs this account, not the newest. Until the person picks one
  // themselves, this follows the account too (a wallet reconnects a moment after the page has read the chain).
  const picked = useRef(false);
  const openedFor = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    if (picked.current || data.loading || data.items.length === 0 || openedFor.current === account) return;
    openedFor.current = account;
    setSelectedId(nextNeedingMe(data.items, null, account) ?? data.items.at(-1)!.conversation.id);
  }, [data.items, data.loading, account]);

  const select = useCallback((id: bigint) => {
    picked.current = true;
    setSelectedId(id);
    // On a phone the detail is below the list: bring it into view.
    if (window.matchMedia('(max-width: 900px)').matches)
      requestAnimationFrame(() => detailRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
  }, []);

  const onRanked = useCallback(
    (id: bigint) => {
      if (!autoAdvance) return;
      const next = nextNeedingMe(data.items, id, account);
      if (next !== null && next !== id) setSelectedId(next);
    },
    [autoAdvance, data.items, account],
  );

  const ids = useMemo(() => shown.map((i) => i.conversation.id), [shown]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = commandFor(e);
      if (!command) return;
      if (command === 'leave') {
        if (isTypingTarget(e.target)) (e.target as HTMLElement).blur();
        else setHelp(false);
        return;
      }
      if (command === 'help') {
        e.preventDefault();
        setHelp((h) => !h);
        return;
      }
      if (view !== 'label') return;
      e.preventDefault();
      if (command === 'next' || command === 'previous') {
        picked.current = true;
        setSelectedId((cur) => moveSelection(ids, cur, command === 'next' ? 'j' : 'k'));
      } else if (command === 'confirm') commands.current.rank?.(CONFIRM as RankingOrder);
      else if (command === 'switch') commands.current.rank?.(SWITCH as RankingOrder);
      else if (command === 'post') commands.current.post?.();
      else if (command === 'verify') commands.current.verify?.();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ids, view]);

  const submitPrompt = async (req: PromptRequest) => {
    const getSigner = wallet.getSigner;
    if (!getSigner) return;
    // The prompt is on its way: the keys (j, k, 1, 2, …) are the page's again, not the text box's.
    (document.activeElement as HTMLElement | null)?.blur();
    const sent = await promptTx.run(
      async (onSent) =>
        sendPrompt(
          trustAndTeach(services.deployments.contracts.TrustAndTeach, await getSigner()),
          req.prompt,
          { steps: req.steps, temperatureMilli: req.temperatureMilli, topPMilli: req.topPMilli },
          onSent,
          req.modelVersion,
        ),
      (s) => ({
        hash: s.txHash,
        blockNumber: s.blockNumber,
        note: `Conversation #${s.conversationId} created${s.modelVersion ? ` (model v${s.modelVersion})` : ''}`,
      }),
    );
    if (!sent) return;
    picked.current = true;
    setSelectedId(sent.conversationId);
    data.refresh();
  };

  const mismatch = tokenizerMismatch(info.data);
  const banner = mismatch && (
    <div className="banner-wrap warn model-warning" role="status" data-testid="model-warning">
      <div className="banner">
        <span>
          <b>This model's text is unreadable:</b> its tokenizer has{' '}
          {mismatch.tokenizerPieces.toLocaleString('en-US')} pieces but the checkpoint's vocabulary is{' '}
          {mismatch.vocabSize.toLocaleString('en-US')} tokens, so every token shows as the wrong piece. The
          responses are still deterministic and verifiable: fine as a smoke test, not for a dataset. Start the
          devnet with the default model (<code>pnpm dev</code>, stories15M) or a matching checkpoint and
          tokenizer.
        </span>
      </div>
    </div>
  );

  if (view === 'inspect')
    return (
      <>
        {banner}
        <InspectPanel
          services={services}
          blockNumber={data.blockNumber}
          info={info}
          conversations={data.items}
        />
      </>
    );

  if (view === 'teach')
    return (
      <>
        {banner}
        <TeachPanel
          services={services}
          teach={teach}
          conversations={data.items}
          getSigner={wallet.getSigner}
          blocked={blocked}
        />
      </>
    );

  const selected: ConversationState | undefined = data.items.find((i) => i.conversation.id === selectedId);
  return (
    <>
      {banner}
      {help && <KeyboardHelp onClose={() => setHelp(false)} />}
      <div className="workspace">
        <div className="sidebar">
          <PromptComposer
            seqLen={services.deployments.model?.seqLen ?? null}
            modelName={services.deployments.model?.name ?? null}
            model={services.model}
            blocked={blocked}
            tx={promptTx.state}
            explorerUrl={services.network.explorerUrl}
            versions={teach.versions}
            onSubmit={(req) => void submitPrompt(req)}
          />
          <ConversationList
            all={data.items}
            items={shown}
            filter={filter}
            onFilter={setFilter}
            loading={data.loading}
            error={data.chainError}
            selectedId={selectedId}
            onSelect={select}
            account={account}
            autoAdvance={autoAdvance}
            onAutoAdvance={setAutoAdvance}
            onHelp={() => setHelp(true)}
            postAll={postAll}
            blocked={blocked}
            actions={
              <DownloadMenu
                conversations={data.items.map((i) => i.conversation)}
                network={services.network.id}
              />
            }
            nodeError={data.nodeError}
          />
          {postAll.state.phase !== 'idle' && <PostAllPanel state={postAll.state} onClose={postAll.reset} />}
        </div>
        <div ref={detailRef}>
          {selected ? (
            <ConversationDetail
              state={selected}
              all={data.items}
              services={services}
              account={account}
              getSigner={wallet.getSigner}
              blocked={blocked}
              onChanged={data.refresh}
              onRanked={onRanked}
              commands={commands}
            />
          ) : (
            <div className="card">
              {data.loading ? (
                <LoadingState title="Loading…" />
              ) : (
                <EmptyState
                  icon="⇄"
                  title={data.items.length ? 'Pick a conversation' : 'Nothing to rank yet'}
                >
                  {data.items.length
                    ? 'Select one on the left (or press j).'
                    : 'Send a prompt: both responses appear here side by side, ready to compare.'}
                </EmptyState>
              )}
            </div>
          )}
        </div>
      </div>
    </>
  );
}
