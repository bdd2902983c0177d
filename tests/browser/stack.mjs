// The private instance the browser tests run against: PostgreSQL, slapd and httpd with
// the module under test, started by tools/stack on free loopback ports in a temporary
// directory, exactly as tests/integration/conftest.py does. One instance per run.
//
//   import { startStack } from './stack.mjs';
//   const stack = await startStack();   // stack.base = 'http://127.0.0.1:PORT'
//   ...
//   await stack.stop();                 // tools/stack stop, then removes the directory
//
// Environment: IV_MODULE (default build/release/.libs/mod_interventions.so), IV_SANITIZE.
// IV_KEEP_LOGS=path copies httpd's error log there before the directory goes.
// Should the process end early (Ctrl-C, the runner killed, a broken pipe), the instance
// is still stopped, synchronously, on the way out: no daemon outlives the run.

import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const STACK = join(ROOT, 'tools', 'stack');
const MODULE = process.env.IV_MODULE || join(ROOT, 'build/release/.libs/mod_interventions.so');

// What in httpd's error log means a child crashed or a sanitizer spoke (as conftest.py).
const CRASH = /AddressSanitizer|LeakSanitizer|runtime error:|exit signal|Segmentation fault|double free|malloc\(\)|stack smashing/;

// A port free on the loopback right now (the kernel picks it).
function freePort() {
    return new Promise((ok, fail) => {
        const srv = createServer();
        srv.unref();
        srv.on('error', fail);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => ok(port));
        });
    });
}

function run(env, ...args) {
    return new Promise((ok) => {
        execFile(STACK, args, { env, timeout: 120_000, maxBuffer: 16 << 20 },
                 (error, stdout, stderr) => ok({ code: error ? (error.code ?? 1) : 0, stdout, stderr }));
    });
}

export async function startStack() {
    if (!existsSync(MODULE))
        throw new Error(`module absent : ${MODULE} (lancez make)`);
    const varDir = mkdtempSync(join(tmpdir(), 'iv-browser-'));
    chmodSync(varDir, 0o755);   // httpd children (www-data) must traverse it
    const ports = {};
    // Distinct ports: ask again while the kernel hands out one already taken here.
    for (const name of ['http', 'pg', 'ldap']) {
        let p;
        do p = await freePort(); while (Object.values(ports).includes(p));
        ports[name] = p;
    }
    const env = {
        ...process.env,
        IV_VAR: varDir,
        IV_HTTP_PORT: String(ports.http),
        IV_PG_PORT: String(ports.pg),
        IV_LDAP_PORT: String(ports.ldap),
        IV_MODULE: MODULE,
        IV_SANITIZE: process.env.IV_SANITIZE === '1' ? '1' : '0',
        IV_QUIET: '1',
    };
    const errorLog = join(varDir, 'httpd/logs/error.log');

    let stopped = false;
    const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
    const stopNow = () => {     // last resort, synchronous: 'exit' runs no async code
        if (stopped) return;
        stopped = true;
        try {
            execFileSync(STACK, ['stop'], { env, stdio: 'ignore', timeout: 60_000 });
        } catch { /* nothing more can be done on the way out */ }
        rmSync(varDir, { recursive: true, force: true });
    };
    const onSignal = (signal) => { stopNow(); process.exit(128 + SIGNALS[signal]); };
    // The runner reads this process's stdout: once it is gone (`| head`), writing fails
    // with EPIPE, and the harness's rethrow of it ends the process without 'exit'.
    const onBrokenPipe = (err) => {
        if (err?.code !== 'EPIPE') return;
        stopNow();
        process.exit(1);
    };
    process.once('exit', stopNow);
    for (const signal of Object.keys(SIGNALS)) process.once(signal, onSignal);
    process.stdout.on('error', onBrokenPipe);

    const stop = async () => {
        if (stopped) return;
        stopped = true;
        process.removeListener('exit', stopNow);
        for (const signal of Object.keys(SIGNALS)) process.removeListener(signal, onSignal);
        process.stdout.removeListener('error', onBrokenPipe);
        const r = await run(env, 'stop');
        if (process.env.IV_KEEP_LOGS && existsSync(errorLog))
            copyFileSync(errorLog, process.env.IV_KEEP_LOGS);
        rmSync(varDir, { recursive: true, force: true });
        if (r.code !== 0)
            throw new Error(`tools/stack stop a échoué :\n${r.stdout}\n${r.stderr}`);
    };

    const started = await run(env, 'start');
    if (started.code !== 0) {
        await stop().catch(() => {});
        throw new Error(`tools/stack start a échoué :\n${started.stdout}\n${started.stderr}`);
    }

    return {
        base: `http://127.0.0.1:${ports.http}`,
        mount: '/interventions',
        var: varDir,
        ports,
        stop,
        // Lines of httpd's error log that tell of a crash or a sanitizer report.
        crashes() {
            if (!existsSync(errorLog)) return [];
            return readFileSync(errorLog, 'utf8').split('\n').filter((l) => CRASH.test(l));
        },
    };
}

// Chromium as the tests drive it: Debian's, headless, nothing phoning home.
export const CHROMIUM = process.env.IV_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
                              '--disable-component-update', '--disable-sync', '--no-first-run'];

// A test file's fixtures: one private stack and one Chromium, started before its first
// test and stopped after its last; a crash in httpd's error log fails the file. The
// returned object gets stack, browser and app (http://127.0.0.1:PORT/interventions)
// once started.
export function stackAndBrowser() {
    const env = { stack: null, browser: null, app: null };
    before(async () => {
        env.stack = await startStack();
        env.app = env.stack.base + env.stack.mount;
        env.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    }, { timeout: 180_000 });
    after(async () => {
        await env.browser?.close();
        if (env.stack) {
            const crashes = env.stack.crashes();
            await env.stack.stop();
            assert.deepEqual(crashes, [], 'httpd error log shows a crash');
        }
    }, { timeout: 60_000 });
    return env;
}
