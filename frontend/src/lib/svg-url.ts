// An SVG as an <img> source. A data URL, not a blob URL: the same plot gives the same string, so a component that
// re-renders with equal data (the Teach tab re-reads the node's notices on every poll) keeps its image instead of
// revoking it mid-decode and loading a new one, and there is nothing to revoke.
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
