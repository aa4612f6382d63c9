// The devnet's test accounts: the standard Hardhat/Anvil mnemonic, derived the usual way (m/44'/60'/0'/0/N). Hardhat
// funds the first 20 with 10000 ETH each. The keys are public: the UI's burner wallet refuses every other chain, and
// the CLI only uses them when the deployments say chain 31337.
import { HDNodeWallet, Mnemonic } from 'ethers';

export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk';
export const DEVNET_CHAIN_ID = 31337;
/** How many accounts Hardhat funds from the mnemonic. */
export const DEVNET_FUNDED_ACCOUNTS = 20;

// The seed costs a PBKDF2 of 2048 rounds: the parent node m/44'/60'/0'/0 is derived once, each account from it once.
let parent: HDNodeWallet | undefined;
const accounts = new Map<number, HDNodeWallet>();

/** Test account `index`, as an ethers wallet (connect it to a provider to send). */
export function devnetAccount(index: number): HDNodeWallet {
  if (!Number.isSafeInteger(index) || index < 0 || index >= 2 ** 31) {
    throw new RangeError(`a devnet account number is 0 or more, not ${index}`);
  }
  let account = accounts.get(index);
  if (!account) {
    parent ??= HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEVNET_MNEMONIC), "m/44'/60'/0'/0");
    account = parent.deriveChild(index);
    accounts.set(index, account);
  }
  return account;
}
