// The module build/engine-pins.ts generates when the UI is built (or served).
declare module 'virtual:tt-engine-pins' {
  /** sha256 (hex) of each engine build bundled with this UI, by file name (llm-simd.wasm, llm-train-simd.wasm, …). */
  export const ENGINE_SHA256: Readonly<Record<string, string>>;
}
