// The deployments file on disk (Node only): read and checked, or checked and written. Its type and its parser are
// @tt/protocol's (`Deployments`, `parseDeployments`), shared with every reader, in the browser too.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidDeploymentsError, parseDeployments, type Deployments } from '@tt/protocol';

/** Reads and checks a deployments file; InvalidDeploymentsError names the file and what is wrong with it. */
export async function readDeployments(path: string): Promise<Deployments> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InvalidDeploymentsError(
      path,
      `cannot read it (${(error as Error).message}); run the deploy script first`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InvalidDeploymentsError(path, `not JSON (${(error as Error).message})`);
  }
  return parseDeployments(json, path);
}

/** Checks and writes a deployments file (pretty-printed, trailing newline), creating its folder. */
export async function writeDeployments(path: string, deployments: Deployments): Promise<void> {
  parseDeployments(deployments, 'the deployments to write');
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(deployments, null, 2) + '\n');
}
