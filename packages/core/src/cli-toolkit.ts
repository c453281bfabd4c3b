import { Command, CommanderError } from 'commander';
import { CoreError, CoreErrorCode, isSecblocksError } from './errors.js';
import { redact } from './logger.js';

/**
 * Exit codes shared by every secblocks CLI: `0` success, `1` findings or failures (drift found, a
 * sync step failed, a policy check denied), `2` a usage error (bad flag or argument).
 */
export const ExitCode = { OK: 0, FINDINGS: 1, USAGE: 2 } as const;

/** One of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where a CLI writes. Tests pass buffers; the default is the process's streams. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown; isTTY?: boolean };
}

/** Options of {@link createCliProgram}. */
export interface CliProgramOptions {
  /** The command's name, e.g. `vault-sync`. */
  name: string;
  /** The package version printed by `--version`. */
  version: string;
  /** One line saying what the tool does, shown by `--help`. */
  description: string;
  /**
   * Output streams.
   * @defaultValue `process.stdout` and `process.stderr`
   */
  io?: CliIo;
}

interface ProgramState {
  io: CliIo;
  exitCode: number;
}

const states = new WeakMap<Command, ProgramState>();

const rootOf = (command: Command): Command => {
  let c = command;
  while (c.parent) c = c.parent;
  return c;
};

const stateOf = (command: Command): ProgramState => {
  const state = states.get(rootOf(command));
  if (!state) throw new CoreError(CoreErrorCode.USAGE, 'Command was not created with createCliProgram');
  return state;
};

/**
 * Creates a commander program with the secblocks conventions: `--help`, `--version`, a global `--json`
 * flag, output routed through `io`, and errors turned into exit codes by {@link runCli} instead of
 * `process.exit`. Add subcommands with `program.command(...)`; in an action, call {@link cliOutput}.
 *
 * @param options - Name, version, description and streams.
 * @example
 * ```ts
 * const program = createCliProgram({ name: 'vault-sync', version: '1.0.0', description: 'Sync Vault to AWS' });
 * program.command('plan').action(async (_opts, cmd) => { cliOutput(cmd).result({ actions: [] }); });
 * process.exitCode = await runCli(program);
 * ```
 */
export function createCliProgram(options: CliProgramOptions): Command {
  const io: CliIo = options.io ?? { stdout: process.stdout, stderr: process.stderr };
  const program = new Command(options.name)
    .description(options.description)
    .version(options.version, '-V, --version', 'print the version')
    .option('--json', 'print machine-readable JSON on stdout (progress and notes stay on stderr)')
    .helpOption('-h, --help', 'show help')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  states.set(program, { io, exitCode: ExitCode.OK });
  return program;
}

/** Reports progress of long work on stderr; see {@link CliOutput.progress}. */
export interface Progress {
  /** Marks `count` more units done. */
  tick(count?: number): void;
  /** Ends the progress display with a final line. */
  done(summary?: string): void;
}

/** What an action writes through; see {@link cliOutput}. */
export interface CliOutput {
  /** True when the user passed `--json`. */
  readonly json: boolean;
  /**
   * Prints the command's result: redacted JSON on stdout with `--json`, else `human(data)` (or JSON when
   * no formatter is given).
   */
  result<T>(data: T, human?: (data: T) => string): void;
  /** A note for people, on stderr; suppressed with `--json`. */
  info(message: string): void;
  /** A warning on stderr, also with `--json`. */
  warn(message: string): void;
  /** TTY-aware progress on stderr: a redrawn line on a terminal, sparse lines otherwise, silent with `--json`. */
  progress(label: string, total?: number): Progress;
  /** Sets the exit code {@link runCli} returns, e.g. `ExitCode.FINDINGS` when drift was found. */
  setExitCode(code: ExitCode): void;
}

