// The devnet's test accounts: the standard Hardhat/Anvil mnemonic, derived the usual way (m/44'/60'/0'/0/N), each funded
// with 10000 ETH on the devnet. Browser-safe, so the UI's burner wallet and `tt --account N` use the same keys.
import { HDNodeWallet, Mnemonic } from 'ethers';

export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk';
export const DEVNET_CHAIN_ID = 31337;

export function devnetAccount(index: number): HDNodeWallet {
  if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** 31) {
    throw new Error(`a devnet account number is 0 or more, not ${index}`);
  }
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEVNET_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}
