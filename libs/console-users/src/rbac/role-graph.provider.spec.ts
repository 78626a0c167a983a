import { strictMock } from '../../../../test/support/strict-mock';
import type { RoleEntity } from './role.entity';
import { RoleGraphProvider } from './role-graph.provider';
import type { RolesRepository } from './roles.repository';

const role = (name: string) => ({ id: 1, name, labels: {}, annotations: {}, rules: [], version: 0, createdAt: new Date(0) }) as RoleEntity;

describe('RoleGraphProvider', () => {
  it('does not keep a snapshot whose load began before a drop (a role write racing a read)', async () => {
    let release!: (roles: RoleEntity[]) => void;
    const findAll = jest.fn<Promise<RoleEntity[]>, []>();
    findAll.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    findAll.mockResolvedValue([role('new')]);
    const sut = new RoleGraphProvider(strictMock<RolesRepository>('RolesRepository', { findAll }));

    const stale = sut.graph();
    sut.drop();
    release([role('old')]);
    expect((await stale).has('old')).toBe(true);
    expect((await sut.graph()).has('new')).toBe(true);
    expect(findAll).toHaveBeenCalledTimes(2);
  });

  it('hands out the cached snapshot without waiting only while it is fresh and not dropped', async () => {
    jest.useFakeTimers({ now: 1_000_000 });
    try {
      const findAll = jest.fn<Promise<RoleEntity[]>, []>().mockResolvedValue([role('editor')]);
      const sut = new RoleGraphProvider(strictMock<RolesRepository>('RolesRepository', { findAll }));
      expect(sut.current()).toBeUndefined(); // nothing loaded yet
      const loaded = await sut.graph();
      expect(sut.current()).toBe(loaded);
      jest.setSystemTime(1_000_000 - 3_600_000); // a step of the system time changes nothing
      jest.advanceTimersByTime(4_999);
      expect(sut.current()).toBe(loaded);
      jest.advanceTimersByTime(1); // the snapshot's lifetime has run out
      expect(sut.current()).toBeUndefined();
      const reloaded = await sut.graph();
      expect(sut.current()).toBe(reloaded);
      sut.drop();
      expect(sut.current()).toBeUndefined();
      expect(findAll).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('tells listeners about local invalidations only, not about drops', () => {
    const sut = new RoleGraphProvider(strictMock<RolesRepository>('RolesRepository', {}));
    const listener = jest.fn();
    const unsubscribe = sut.onInvalidate(listener);
    sut.invalidate();
    sut.drop();
    unsubscribe();
    sut.invalidate();
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
