import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../src/db/pglite-lock.js';

describe('embedded data folder lock', () => {
  it("refuses a second owner while the first is alive, and takes over a dead owner's lock", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'parley-lock-'));
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    await writeFile(path.join(dir, 'parley.lock'), String(other.pid));
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirInUseError);
    const exited = new Promise((resolve) => other.once('exit', resolve));
    other.kill();
    await exited;
    const release = await lockDataDir(dir);
    expect(await readFile(path.join(dir, 'parley.lock'), 'utf8')).toBe(String(process.pid));
    await release();
    await (await lockDataDir(dir))();
  });
});
