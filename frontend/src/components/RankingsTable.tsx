import type { ConversationState } from '@tt/client';
import { addressGradient, sameAddress, shortHex, timeAgo } from '../lib/format.ts';

/** Everyone's ranking of the pair: who, which way, when; the connected account's row is marked. */
export function RankingsTable({ state, account }: { state: ConversationState; account: string | null }) {
  const { rankings } = state.conversation;
  const confirms = rankings.filter((r) => r.order[0] === 0).length;
  return (
    <div className="section" data-testid="rankings">
      <div className="section-title">
        <h3>Rankings</h3>
        <span className="help">
          {rankings.length === 0
            ? 'nobody has ranked this pair yet'
            : `${confirms} prefer A · ${rankings.length - confirms} prefer B`}
        </span>
      </div>
      {rankings.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Ranker</th>
                <th>Choice</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {rankings.map((r) => {
                const you = sameAddress(r.ranker, account);
                return (
                  <tr key={r.ranker} className={you ? 'mine' : ''} data-ranker={r.ranker.toLowerCase()}>
                    <td>
                      <span className="row">
                        <span
                          className="avatar"
                          style={{ background: addressGradient(r.ranker) }}
                          aria-hidden="true"
                        />
                        <code title={r.ranker}>{shortHex(r.ranker)}</code>
                        {you && <span className="badge you">you</span>}
                      </span>
                    </td>
                    <td>{r.order[0] === 0 ? 'Confirm · A over B' : 'Switch · B over A'}</td>
                    <td className="help">{r.rankedAt ? timeAgo(r.rankedAt) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
