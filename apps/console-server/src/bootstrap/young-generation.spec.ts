import { operatorSetYoungGeneration } from './young-generation';

describe('operatorSetYoungGeneration', () => {
  it.each([
    [['--semi-space-growth-factor=4'], undefined],
    [['--max-semi-space-size=64'], undefined],
    [['--min_semi_space_size=2'], undefined],
    [[], '--enable-source-maps --max-semi-space-size=8'],
    [[], '--semi_space_growth_factor=3'],
  ])('sees a young-generation flag the operator set (argv %p, NODE_OPTIONS %p)', (execArgv, nodeOptions) => {
    expect(operatorSetYoungGeneration(execArgv, nodeOptions)).toBe(true);
  });

  it.each([
    [[], undefined],
    [['--enable-source-maps'], '--max-old-space-size=512'],
    [[], ''],
  ])('leaves the choice to the server otherwise (argv %p, NODE_OPTIONS %p)', (execArgv, nodeOptions) => {
    expect(operatorSetYoungGeneration(execArgv, nodeOptions)).toBe(false);
  });
});
