import { operatorSetV8Flag } from './operator-v8-flags';

describe('operatorSetV8Flag', () => {
  it.each([
    [['--optimize-for-size'], undefined],
    [['--optimize_for_size'], undefined],
    [[], '--enable-source-maps --no-optimize-for-size'],
    [['--optimize-for-size=true'], undefined],
  ])('sees the flag the operator set, in any spelling (argv %p, NODE_OPTIONS %p)', (execArgv, nodeOptions) => {
    expect(operatorSetV8Flag(['optimize-for-size'], execArgv, nodeOptions)).toBe(true);
  });

  it.each([
    [[], undefined],
    [['--optimize-for-speed'], '--max-old-space-size=512'],
    [['--optimize-for-size-extra'], ''],
    [[], ''],
  ])('sees nothing when the operator set other flags or none (argv %p, NODE_OPTIONS %p)', (execArgv, nodeOptions) => {
    expect(operatorSetV8Flag(['optimize-for-size'], execArgv, nodeOptions)).toBe(false);
  });
});