/**
 * The output helper for an action's command.
 *
 * @param command - The command passed as the last argument of a commander action.
 * @example
 * ```ts
 * .action(async (opts, cmd) => {
 *   const out = cliOutput(cmd);
 *   out.result(report, (r) => `${r.changed} changed`);
 *   if (report.failed > 0) out.setExitCode(ExitCode.FINDINGS);
 * })
 * ```
 */
export function cliOutput(command: Command): CliOutput {
  const state = stateOf(command);
  const { io } = state;
  const json = command.optsWithGlobals().json === true;
  return {
    json,
    result(data, human) {
      if (json || !human)
        io.stdout.write(`${JSON.stringify(redact(data, { maxDepth: 64 }), null, json ? 0 : 2)}\n`);
      else io.stdout.write(`${human(data).replace(/\n?$/, '\n')}`);
    },
    info(message) {
      if (!json) io.stderr.write(`${message}\n`);
    },
    warn(message) {
      io.stderr.write(`warning: ${message}\n`);
    },
    progress(label, total) {
      return createProgress(io, label, total, json);
    },
    setExitCode(code) {
      state.exitCode = code;
    },
  };
}

function createProgress(io: CliIo, label: string, total: number | undefined, silent: boolean): Progress {
  const tty = io.stderr.isTTY === true;
  let count = 0;
  let lastStep = -1;
  const describe = (): string =>
    total && total > 0
      ? `${label}: ${count}/${total} (${Math.floor((count / total) * 100)}%)`
      : `${label}: ${count}`;
  return {
    tick(n = 1) {
      count += n;
      if (silent) return;
      if (tty) {
        io.stderr.write(`\r\x1b[2K${describe()}`);
        return;
      }
      // Off a terminal (CI logs), print at most one line per 10% (or per 1,000 units without a total).
      const step = total && total > 0 ? Math.floor((count / total) * 10) : Math.floor(count / 1000);
      if (step > lastStep) {
        lastStep = step;
        io.stderr.write(`${describe()}\n`);
      }
    },
    done(summary) {
      if (silent) return;
      io.stderr.write(`${tty ? '\r\x1b[2K' : ''}${summary ?? describe()}\n`);
    },
  };
}

/**
 * A usage error to throw from an action when an argument is invalid; {@link runCli} prints it and
 * returns exit code 2.
 *
 * @param message - What was wrong, naming the flag. Never include a secret value.
 * @example
 * ```ts
 * if (!/^\d{12}$/.test(account)) throw usageError(`--account must be a 12-digit account ID`);
 * ```
 */
export function usageError(message: string): CoreError {
  return new CoreError(CoreErrorCode.USAGE, message);
}

/**
 * Parses `argv`, runs the matching action and returns the exit code instead of exiting: `0`, the code an
 * action set with {@link CliOutput.setExitCode}, `2` for usage errors (commander's and {@link usageError}),
 * `1` for any other failure. Error output names the error's code and message, never a stack or value.
 *
 * @param program - From {@link createCliProgram}.
 * @param argv - The user's arguments, without `node` and the script.
 * @example
 * ```ts
 * process.exitCode = await runCli(program, process.argv.slice(2));
 * ```
 */
export async function runCli(
  program: Command,
  argv: readonly string[] = process.argv.slice(2),
): Promise<number> {
  const state = stateOf(program);
  state.exitCode = ExitCode.OK;
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has already printed help, the version, or its own usage message.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    const json = program.opts().json === true;
    const code = isSecblocksError(error) ? error.code : 'UNEXPECTED';
    const message = error instanceof Error ? error.message : 'Unknown error';
    if (json) state.io.stdout.write(`${JSON.stringify({ error: { code, message } })}\n`);
    state.io.stderr.write(`error [${code}]: ${message}\n`);
    return isSecblocksError(error) && (code === CoreErrorCode.USAGE || code === CoreErrorCode.INVALID_OPTION)
      ? ExitCode.USAGE
      : ExitCode.FINDINGS;
  }
}
