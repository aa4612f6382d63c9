import { useEffect, useRef } from 'react';
import { KEYMAP, sendModifier } from '../lib/keys.ts';

/** The `?` overlay: every shortcut, from the one table the page's handler uses. */
export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="overlay" onClick={onClose} role="presentation">
      <div
        className="card keyboard-help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="keys-title"
        tabIndex={-1}
        ref={ref}
        onClick={(e) => e.stopPropagation()}
        data-testid="keyboard-help"
      >
        <div className="card-head">
          <h2 id="keys-title">Keyboard</h2>
          <span className="spacer" />
          <button type="button" className="btn ghost small" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </div>
        <table className="table">
          <tbody>
            {KEYMAP.map((k) => (
              <tr key={k.command}>
                <td>
                  {k.keys.map((key) => (
                    <span key={key} className="kbd">
                      {key}
                    </span>
                  ))}
                </td>
                <td>{k.what}</td>
              </tr>
            ))}
            <tr>
              <td>
                <span className="kbd">{sendModifier()}</span> <span className="kbd">Enter</span>
              </td>
              <td>send the prompt (in the prompt box)</td>
            </tr>
          </tbody>
        </table>
        <p className="help card-body">Keys work anywhere outside a text field; Esc leaves the field.</p>
      </div>
    </div>
  );
}
