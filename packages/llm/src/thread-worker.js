// One engine thread of the threaded build (c/threads.c, started by threads.ts): instantiates the module on the
// shared memory it is sent, takes its own stack, then serves the pool's tasks inside tt_worker until the engine
// stops it. Plain JavaScript, so that Node's worker_threads and browsers' Web Workers both run it as it is.
const nodeThreads = globalThis.process?.getBuiltinModule?.('node:worker_threads');
const port = nodeThreads ? nodeThreads.parentPort : globalThis;

function onFirstMessage(handle) {
  if (nodeThreads) port.once('message', handle);
  else globalThis.onmessage = (event) => handle(event.data);
}

onFirstMessage(async ({ module, memory, ctx, index, stackTop }) => {
  try {
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const x = instance.exports;
    x.__stack_pointer.value = stackTop;
    port.postMessage({ ready: index });
    x.tt_worker(ctx, index); // returns only when the engine stops its threads
    port.postMessage({ stopped: index });
  } catch (e) {
    port.postMessage({ error: `engine thread ${index}: ${e?.message ?? String(e)}` });
  }
});
