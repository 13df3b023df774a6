import { ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import * as sdk from 'node-appwrite';

import { bootstrapConsole, ConsoleSession } from '../../support/console';
import { eventually, keyClient } from '../../support/identity-clients';

// appwrite-cli@2.0.x, installed by this test into a temp folder, against `appconda all`: point it at the
// endpoint, `login` (its prompts answered as a user would), `init project` (link the folder to the
// console's project), deploy a function from a folder with `deploy function`, and run it with
// `functions createExecution`. `init function` itself clones its starter templates from GitHub, which
// is out of reach here, so the test writes the folder and its appwrite.json entry as that command would.

const CLI_VERSION = '2.0.2';
const DOWN = '\u001b[B';

interface Prompt {
  /** Text of the prompt on stdout. */
  when: RegExp;
  /** Keys to send (a trailing newline submits). */
  keys: string;
}

describe(`appwrite-cli@${CLI_VERSION} against appconda all`, () => {
  let root: string;
  let session: ConsoleSession;
  let cli: string;
  const home = () => path.join(root, 'home');
  const project = () => path.join(root, 'project');

  /** Runs the CLI in the project folder, answering prompts in order; resolves its output (rejects on a non-zero exit). */
  function run(args: string[], prompts: Prompt[] = []): Promise<string> {
    return new Promise((resolve, reject) => {
      const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [cli, ...args], { cwd: project(), env: { ...process.env, HOME: home(), NO_COLOR: '1', FORCE_COLOR: '0' } });
      // `output` is what appeared since the last answered prompt; `all` everything, for the result.
      let output = '';
      let all = '';
      const pending = [...prompts];
      const answer = () => {
        while (pending.length && pending[0].when.test(output)) {
          const { keys } = pending.shift()!;
          output = '';
          setTimeout(() => child.stdin.write(keys), 50);
        }
      };
      child.stdout.on('data', (data: Buffer) => {
        output += data.toString();
        all += data.toString();
        answer();
      });
      child.stderr.on('data', (data: Buffer) => (all += data.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(all);
        else reject(new Error(`appwrite ${args.join(' ')} exited with ${code}: ${all}`));
      });
    });
  }

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'appconda-cli-'));
    mkdirSync(home());
    mkdirSync(project());
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', root, `appwrite-cli@${CLI_VERSION}`], { stdio: 'pipe', timeout: 240_000 });
    cli = path.join(root, 'node_modules', 'appwrite-cli', 'index.js');
    session = await bootstrapConsole('cli');
  }, 300_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('logs in, links the project, deploys a function from a folder and executes it', async () => {
    await run(['client', '--endpoint', session.endpoint]);
    await run(['login'], [
      { when: /Enter your email/, keys: `${session.email}\n` },
      { when: /Enter your password/, keys: `${session.password}\n` },
    ]);
    expect(JSON.parse(readFileSync(path.join(home(), '.appwrite', 'prefs.json'), 'utf8')).cookie).toMatch(/a_session_console/);

    await run(['init', 'project'], [
      { when: /How would you like to start/, keys: `${DOWN}\n` },
      { when: /Choose your Appwrite project/, keys: '\n' },
    ]);
    const config = JSON.parse(readFileSync(path.join(project(), 'appwrite.json'), 'utf8'));
    expect(config.projectId).toBe(session.projectId);

    // What `init function` writes: the code folder and the function's entry in appwrite.json.
    mkdirSync(path.join(project(), 'functions', 'hello'), { recursive: true });
    writeFileSync(path.join(project(), 'functions', 'hello', 'index.js'), "module.exports = async (req, res) => res.json({ hello: req.payload, from: req.variables.APPWRITE_FUNCTION_ID });\n");
    config.functions = [{ $id: 'cli-hello', name: 'Hello', runtime: 'node-18.0', path: 'functions/hello', entrypoint: 'index.js', execute: ['any'], events: [], schedule: '', timeout: 15, variables: { FROM: 'cli' } }];
    writeFileSync(path.join(project(), 'appwrite.json'), JSON.stringify(config, null, 4));

    const deployed = await run(['deploy', 'function', '--functionId', 'cli-hello', '--yes']);
    expect(deployed).toMatch(/Deployed Hello/);
    const functions = new sdk.Functions(keyClient(session.projectId, session.key));
    expect((await functions.listVariables('cli-hello')).variables.map((v) => [v.key, v.value])).toEqual([['FROM', 'cli']]);
    await eventually(async () => (await functions.get('cli-hello')).deployment !== '' || undefined, 'the deployment built and activated', 60_000);

    const executed = await run(['functions', 'createExecution', '--functionId', 'cli-hello', '--data', 'world']);
    expect(executed).toMatch(/completed/);
    expect(executed).toContain('{"hello":"world","from":"cli-hello"}');
    expect(existsSync(path.join(project(), 'appwrite.json'))).toBe(true);
  }, 180_000);
});
