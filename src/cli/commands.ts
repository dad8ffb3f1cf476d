// The table of sub-commands. One line per command; the command's code lives in its own file.
import type { Command } from './command.js';
import { loadAgentDeps, loadCheckDeps } from './agent-deps.js';
import { createCheckCommand } from './check-command.js';
import { createDemoCommand } from './demo-command.js';
import { explainCommand } from './explain-command.js';
import { explainerCommand } from './explainer-command.js';
import { createRunCommand } from './run-command.js';
import { renderCommand } from './render-command.js';
import { validateCommand } from './validate-command.js';

/** Every sub-command, in `--help` order. */
export const COMMANDS: Command[] = [
  createRunCommand(loadAgentDeps),
  createCheckCommand(loadCheckDeps),
  validateCommand,
  explainCommand,
  explainerCommand,
  renderCommand,
  createDemoCommand(loadAgentDeps),
];
