import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  json: any;
}

type Output = Omit<CliResult, 'json'>;

const RESIDENT_SCRIPT = join(__dirname, 'aws-cli-resident.py');
/** Only what finds the CLI and Python: the resident process itself calls nothing. */
const TOOL_ENV = () => ({ PATH: process.env.PATH, HOME: process.env.HOME });

/**
 * The AWS CLI kept running in one Python process of the test file (aws-cli-resident.py): each call
 * goes through the CLI's own entry point with its own arguments and environment, as an `aws`
 * process would, without paying the start-up of Python and the CLI (most of a call's second).
 * Calls run one after another.
 */
class ResidentCli {
  private readonly answers: ((line: string | undefined) => void)[] = [];
  private last: Promise<unknown> = Promise.resolve();
  private exited = false;

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    createInterface({ input: child.stdout }).on('line', (line) => this.answers.shift()?.(line));
    const ended = () => {
      this.exited = true;
      for (const answer of this.answers.splice(0)) answer(undefined);
    };
    child.once('exit', ended);
    child.once('error', ended);
    // The test file's process does not wait for it: the resident ends when its stdin closes.
    child.unref();
    for (const stream of [child.stdin, child.stdout]) (stream as unknown as { unref(): void }).unref();
  }

  /**
   * A resident CLI when it is the CLI that `aws` on the PATH runs (same `aws --version`: CLI,
   * Python, platform and botocore), else undefined.
   */
  static async start(): Promise<ResidentCli | undefined> {
    // Its own stderr (none but Python's warnings: each call's goes into its answer) is not read: ignored.
    const child = spawn('python3', [RESIDENT_SCRIPT], { env: TOOL_ENV(), stdio: ['pipe', 'pipe', 'ignore'] });
    const resident = new ResidentCli(child);
    const [version, expected] = await Promise.all([resident.nextLine(30_000), awsVersion()]);
    if (version !== undefined && JSON.parse(version).trim() === expected) return resident;
    resident.close();
    return undefined;
  }

  get alive(): boolean {
    return !this.exited;
  }

  run(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Output> {
    const call = this.last.then(async () => {
      if (this.exited) return { exitCode: 1, stdout: '', stderr: 'the resident AWS CLI exited' };
      this.child.stdin.write(`${JSON.stringify({ args, env })}\n`);
      const line = await this.nextLine(timeoutMs);
      if (line === undefined) {
        // As execFile's timeout does to the process: the call is killed (and with it the resident).
        this.close();
        return { exitCode: 1, stdout: '', stderr: `aws ${args.join(' ')}: no answer within ${timeoutMs} ms` };
      }
      return JSON.parse(line) as Output;
    });
    this.last = call;
    return call;
  }

  close(): void {
    this.child.kill('SIGKILL');
  }

  private nextLine(timeoutMs: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.answers.splice(this.answers.indexOf(answer), 1);
        resolve(undefined);
      }, timeoutMs);
      const answer = (line: string | undefined) => {
        clearTimeout(timer);
        resolve(line);
      };
      this.answers.push(answer);
    });
  }
}

/** What `aws --version` prints. */
function awsVersion(): Promise<string | undefined> {
  return new Promise((resolve) =>
    execFile('aws', ['--version'], { env: TOOL_ENV(), timeout: 30_000 }, (error, stdout, stderr) =>
      resolve(error ? undefined : `${stdout}${stderr}`.trim()),
    ),
  );
}

/** `aws args` as a process of its own. */
export function spawnAws(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Output> {
  return new Promise((resolve) =>
    execFile('aws', args, { env, timeout: timeoutMs }, (error, stdout, stderr) =>
      resolve({ exitCode: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

let resident: Promise<ResidentCli | undefined> | undefined;

/**
 * Runs `aws args` with exactly `env`: in this test file's resident CLI, started on the first call
 * (again after one died), or, where that is not the `aws` on the PATH, as a process of its own.
 */
export async function runAws(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<CliResult> {
  let cli = await (resident ??= ResidentCli.start());
  if (cli && !cli.alive) cli = await (resident = ResidentCli.start());
  const output = cli ? await cli.run(args, env, timeoutMs) : await spawnAws(args, env, timeoutMs);
  let json: any;
  try {
    json = output.stdout.trim() ? JSON.parse(output.stdout) : undefined;
  } catch {
    json = undefined;
  }
  return { ...output, json };
}
