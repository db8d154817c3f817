import fs from 'node:fs';
import path from 'node:path';
import { writeSecretFile } from '../util/secret-file.ts';
import type { PrincipalService } from './principal-service.ts';

export const adminTokenFileName = 'admin.token';

/**
 * On a store with no principals at all, creates the first admin and writes its token to a file
 * only the owner can read. Returns the file's path, or undefined when the store had principals.
 */
export async function ensureFirstAdmin(
  principals: PrincipalService,
  dataDir: string,
): Promise<string | undefined> {
  if ((await principals.count()) > 0) return undefined;
  // No admin exists to approve it: the first is made on the operator's machine, break-glass.
  const { token } = await principals.create({ role: 'admin', name: 'first admin' }, { breakGlass: true });
  const file = path.join(dataDir, adminTokenFileName);
  fs.rmSync(file, { force: true }); // a token file left from an earlier, deleted store
  writeSecretFile(file, `${token}\n`);
  return file;
}
