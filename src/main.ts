#!/usr/bin/env node
import { Command } from 'commander';
import { adminCommand } from './cli/admin.ts';
import { creditCommand } from './cli/credit.ts';
import { demoCommand } from './cli/demo.ts';
import { erasureCommand } from './cli/erasure.ts';
import { keysCommand } from './cli/keys.ts';
import { logCommand } from './cli/log.ts';
import { policyCommand } from './cli/policy.ts';
import { runCli } from './cli/run.ts';
import { serveCommand } from './cli/serve.ts';
import { simulateCommand } from './cli/simulate.ts';
import { transparencyCommand } from './cli/transparency.ts';
import { witnessCommand } from './cli/witness.ts';

const program = new Command('mdis')
  .description(
    'mdis: digital identity for the users of virtual worlds, with lawful access under a verifiable log',
  )
  .version('0.1.0')
  .addCommand(serveCommand())
  .addCommand(demoCommand())
  .addCommand(adminCommand())
  .addCommand(policyCommand())
  .addCommand(creditCommand())
  .addCommand(logCommand())
  .addCommand(simulateCommand())
  .addCommand(transparencyCommand())
  .addCommand(witnessCommand())
  .addCommand(keysCommand())
  .addCommand(erasureCommand());

await runCli(program, process.argv);
