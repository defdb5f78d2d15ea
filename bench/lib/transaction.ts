// BEGIN … COMMIT around `work` on a bare connection, ROLLBACK if it throws (the baselines' drivers).
export async function inTransaction<T>(exec: (sql: string) => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  await exec('BEGIN');
  try {
    const result = await work();
    await exec('COMMIT');
    return result;
  } catch (error) {
    await exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
