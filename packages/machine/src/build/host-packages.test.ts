import { describe, expect, it } from 'vitest';
import { MachineError } from './errors.ts';
import { ensureHostPackages, missingPackages } from './host-packages.ts';

describe('host packages', () => {
  it('knows an installed package from a missing one', async () => {
    expect(await missingPackages(['dpkg', 'tt-no-such-package'])).toEqual(['tt-no-such-package']);
  });

  it('a package Debian does not have stops the step with its name and the command to run', async () => {
    const err = await ensureHostPackages('kernel', ['dpkg', 'tt-no-such-package'], { update: false }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(MachineError);
    expect(err.message).toMatch(/^machine kernel: /);
    expect(err.message).toMatch(/tt-no-such-package/);
    expect(err.message).toMatch(/apt-get install -y --no-install-recommends tt-no-such-package/);
    expect(err.message).not.toMatch(/\bdpkg\b.*missing/);
  });
});
