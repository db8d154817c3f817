import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MdisError } from '../errors.ts';
import { type Policy, parsePolicy } from './policy.ts';

/** The policy shipped with the package (src/ and dist/ both sit one level below it). */
export const defaultPolicyFile = fileURLToPath(new URL('../../policy/default.json', import.meta.url));

export class PolicyFileError extends MdisError {
  constructor(file: string, message: string) {
    super('invalid_policy', `policy ${file}: ${message}`);
  }
}

/** Reads and validates a policy file; any problem is a PolicyFileError naming the file and key. */
export function loadPolicy(file: string = defaultPolicyFile): Policy {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyFileError(file, `cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(file, `is not valid JSON (${(error as Error).message})`);
  }
  try {
    return parsePolicy(parsed);
  } catch (error) {
    throw new PolicyFileError(file, (error as Error).message);
  }
}
