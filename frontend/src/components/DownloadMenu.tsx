import { EXPORT_FORMATS, type Conversation, type ExportFormat } from '@tt/client';
import { useEffect, useRef, useState } from 'react';
import { datasetFile, FORMAT_INFO, saveFile } from '../lib/download.ts';
import { plural } from '../lib/format.ts';
import { useToast } from '../state/toasts.tsx';
import { verifiedConversations } from '../verify/useVerify.ts';

/** The dataset as TSV, JSON or DPO JSONL, built in the browser from the chain data already on the page. */
export function DownloadMenu({
  conversations,
  network,
}: {
  conversations: readonly Conversation[];
  network: string;
}) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const toast = useToast();
  const complete = conversations.filter((c) => c.responses[0] && c.responses[1]);
  const ranked = complete.filter((c) => c.rankings.length > 0).length;

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const download = (format: ExportFormat) => {
    setOpen(false);
    try {
      // the `verified` column carries what Verify found in this page (true/false), empty where it did not run
      const file = datasetFile(conversations, format, network, new Date(), verifiedConversations());
      saveFile(file);
      const notes = [
        file.incomplete
          ? `${plural(file.incomplete, 'conversation')} without both responses on-chain left out`
          : '',
        file.rejected ? `${plural(file.rejected, 'rejected prompt')} left out` : '',
        file.unverified
          ? `${plural(file.unverified, 'row')} marked unverified: the on-chain text differs from a re-run`
          : '',
      ].filter(Boolean);
      toast({
        kind: file.unverified ? 'error' : 'info',
        message: `Saved ${file.name}`,
        hint: `${plural(file.rows, 'row')}${notes.length ? `; ${notes.join('; ')}` : ''}.`,
      });
    } catch (err) {
      toast({
        kind: 'error',
        message: `Could not build the ${FORMAT_INFO[format].label} file: ${(err as Error).message}`,
      });
    }
  };

  return (
    <div className="menu" ref={ref}>
      <button
        type="button"
        className="btn small"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        disabled={conversations.length === 0}
        title={conversations.length === 0 ? 'Nothing to download yet' : undefined}
      >
        Download ▾
      </button>
      {open && (
        <div className="menu-pop" role="menu" aria-label="Download the dataset">
          <div className="help" style={{ padding: '4px 10px 6px' }}>
            {plural(complete.length, 'pair')} on-chain · {ranked} ranked
          </div>
          {EXPORT_FORMATS.map((f) => (
            <button
              key={f}
              type="button"
              role="menuitem"
              className="menu-item"
              onClick={() => download(f)}
              data-format={f}
              disabled={f === 'dpo-jsonl' && ranked === 0}
            >
              <b>{FORMAT_INFO[f].label}</b>
              <span>
                {f === 'dpo-jsonl' && ranked === 0
                  ? 'Needs at least one ranked pair'
                  : FORMAT_INFO[f].description}
              </span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
