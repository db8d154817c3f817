import { Command } from 'commander';
import { loadPolicy } from '../policy/load.ts';
import { policyWarnings } from '../policy/warnings.ts';

export function policyCommand(): Command {
  const policy = new Command('policy').description(
    'the policy file: conduct categories, strikes, actions, appeals',
  );
  policy
    .command('check')
    .description(
      'validate a policy file; exit 0 when it is valid (warnings on harsh rules to stderr), 2 with the bad key ' +
        'when not; --strict: warnings are errors (exit 2)',
    )
    .argument('<file>')
    .option('--strict', 'treat warnings as errors')
    .action((file: string, options: { strict?: boolean }) => {
      const checked = loadPolicy(file);
      const warnings = policyWarnings(checked.document);
      const word = options.strict === true ? 'error' : 'warning';
      for (const w of warnings)
        process.stderr.write(`mdis: policy ${file}: ${word}: ${w.key}: ${w.message}\n`);
      if (options.strict === true && warnings.length > 0) {
        process.exitCode = 2;
        return;
      }
      const { categories, actions, strikes } = checked.document;
      process.stdout.write(
        `${file}: valid (${checked.document.name}; ${Object.keys(categories).length} categories, ` +
          `${Object.keys(actions).length} actions, ${strikes.ladder.length} ladder steps; digest ${checked.digest})\n`,
      );
    });
  return policy;
}
