// The table of sub-commands. One line per command; the command's code lives in its own file.
import type { Command } from './command.js';
import { explainCommand } from './explain-command.js';

/** Every sub-command, in `--help` order. */
export const COMMANDS: Command[] = [
  // run, validate, check (agent), explain, explainer (netpol), render (deploy): added by their owners.
  explainCommand,
];
