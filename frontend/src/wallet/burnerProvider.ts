// An EIP-1193 provider that signs with the devnet's public test accounts (the Hardhat mnemonic) through an ethers Wallet
// on the devnet RPC. It lets a newcomer click through the whole flow with no wallet extension. The keys are public:
// this provider refuses every chain but the local one.
import { devnetAccount } from '@tt/protocol';
import {
  JsonRpcProvider,
  getBytes,
  isHexString,
  toUtf8Bytes,
  type HDNodeWallet,
  type TransactionRequest,
} from 'ethers';
import { hexChainId } from '../config/networks.ts';

export const BURNER_ACCOUNT_COUNT = 10;
/** Custom method to change the burner's active account; it answers with the new account list and emits accountsChanged. */
export const SELECT_ACCOUNT_METHOD = 'tt_burnerSelectAccount';

export class ProviderRpcError extends Error {
  constructor(
    public readonly code: number,
    message: string,
    public readonly data?: unknown,
  ) {
    super(message);
    this.name = 'ProviderRpcError';
  }
}

type Listener = (...args: unknown[]) => void;

export interface BurnerOptions {
  chainId: number;
  rpcUrl: string;
  /** Which test account is active first (0..9). */
  accountIndex?: number;
}

interface RpcTx {
  from?: string;
  to?: string | null;
  data?: string;
  input?: string;
  value?: string;
  gas?: string;
  gasLimit?: string;
  gasPrice?: string;
  maxFeePerGas?: string;
  maxPriorityFeePerGas?: string;
  nonce?: string;
}

/** Converts a JSON-RPC transaction object (hex quantities) into an ethers request. */
export function toTransactionRequest(tx: RpcTx): TransactionRequest {
  const q = (v: string | undefined) => (v === undefined ? undefined : BigInt(v));
  return {
    to: tx.to ?? undefined,
    data: tx.data ?? tx.input,
    value: q(tx.value),
    gasLimit: q(tx.gas ?? tx.gasLimit),
    gasPrice: q(tx.gasPrice),
    maxFeePerGas: q(tx.maxFeePerGas),
    maxPriorityFeePerGas: q(tx.maxPriorityFeePerGas),
    nonce: tx.nonce === undefined ? undefined : Number(BigInt(tx.nonce)),
  };
}

export class BurnerProvider {
  readonly isBurner = true;
  private readonly rpc: JsonRpcProvider;
  private readonly listeners = new Map<string, Set<Listener>>();
  private index: number;
  /** Transactions from one browser tab go out one at a time so two clicks never race for the same nonce. */
  private sendQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: BurnerOptions) {
    this.rpc = new JsonRpcProvider(options.rpcUrl, options.chainId, {
      staticNetwork: true,
      polling: true,
      pollingInterval: 500,
    });
    this.index = clampIndex(options.accountIndex ?? 0);
  }

  get accountIndex(): number {
    return this.index;
  }

  get address(): string {
    return devnetAccount(this.index).address;
  }

  selectAccount(index: number): string[] {
    this.index = clampIndex(index);
    const accounts = [this.address.toLowerCase()];
    this.emit('accountsChanged', accounts);
    return accounts;
  }

  on(event: string, listener: Listener): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  removeListener(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  private emit(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }

  disconnect(): void {
    this.emit('disconnect', new ProviderRpcError(4900, 'burner wallet disconnected'));
  }

  async request({ method, params = [] }: { method: string; params?: unknown[] | object }): Promise<unknown> {
    const p = Array.isArray(params) ? params : [params];
    const chainHex = hexChainId(this.options.chainId);
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
      case 'eth_selectAccounts':
        return [this.address.toLowerCase()];
      case SELECT_ACCOUNT_METHOD:
        return this.selectAccount(Number(p[0]));
      case 'eth_chainId':
        return chainHex;
      case 'net_version':
        return String(this.options.chainId);
      case 'wallet_switchEthereumChain':
      case 'wallet_addEthereumChain': {
        const wanted = String((p[0] as { chainId?: string } | undefined)?.chainId ?? '').toLowerCase();
        if (BigInt(wanted || '0') === BigInt(this.options.chainId)) return null;
        throw new ProviderRpcError(
          4902,
          `The burner wallet only works on the local chain ${this.options.chainId}; connect MetaMask or another wallet for this network.`,
        );
      }
      case 'wallet_getPermissions':
      case 'wallet_requestPermissions':
        return [{ parentCapability: 'eth_accounts' }];
      case 'personal_sign': {
        const [message, address] = p as [string, string];
        this.checkFrom(address);
        return this.signer().signMessage(isHexString(message) ? getBytes(message) : toUtf8Bytes(message));
      }
      case 'eth_sign': {
        const [address, message] = p as [string, string];
        this.checkFrom(address);
        return this.signer().signMessage(getBytes(message));
      }
      case 'eth_signTypedData':
      case 'eth_signTypedData_v4': {
        const [address, json] = p as [string, string | object];
        this.checkFrom(address);
        const data = (typeof json === 'string' ? JSON.parse(json) : json) as {
          domain: Record<string, unknown>;
          types: Record<string, { name: string; type: string }[]>;
          message: Record<string, unknown>;
        };
        const { EIP712Domain: _domain, ...types } = data.types;
        return this.signer().signTypedData(data.domain, types, data.message);
      }
      case 'eth_signTransaction': {
        const tx = p[0] as RpcTx;
        this.checkFrom(tx.from);
        const signer = this.signer().connect(this.rpc);
        return signer.signTransaction(await signer.populateTransaction(toTransactionRequest(tx)));
      }
      case 'eth_sendTransaction': {
        const tx = p[0] as RpcTx;
        this.checkFrom(tx.from);
        const signer = this.signer().connect(this.rpc);
        const send = this.sendQueue.then(
          async () => (await signer.sendTransaction(toTransactionRequest(tx))).hash,
        );
        this.sendQueue = send.catch(() => undefined);
        return send;
      }
      default:
        return this.rpc.send(method, p);
    }
  }

  private signer(): HDNodeWallet {
    return devnetAccount(this.index);
  }

  private checkFrom(from: string | undefined): void {
    if (from && from.toLowerCase() !== this.address.toLowerCase()) {
      throw new ProviderRpcError(4100, `The burner wallet's active account is ${this.address}, not ${from}.`);
    }
  }
}

function clampIndex(i: number): number {
  return Number.isInteger(i) && i >= 0 && i < BURNER_ACCOUNT_COUNT ? i : 0;
}
