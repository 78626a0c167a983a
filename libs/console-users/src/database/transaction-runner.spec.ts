import type { DataSource, EntityManager } from 'typeorm';
import { afterCommit, runTransaction } from './transaction-runner';

/**
 * A DataSource whose transactions hand out `manager` and log BEGIN/COMMIT/ROLLBACK; `shared`
 * mimics SQLite, where a nested transaction reuses the enclosing manager (a savepoint).
 */
function fakeDb(log: string[], shared: boolean): DataSource {
  const outer = { name: 'outer' } as unknown as EntityManager;
  let depth = 0;
  return {
    async transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
      const manager = shared ? outer : ({ name: `tx${depth}` } as unknown as EntityManager);
      depth++;
      log.push('begin');
      try {
        const result = await work(manager);
        log.push('commit');
        return result;
      } catch (error) {
        log.push('rollback');
        throw error;
      } finally {
        depth--;
      }
    },
  } as unknown as DataSource;
}

describe('runTransaction and afterCommit', () => {
  it('runs a hook after the commit, once per transaction however often it was registered', async () => {
    const log: string[] = [];
    const db = fakeDb(log, false);
    const wake = () => void log.push('wake');
    await runTransaction(db, async (manager) => {
      afterCommit(manager, wake);
      afterCommit(manager, wake);
      log.push('work');
    });
    expect(log).toEqual(['begin', 'work', 'commit', 'wake']);
  });

  it('drops the hooks of a transaction that rolls back', async () => {
    const log: string[] = [];
    const db = fakeDb(log, false);
    await expect(runTransaction(db, async (manager) => {
        afterCommit(manager, () => void log.push('wake'));
        throw new Error('boom');
      })).rejects.toThrow(/boom/);
    expect(log).toEqual(['begin', 'rollback']);
  });

  it('a nested transaction on a shared manager (SQLite savepoint) waits for the outermost commit', async () => {
    const log: string[] = [];
    const db = fakeDb(log, true);
    await runTransaction(db, async () => {
      await runTransaction(db, async (inner) => {
        afterCommit(inner, () => void log.push('wake'));
      });
      log.push('outer work');
    });
    expect(log).toEqual(['begin', 'begin', 'commit', 'outer work', 'commit', 'wake']);
  });

  it('a hook on a manager outside any runner transaction runs at once; a failing hook does not fail the commit', async () => {
    const log: string[] = [];
    afterCommit({ name: 'autocommit' } as unknown as EntityManager, () => void log.push('now'));
    expect(log).toEqual(['now']);
    const db = fakeDb(log, false);
    const result = await runTransaction(db, async (manager) => {
      afterCommit(manager, () => {
        throw new Error('listener broke');
      });
      return 42;
    });
    expect(result).toBe(42);
  });
});
