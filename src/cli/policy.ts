import { Command } from 'commander';
import { loadPolicy } from '../policy/load.ts';

export function policyCommand(): Command {
  const policy = new Command('policy').description(
    'the policy file: conduct categories, strikes, actions, appeals',
  );
  policy
    .command('check')
    .description('validate a policy file; exit 0 when it is valid, 2 with the bad key when not')
    .argument('<file>')
    .action((file: string) => {
      const checked = loadPolicy(file);
      const { categories, actions, strikes } = checked.document;
      process.stdout.write(
        `${file}: valid (${checked.document.name}; ${Object.keys(categories).length} categories, ` +
          `${Object.keys(actions).length} actions, ${strikes.ladder.length} ladder steps; digest ${checked.digest})\n`,
      );
    });
  return policy;
}
