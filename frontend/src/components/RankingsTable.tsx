import {
  describePairAgreement,
  pairAgreement,
  type ConversationState,
  type RankerAgreement,
} from '@tt/client';
import { addressGradient, sameAddress, shortHex, timeAgo } from '../lib/format.ts';

/**
 * Everyone's ranking of the pair: who, which way, when, and how often that ranker agrees with the other rankers'
 * majority over every pair (leave-one-out; @tt/client's agreement.ts). The connected account's row is marked.
 */
export function RankingsTable({
  state,
  account,
  agreement,
}: {
  state: ConversationState;
  account: string | null;
  agreement: ReadonlyMap<string, RankerAgreement>;
}) {
  const { rankings } = state.conversation;
  return (
    <div className="section" data-testid="rankings">
      <div className="section-title">
        <h3>Rankings</h3>
        <span className="help" data-testid="pair-agreement">
          {describePairAgreement(pairAgreement(rankings))}
        </span>
      </div>
      {rankings.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Ranker</th>
                <th>Choice</th>
                <th title="How often this ranker chose as the majority of the other rankers did, over every pair">
                  Agrees with others
                </th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {rankings.map((r) => {
                const you = sameAddress(r.ranker, account);
                const a = agreement.get(r.ranker.toLowerCase());
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
                    <td
                      data-agreement
                      title={
                        a ? `${a.agreed} of ${a.compared} comparable pairs (${a.ranked} ranked)` : undefined
                      }
                    >
                      {a?.rate == null ? (
                        <span className="help">—</span>
                      ) : (
                        `${Math.round(a.rate * 100)}% of ${a.compared}`
                      )}
                    </td>
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
